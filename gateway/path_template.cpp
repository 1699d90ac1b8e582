#include "gateway/path_template.h"

#include <algorithm>
#include <set>

namespace sportello::gateway {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsIdentStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }

bool ValidFieldPath(std::string_view path) {
  if (path.empty()) return false;
  bool start = true;
  for (char c : path) {
    if (c == '.') {
      if (start) return false;
      start = true;
      continue;
    }
    if (start ? !IsIdentStart(c) : !IsIdentChar(c)) return false;
    start = false;
  }
  return !start;
}

int Rank(PathSegment::Kind kind) {
  switch (kind) {
    case PathSegment::Kind::kLiteral: return 0;
    case PathSegment::Kind::kSingle: return 1;
    case PathSegment::Kind::kDouble: return 2;
  }
  return 2;
}

// Recursive-descent parser over the template text.
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool Run(std::vector<PathSegment>& segments, std::vector<PathVariable>& variables,
           std::string& verb) {
    if (text_.empty() || text_[0] != '/') return Fail("a template starts with '/'");
    pos_ = 1;
    if (!Segments(segments, variables, /*in_variable=*/false)) return false;
    if (pos_ < text_.size() && text_[pos_] == ':') {
      verb = std::string(text_.substr(pos_ + 1));
      if (verb.empty()) return Fail("empty custom verb");
      pos_ = text_.size();
    }
    if (pos_ != text_.size()) return Fail("unexpected character at " + std::to_string(pos_));
    for (size_t i = 0; i + 1 < segments.size(); ++i) {
      if (segments[i].kind == PathSegment::Kind::kDouble) return Fail("'**' must be the last segment");
    }
    std::set<std::string> seen;
    for (const auto& v : variables) {
      if (!seen.insert(v.field_path).second) return Fail("variable bound twice: " + v.field_path);
    }
    return true;
  }

  std::string error;

 private:
  bool Fail(std::string why) {
    error = std::move(why);
    return false;
  }

  // The rest of the text holds no '/': a ':' there starts the verb.
  bool VerbFollows() const { return text_.find('/', pos_) == std::string_view::npos; }

  bool Segments(std::vector<PathSegment>& segments, std::vector<PathVariable>& variables,
                bool in_variable) {
    while (true) {
      if (!Segment(segments, variables, in_variable)) return false;
      if (pos_ < text_.size() && text_[pos_] == '/') {
        ++pos_;
        continue;
      }
      return true;
    }
  }

  bool Segment(std::vector<PathSegment>& segments, std::vector<PathVariable>& variables,
               bool in_variable) {
    if (text_.compare(pos_, 2, "**") == 0) {
      pos_ += 2;
      segments.push_back({PathSegment::Kind::kDouble, ""});
      return true;
    }
    if (pos_ < text_.size() && text_[pos_] == '*') {
      ++pos_;
      segments.push_back({PathSegment::Kind::kSingle, ""});
      return true;
    }
    if (pos_ < text_.size() && text_[pos_] == '{') {
      if (in_variable) return Fail("nested variable");
      return Variable(segments, variables);
    }
    size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '/' || c == '{' || c == '}' || c == '*' || c == '=') break;
      if (c == ':' && (in_variable || VerbFollows())) break;
      ++pos_;
    }
    if (pos_ == start) return Fail("empty segment at " + std::to_string(start));
    auto literal = PercentDecode(text_.substr(start, pos_ - start));
    if (!literal) return Fail("bad percent escape in literal");
    segments.push_back({PathSegment::Kind::kLiteral, *literal});
    return true;
  }

  bool Variable(std::vector<PathSegment>& segments, std::vector<PathVariable>& variables) {
    ++pos_;  // '{'
    size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '=' && text_[pos_] != '}') ++pos_;
    std::string field(text_.substr(start, pos_ - start));
    if (!ValidFieldPath(field)) return Fail("bad field path '" + field + "'");
    PathVariable var{field, segments.size(), 0};
    if (pos_ < text_.size() && text_[pos_] == '=') {
      ++pos_;
      std::vector<PathVariable> none;
      if (!Segments(segments, none, /*in_variable=*/true)) return false;
    } else {
      segments.push_back({PathSegment::Kind::kSingle, ""});
    }
    if (pos_ >= text_.size() || text_[pos_] != '}') return Fail("unterminated variable " + field);
    ++pos_;
    var.end = segments.size();
    variables.push_back(std::move(var));
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<std::string_view> SplitPathSegments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path[0] != '/') return out;
  path.remove_prefix(1);
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      out.push_back(path.substr(start));
      return out;
    }
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

