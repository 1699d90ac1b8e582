#pragma once
// A raw HTTP/1.1 client over loopback for the gateway's Server tests: sends
// bytes exactly as given (malformed requests, pipelining, slow readers) and
// reads one response at a time, its body framed by Content-Length or by the
// chunked transfer coding.
//
//   RawClient c(server->port());
//   c.Send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
//   RawClient::Response r = c.Read();  // status 0: the connection closed first
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <string>

#include "gateway/transcoder.h"

namespace sportello::gateway::testing {

class RawClient {
 public:
  // `from`: the local address to connect from (any 127.x.y.z is loopback).
  // `receive_buffer`: SO_RCVBUF set before connect, so the window offered to
  // the server stays that small (0: the kernel's default).
  explicit RawClient(uint16_t port, const char* from = nullptr, int receive_buffer = 0) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    if (from != nullptr) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      ::inet_pton(AF_INET, from, &local.sin_addr);
      REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~RawClient() { ::close(fd_); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  // True when every byte was sent. The server may close early (413, 431): a
  // test that expects that ignores the answer, and the reply tells.
  bool Send(const std::string& data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }

  struct Response {
    int status = 0;  // 0: the connection closed, or nothing came, before a head
    Headers headers;
    std::string body;
    bool complete = false;  // the body ended as framed (last chunk or full length)
  };

  // Reads one response, waiting at most `idle` for each piece of it.
  Response Read(std::chrono::milliseconds idle = std::chrono::seconds(10)) { return ReadResponse(idle, false); }
  // Reads the response to a HEAD: no body whatever its headers say.
  Response ReadHead(std::chrono::milliseconds idle = std::chrono::seconds(10)) { return ReadResponse(idle, true); }

  // True when the server closes the connection within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      int left = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
      if (::poll(&p, 1, std::max(left, 1)) <= 0) continue;
      char c[4096];
      ssize_t n = ::recv(fd_, c, sizeof c, 0);
      if (n <= 0) return true;
    }
    return false;
  }

 private:
  Response ReadResponse(std::chrono::milliseconds idle, bool head_only) {
    Response r;
    while (buffer_.find("\r\n\r\n") == std::string::npos) {
      if (!Fill(idle)) return r;
    }
    size_t end = buffer_.find("\r\n\r\n");
    std::string head = buffer_.substr(0, end);
    buffer_.erase(0, end + 4);
    r.status = std::stoi(head.substr(9, 3));
    size_t pos = head.find("\r\n");
    while (pos != std::string::npos) {
      size_t next = head.find("\r\n", pos + 2);
      std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      size_t colon = line.find(':');
      r.headers.Add(line.substr(0, colon), line.substr(colon + 2));
      pos = next;
    }
    if (head_only) {
      r.complete = true;
      return r;
    }
    if (r.headers.GetOr("transfer-encoding") == "chunked") {
      while (true) {
        size_t eol;
        while ((eol = buffer_.find("\r\n")) == std::string::npos) {
          if (!Fill(idle)) return r;
        }
        size_t size = std::stoul(buffer_.substr(0, eol), nullptr, 16);
        while (buffer_.size() < eol + 2 + size + 2) {
          if (!Fill(idle)) return r;
        }
        r.body += buffer_.substr(eol + 2, size);
        buffer_.erase(0, eol + 2 + size + 2);
        if (size == 0) {
          r.complete = true;
          return r;
        }
      }
    }
    size_t length = std::stoul(r.headers.GetOr("content-length", "0"));
    while (buffer_.size() < length) {
      if (!Fill(idle)) return r;
    }
    r.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    r.complete = true;
    return r;
  }

  // Appends what arrives within `idle`; false when nothing does or the peer closed.
  bool Fill(std::chrono::milliseconds idle) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(idle.count())) <= 0) return false;
    char chunk[65536];
    ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
};

}  // namespace sportello::gateway::testing
