// The shape of every Argo object Loom reads: which fields each object type
// accepts and what each field holds. One table per object type, taken from
// Argo's field reference, including fields Loom ignores, so that every valid
// Argo document passes the shape check.
#pragma once

#include <string_view>
#include <vector>

namespace loom::spec {

enum class Shape {
  kScalar,       // string, number or bool
  kObject,       // an object of `type`
  kObjectList,   // a list of objects of `type`
  kListOfLists,  // a list of lists of objects of `type` (steps)
  kScalarList,   // a list of scalars
  kStringMap,    // a map of scalars (labels, requests)
  kObjectMap,    // a map of objects of `type` (hooks)
  kList,         // a list of anything (withItems)
  kAny,          // anything (fields Loom does not read into its model)
};

struct FieldSchema {
  const char* name;
  Shape shape;
  const char* type = nullptr;     // for kObject, kObjectList, kListOfLists, kObjectMap
  bool needs_kubernetes = false;  // rejected for a local run (see KubernetesField)
};

struct ObjectSchema {
  const char* name;
  std::vector<FieldSchema> fields;
  // Kubernetes volume sources are many; any other field is accepted but
  // needs Kubernetes.
  bool other_fields_need_kubernetes = false;

  const FieldSchema* Find(std::string_view field) const;
};

// The table of `type` ("Template", "WorkflowStep", ...); nullptr if unknown.
const ObjectSchema* FindObjectSchema(std::string_view type);

}  // namespace loom::spec
