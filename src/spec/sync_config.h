// Where semaphore limits come from. In Kubernetes a semaphore's limit is a
// key of a ConfigMap; Loom has no cluster, so it reads the same ConfigMaps
// from a file: YAML documents as `kubectl apply` would take them
//
//   apiVersion: v1
//   kind: ConfigMap
//   metadata: {name: my-config, namespace: default}   # namespace: default if absent
//   data: {workflow: "1", template: "2"}
//
// (`loom run --sync-config FILE`, `loom server --sync-config FILE`, or
// $LOOM_HOME/synchronization.yaml when it exists). Values are read when a
// semaphore is first used, as Argo reads its ConfigMap then, so keys that
// are not limits may sit beside those that are.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/result.h"
#include "spec/workflow.h"

namespace loom::spec {

class SyncConfig {
 public:
  // No file: every semaphore lacks a limit (mutexes need none).
  SyncConfig() = default;

  // The limit in `key` of ConfigMap `name` in `namespace_`: a positive
  // integer, or an error saying which file, ConfigMap or key is missing or wrong.
  Result<int> SemaphoreLimit(const std::string& namespace_, const std::string& name,
                             const std::string& key) const;

  const std::string& file() const { return file_; }

 private:
  friend Result<SyncConfig> ParseSyncConfig(std::string_view text, const std::string& file);
  struct Value {
    std::string text;
    SourcePos pos;
  };
  std::string file_;
  std::map<std::string, std::map<std::string, Value>> config_maps_;  // "<namespace>/<name>" -> data
};

// Reads ConfigMap documents; errors are "file:line:col: error: ..." lines
// (anything other than a ConfigMap with a name, a ConfigMap given twice).
Result<SyncConfig> ParseSyncConfig(std::string_view text, const std::string& file);

// The config `flag` names (it must exist), else `default_path` if that file
// exists, else none.
Result<SyncConfig> LoadSyncConfig(const std::string& flag, const std::string& default_path);

}  // namespace loom::spec
