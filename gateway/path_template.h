#pragma once
// A google.api.http path template (google/api/http.proto):
//
//   Template = "/" Segments [ Verb ] ;
//   Segments = Segment { "/" Segment } ;
//   Segment  = "*" | "**" | LITERAL | Variable ;
//   Variable = "{" FieldPath [ "=" Segments ] "}" ;
//   Verb     = ":" LITERAL ;
//
// Parse() validates a template; Match() tests a request path (without the
// query) and returns the variable bindings, percent-decoded: a variable that
// spans one segment is fully decoded, one that spans `**` keeps "%2F" as is so
// its slashes stay unambiguous. `{id}` is short for `{id=*}`; `**` matches zero
// or more segments and must be the last segment.
//
//   auto t = PathTemplate::Parse("/v1/{name=shelves/*/books/**}:read");
//   t->Match("/v1/shelves/a/books/b/c:read") -> {{"name", "shelves/a/books/b/c"}}
//
// Pure code: no protobuf, no I/O.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sportello::gateway {

struct PathSegment {
  enum class Kind { kLiteral, kSingle, kDouble };  // literal, "*", "**"
  Kind kind = Kind::kLiteral;
  std::string literal;  // kLiteral only
};

struct PathVariable {
  std::string field_path;  // "tenant.ipa_code"
  size_t begin = 0;        // first segment index covered
  size_t end = 0;          // one past the last segment covered
};

using PathBindings = std::vector<std::pair<std::string, std::string>>;

class PathTemplate {
 public:
  // The template or nullopt with *error set to why it is malformed.
  static std::optional<PathTemplate> Parse(std::string_view text, std::string* error = nullptr);

  // Bindings when `path` matches, nullopt otherwise. `path` is the raw
  // (still percent-encoded) path of the request target.
  std::optional<PathBindings> Match(std::string_view path) const;
  // The same on the path already split by SplitPathSegments, so that a table
  // of routes splits each request once.
  std::optional<PathBindings> MatchSegments(const std::vector<std::string_view>& parts) const;

  // The template as written.
  const std::string& text() const { return text_; }
  const std::vector<PathSegment>& segments() const { return segments_; }
  const std::vector<PathVariable>& variables() const { return variables_; }
  const std::string& verb() const { return verb_; }

  // The path with each variable as "{field.path}", the verb kept: the form
  // OpenAPI uses ("/v1/{name}:read").
  std::string OpenApiPath() const;

  // Orders two templates that both match one path: negative when this one is
  // more specific (custom verb first, then literal over "*" over "**",
  // segment by segment from the left, then more segments).
  int CompareSpecificity(const PathTemplate& other) const;

 private:
  std::string text_;
  std::vector<PathSegment> segments_;
  std::vector<PathVariable> variables_;
  std::string verb_;
};

// "/v1/a/b:x" -> {"v1", "a", "b:x"}; empty when `path` does not start with '/'.
std::vector<std::string_view> SplitPathSegments(std::string_view path);

// Percent-decodes `in`; with keep_slash, "%2F"/"%2f" stay encoded. nullopt on
// a malformed escape.
std::optional<std::string> PercentDecode(std::string_view in, bool keep_slash = false);

}  // namespace sportello::gateway
