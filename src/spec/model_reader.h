// Turns a shape-checked YAML document into the typed model. Runs after
// SchemaChecker, so it may assume every field has the right shape; what it
// still checks is scalar content (booleans, integers).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "spec/diagnostic.h"
#include "spec/workflow.h"

namespace loom::spec {

class ModelReader {
 public:
  ModelReader(std::string file, Diagnostics& diagnostics)
      : file_(std::move(file)), diagnostics_(diagnostics) {}

  // Reads a WorkflowSpec (templateDefaults already merged into templates).
  WorkflowSpec ReadSpec(const YAML::Node& node);
  ObjectMeta ReadMeta(const YAML::Node& node);

 private:
  Template ReadTemplate(const YAML::Node& node);
  Invocation ReadInvocation(const YAML::Node& node);
  std::vector<Hook> ReadHooks(const YAML::Node& node);
  Arguments ReadArguments(const YAML::Node& node);
  std::vector<Parameter> ReadParameters(const YAML::Node& node);
  std::vector<Artifact> ReadArtifacts(const YAML::Node& node);
  Container ReadContainer(const YAML::Node& node);
  RetryStrategy ReadRetry(const YAML::Node& node);
  std::vector<std::string> ReadEmptyDirs(const YAML::Node& node);
  std::optional<Synchronization> ReadSynchronization(const YAML::Node& node);

  std::optional<bool> Bool(const YAML::Node& node, const char* key);
  std::optional<int> Int(const YAML::Node& node, const char* key);

  std::string file_;
  Diagnostics& diagnostics_;
};

}  // namespace loom::spec