std::optional<std::string> PercentDecode(std::string_view in, bool keep_slash) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    char c = static_cast<char>(hi * 16 + lo);
    if (keep_slash && c == '/') {
      out.append(in.substr(i, 3));
    } else {
      out += c;
    }
    i += 2;
  }
  return out;
}

std::optional<PathTemplate> PathTemplate::Parse(std::string_view text, std::string* error) {
  PathTemplate t;
  t.text_ = std::string(text);
  Parser parser(text);
  if (!parser.Run(t.segments_, t.variables_, t.verb_)) {
    if (error) *error = parser.error;
    return std::nullopt;
  }
  return t;
}

std::optional<PathBindings> PathTemplate::Match(std::string_view path) const {
  if (path.empty() || path[0] != '/') return std::nullopt;
  return MatchSegments(SplitPathSegments(path));
}

std::optional<PathBindings> PathTemplate::MatchSegments(const std::vector<std::string_view>& parts) const {
  // The gateway tries every route of the request's length: most are refused
  // here, by the verb or a literal segment, before anything is allocated.
  if (parts.empty()) return std::nullopt;
  std::string_view last = parts.back();
  if (!verb_.empty()) {
    const size_t suffix = verb_.size() + 1;  // ":" + verb
    if (last.size() < suffix || last[last.size() - suffix] != ':' ||
        last.substr(last.size() - verb_.size()) != verb_) {
      return std::nullopt;
    }
    last.remove_suffix(suffix);
    // The verb belongs to the last segment only.
    if (last.empty() && parts.size() > 1) return std::nullopt;
  }
  const size_t count = parts.size();
  const auto part = [&](size_t i) { return i + 1 == count ? last : parts[i]; };
  bool open_ended = !segments_.empty() && segments_.back().kind == PathSegment::Kind::kDouble;
  if (open_ended) {
    // "**" may match nothing: "/v1/{name=**}" matches "/v1".
    if (count < segments_.size() - 1) return std::nullopt;
  } else if (count != segments_.size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < segments_.size(); ++i) {
    const PathSegment& seg = segments_[i];
    if (seg.kind == PathSegment::Kind::kDouble) break;
    const std::string_view p = part(i);
    if (seg.kind == PathSegment::Kind::kSingle) {
      if (p.empty()) return std::nullopt;
      continue;
    }
    if (p.find('%') == std::string_view::npos) {
      if (p != seg.literal) return std::nullopt;
      continue;
    }
    auto decoded = PercentDecode(p);
    if (!decoded || *decoded != seg.literal) return std::nullopt;
  }
  PathBindings bindings;
  for (const PathVariable& var : variables_) {
    bool to_end = var.end == segments_.size() && open_ended;
    size_t end = to_end ? count : var.end;
    std::string raw;
    for (size_t i = var.begin; i < end; ++i) {
      if (i > var.begin) raw += '/';
      raw.append(part(i));
    }
    bool single = !to_end && var.end - var.begin == 1;
    auto value = PercentDecode(raw, /*keep_slash=*/!single);
    if (!value) return std::nullopt;
    bindings.emplace_back(var.field_path, std::move(*value));
  }
  return bindings;
}

std::string PathTemplate::OpenApiPath() const {
  std::string out;
  for (size_t i = 0; i < segments_.size();) {
    out += '/';
    auto var = std::find_if(variables_.begin(), variables_.end(),
                            [&](const PathVariable& v) { return v.begin == i; });
    if (var != variables_.end()) {
      out += "{" + var->field_path + "}";
      i = std::max(var->end, i + 1);
      continue;
    }
    const PathSegment& seg = segments_[i];
    switch (seg.kind) {
      case PathSegment::Kind::kLiteral: out += seg.literal; break;
      case PathSegment::Kind::kSingle: out += "*"; break;
      case PathSegment::Kind::kDouble: out += "**"; break;
    }
    ++i;
  }
  if (!verb_.empty()) out += ":" + verb_;
  return out;
}

int PathTemplate::CompareSpecificity(const PathTemplate& other) const {
  if (verb_.empty() != other.verb_.empty()) return verb_.empty() ? 1 : -1;
  size_t n = std::min(segments_.size(), other.segments_.size());
  for (size_t i = 0; i < n; ++i) {
    int a = Rank(segments_[i].kind), b = Rank(other.segments_[i].kind);
    if (a != b) return a < b ? -1 : 1;
  }
  if (segments_.size() != other.segments_.size()) {
    return segments_.size() > other.segments_.size() ? -1 : 1;
  }
  return 0;
}

}  // namespace sportello::gateway
