// A stored object (a WorkflowTemplate, ClusterWorkflowTemplate or
// CronWorkflow) as the backends keep it: one row of the `objects` table,
// its JSON fields as text, encoded on the caller's thread so that the
// writer thread only moves bytes.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"
#include "store/store.h"

namespace loom::store {

struct ObjectRow {
  std::string kind;
  std::string namespace_;
  std::string name;
  std::string uid;
  Millis created_at = 0;
  int64_t version = 0;
  std::string document;  // JSON
  std::string status;    // JSON
};

ObjectRow EncodeObject(const StoredObject& object);
Result<StoredObject> DecodeObject(ObjectRow row);

}  // namespace loom::store
