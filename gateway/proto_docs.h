#pragma once
// The comments of the .proto sources, for the OpenAPI document: the
// generated descriptor pool carries none, so protoc also writes a
// FileDescriptorSet with --include_source_info (proto/CMakeLists.txt), which
// the gateway embeds (Embedded()) and reads here.
//
//   const ProtoDocs& docs = ProtoDocs::Embedded();
//   docs.Of(method)  // "Registers an administration. Admin only."
//
// Of() gives the leading comment of a service, method, message, field, enum
// or enum value (for a field or enum value without one, its trailing
// comment), trimmed and with lines joined by '\n'; "" when there is none or
// the name is unknown. Thread-safe after construction.
#include <memory>
#include <string>
#include <string_view>

namespace google::protobuf {
class Descriptor;
class DescriptorPool;
class EnumDescriptor;
class EnumValueDescriptor;
class FieldDescriptor;
class MethodDescriptor;
class ServiceDescriptor;
class SimpleDescriptorDatabase;
}  // namespace google::protobuf

namespace sportello::gateway {

class ProtoDocs {
 public:
  // From the bytes of a FileDescriptorSet; malformed bytes give no comments.
  explicit ProtoDocs(std::string_view descriptor_set);
  ~ProtoDocs();
  ProtoDocs(const ProtoDocs&) = delete;
  ProtoDocs& operator=(const ProtoDocs&) = delete;

  // The descriptor set built into the gateway.
  static const ProtoDocs& Embedded();

  // Descriptors from any pool: matched by full name.
  std::string Of(const google::protobuf::ServiceDescriptor* d) const;
  std::string Of(const google::protobuf::MethodDescriptor* d) const;
  std::string Of(const google::protobuf::Descriptor* d) const;
  std::string Of(const google::protobuf::FieldDescriptor* d) const;
  std::string Of(const google::protobuf::EnumDescriptor* d) const;
  std::string Of(const google::protobuf::EnumValueDescriptor* d) const;

  // How many files the set held (0: no comments available).
  int file_count() const { return file_count_; }

 private:
  std::unique_ptr<google::protobuf::SimpleDescriptorDatabase> database_;
  std::unique_ptr<google::protobuf::DescriptorPool> pool_;
  int file_count_ = 0;
};

// The first sentence of a comment, on one line: up to the first period
// followed by a capital letter or the end (or a blank line), without the
// period: "d.lgs. 33/2013" does not end it.
//   "Registers an administration. Admin only." -> "Registers an administration"
std::string FirstSentence(std::string_view comment);

}  // namespace sportello::gateway
