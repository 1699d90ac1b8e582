#pragma once
// Processes a test starts and stops itself, on loopback ports of its own.
#include <sys/types.h>

#include <string>

namespace sportello::testing {

// A loopback TCP port free at the time of the call.
int FreePort();

// A redis-server without persistence that the test stops (SIGKILL, as an
// outage) and starts again on the same port.
class RedisProcess {
 public:
  RedisProcess();  // on a free port; not started
  ~RedisProcess();
  RedisProcess(const RedisProcess&) = delete;
  RedisProcess& operator=(const RedisProcess&) = delete;

  void Start();
  void Stop();
  int port() const { return port_; }
  std::string url() const;  // redis://127.0.0.1:PORT/0

 private:
  int port_;
  pid_t pid_ = -1;
};

}  // namespace sportello::testing
