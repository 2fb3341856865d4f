// Encoding and decoding of object rows; see object_row.h.
#include "store/object_row.h"

#include <utility>

#include "store/header_row.h"

namespace loom::store {

ObjectRow EncodeObject(const StoredObject& object) {
  ObjectRow row;
  row.kind = object.kind;
  row.namespace_ = object.namespace_;
  row.name = object.name;
  row.uid = object.uid;
  row.created_at = object.created_at;
  row.version = object.version;
  row.document = DumpJson(object.document);
  row.status = DumpJson(object.status);
  return row;
}

Result<StoredObject> DecodeObject(ObjectRow row) {
  StoredObject object;
  object.kind = std::move(row.kind);
  object.namespace_ = std::move(row.namespace_);
  object.name = std::move(row.name);
  object.uid = std::move(row.uid);
  object.created_at = row.created_at;
  object.version = row.version;
  std::string what = object.kind + " " + object.namespace_ + "/" + object.name;
  auto document = ParseJson(row.document, "document of " + what);
  if (!document.ok()) return document.status();
  object.document = std::move(*document);
  auto status = ParseJson(row.status, "status of " + what);
  if (!status.ok()) return status.status();
  object.status = std::move(*status);
  return object;
}

}  // namespace loom::store
