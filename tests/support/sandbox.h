#pragma once
// A tenant of the test's own, made through the public API like any client
// would, so that an end-to-end test never writes into the demo tenants and
// never depends on what other tests (or earlier runs) left behind:
//
//   Sandbox box;                                    // comune "sb_<random>", an office, a category
//   HttpReply r = PostJson(box.Path("/requests"), {{"kind", "REQUEST_KIND_REPORT"},
//                                                  {"category", box.category}, ...});
//
//   SandboxUnione unione(2);                        // an unione with two member comuni
//   unione.members[0].tenant, unione.members[1].tenant
//
// Unless asked for a bare tenant, it holds two offices: `office_id` ("Lavori pubblici"), to which
// the reportable category `category` ("strade-buche", with the attributes of
// the demo's category of the same code: tipo_dissesto, dimensione_cm,
// pericolo) routes reports, and `urp_office_id` (the URP), which no rule names.
// Everything is created with an admin token of the tenant (or of its unione)
// and the tenant's operator token; creation failures fail the test.
#include <boost/json.hpp>
#include <string>
#include <vector>

namespace sportello::testing {

struct SandboxOptions {
  std::string unione;      // when set, the comune is a member of this unione
  bool reportable = true;  // false: the bare tenant, without offices or category

  static SandboxOptions Bare() {
    SandboxOptions o;
    o.reportable = false;
    return o;
  }
};

class Sandbox {
 public:
  explicit Sandbox(SandboxOptions options = {});

  std::string tenant;         // IPA code: "sb_" and 10 random letters or digits
  std::string name;           // "Comune di prova <tenant>"
  std::string office_id;      // where `category` routes (empty when not reportable)
  std::string urp_office_id;  // a second office (idem)
  std::string category = "strade-buche";
  std::string service_id;        // the catalogue service behind `category`
  int legal_deadline_days = 15;  // of `category`

  std::string admin_token, operator_token;

  // "/api/v1/tenants/<tenant>" + suffix.
  std::string Path(const std::string& suffix = "") const;
  // A token of this tenant with `roles`, optionally bound to an office (referents).
  std::string Token(std::vector<std::string> roles, const std::string& office = "",
                    const std::string& subject = "e2e-test") const;
  // A report in `category` that intake accepts, at the given point.
  boost::json::object Report(const std::string& description, double latitude = 40.5880,
                             double longitude = 17.1140) const;
};

// An unione of its own with `members` member comuni (sandboxes).
class SandboxUnione {
 public:
  explicit SandboxUnione(int members);
  std::string tenant;  // "su_" and 10 random letters or digits
  std::vector<Sandbox> members;
};

}  // namespace sportello::testing
