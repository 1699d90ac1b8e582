#include "gateway/proto_docs.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>

#include <cctype>

namespace sportello::embedded {
std::string_view SportelloDescriptorSet();  // gateway/CMakeLists.txt embeds it
}  // namespace sportello::embedded

namespace sportello::gateway {
namespace {

namespace pb = google::protobuf;

// Comment text as written between the slashes: each line trimmed, blank
// lines at either end dropped.
std::string_view Strip(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string Clean(const std::string& raw) {
  std::string out;
  std::string_view rest = raw;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view t = Strip(rest.substr(0, nl));
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (out.empty() && t.empty()) continue;
    out.append(t);
    out.push_back('\n');
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

template <typename D>
std::string Comment(const D* d, bool trailing_too) {
  if (d == nullptr) return "";
  pb::SourceLocation loc;
  if (!d->GetSourceLocation(&loc)) return "";
  std::string text = Clean(loc.leading_comments);
  if (text.empty() && trailing_too) text = Clean(loc.trailing_comments);
  return text;
}

}  // namespace

ProtoDocs::ProtoDocs(std::string_view descriptor_set)
    : database_(std::make_unique<pb::SimpleDescriptorDatabase>()) {
  pb::FileDescriptorSet set;
  if (set.ParseFromArray(descriptor_set.data(), static_cast<int>(descriptor_set.size()))) {
    for (const auto& file : set.file()) {
      if (database_->Add(file)) ++file_count_;
    }
  }
  pool_ = std::make_unique<pb::DescriptorPool>(database_.get());
}

ProtoDocs::~ProtoDocs() = default;

const ProtoDocs& ProtoDocs::Embedded() {
  static const ProtoDocs docs(embedded::SportelloDescriptorSet());
  return docs;
}

std::string ProtoDocs::Of(const pb::ServiceDescriptor* d) const {
  return Comment(pool_->FindServiceByName(d->full_name()), false);
}
std::string ProtoDocs::Of(const pb::MethodDescriptor* d) const {
  return Comment(pool_->FindMethodByName(d->full_name()), false);
}
std::string ProtoDocs::Of(const pb::Descriptor* d) const {
  return Comment(pool_->FindMessageTypeByName(d->full_name()), false);
}
std::string ProtoDocs::Of(const pb::FieldDescriptor* d) const {
  return Comment(d->is_extension() ? pool_->FindExtensionByName(d->full_name())
                                   : pool_->FindFieldByName(d->full_name()),
                 true);
}
std::string ProtoDocs::Of(const pb::EnumDescriptor* d) const {
  return Comment(pool_->FindEnumTypeByName(d->full_name()), false);
}
std::string ProtoDocs::Of(const pb::EnumValueDescriptor* d) const {
  return Comment(pool_->FindEnumValueByName(d->full_name()), true);
}

std::string FirstSentence(std::string_view comment) {
  std::string out;
  for (size_t i = 0; i < comment.size(); ++i) {
    char c = comment[i];
    const bool last = i + 1 == comment.size();
    if (c == '\n' && !last && comment[i + 1] == '\n') break;  // a paragraph ends it
    // A period ends the sentence before a capital letter or at the end, so
    // that abbreviations ("d.lgs. 33/2013", "e.g. c_f027") do not.
    if (c == '.') {
      size_t next = i + 1;
      while (next < comment.size() && (comment[next] == ' ' || comment[next] == '\n')) ++next;
      if (next == comment.size() || (next > i + 1 && std::isupper(static_cast<unsigned char>(comment[next])))) break;
    }
    out.push_back(c == '\n' ? ' ' : c);
  }
  return std::string(Strip(out));
}

}  // namespace sportello::gateway
