// sportello-token: prints a development JWT signed with SPORTELLO_JWT_SECRET.
//   sportello-token --tenant c_f027 --role operator [--role admin] [--sub mario.rossi] [--office 12] [--ttl 3600]
#include <iostream>
#include <string>

#include "absl/strings/numbers.h"
#include "common/auth/token.h"
#include "common/config.h"

namespace {

int Usage(const char* error) {
  if (error) std::cerr << "sportello-token: " << error << "\n";
  std::cerr << "usage: sportello-token --tenant IPA --role ROLE [--role ROLE...] [--sub NAME] "
               "[--office ID] [--ttl SECONDS]\n"
               "roles: operator, referent, communication, admin, partner\n";
  return error ? 2 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  char* no_args[] = {argv[0]};
  sportello::Settings settings("sportello-token", 1, no_args);
  std::string secret = sportello::ReadJwtSecret(settings);
  settings.Done();

  sportello::auth::Principal who;
  who.subject = "dev";
  long long ttl = 8 * 3600;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") return Usage(nullptr);
    if (i + 1 >= argc) return Usage(("missing value for " + arg).c_str());
    std::string value = argv[++i];
    if (arg == "--tenant") {
      who.tenant = value;
    } else if (arg == "--role") {
      static const char* kRoles[] = {"operator", "referent", "communication", "admin", "partner",
                                     "communication_manager"};
      bool known = false;
      for (const char* r : kRoles) known = known || value == r;
      if (!known) return Usage(("unknown role " + value).c_str());
      who.roles.push_back(value);
    } else if (arg == "--sub") {
      who.subject = value;
    } else if (arg == "--office") {
      who.office = value;
    } else if (arg == "--ttl") {
      if (!absl::SimpleAtoi(value, &ttl) || ttl <= 0) return Usage("--ttl takes a positive number of seconds");
    } else {
      return Usage(("unknown argument " + arg).c_str());
    }
  }
  if (who.tenant.empty()) return Usage("--tenant is required");
  if (who.roles.empty()) return Usage("at least one --role is required");
  std::cout << sportello::auth::MintToken(secret, who, absl::Seconds(ttl)) << "\n";
  return 0;
}
