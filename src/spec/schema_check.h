// Checks a YAML tree against the field tables of schema.h before it is read
// into the model: unknown fields (with "did you mean"), duplicate keys, and
// values of the wrong shape, each reported at the offending node. Also notes
// where fields that need Kubernetes were written.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "spec/diagnostic.h"
#include "spec/workflow.h"

namespace loom::spec {

class SchemaChecker {
 public:
  explicit SchemaChecker(std::string file) : file_(std::move(file)) {}

  // Checks `node`, an object of `type` found at `path` ("spec.templates[0]").
  void CheckObject(const YAML::Node& node, const char* type, const std::string& path);

  Diagnostics& diagnostics() { return diagnostics_; }
  std::vector<KubernetesField>& kubernetes_fields() { return kubernetes_fields_; }

 private:
  void CheckField(const YAML::Node& value, const struct FieldSchema& field,
                  const std::string& path);
  void Error(const YAML::Node& at, std::string message);

  std::string file_;
  Diagnostics diagnostics_;
  std::vector<KubernetesField> kubernetes_fields_;
};

}  // namespace loom::spec
