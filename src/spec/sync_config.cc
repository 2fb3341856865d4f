// Reading the file of ConfigMaps that holds semaphore limits.
#include "spec/sync_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "spec/diagnostic.h"
#include "spec/yaml_util.h"

namespace loom::spec {

namespace {

constexpr char kHowToConfigure[] =
    "semaphore limits are ConfigMaps in a file: loom run/server --sync-config FILE, or "
    "$LOOM_HOME/synchronization.yaml (see docs/SYNCHRONIZATION.md)";

}  // namespace

Result<int> SyncConfig::SemaphoreLimit(const std::string& namespace_, const std::string& name,
                                       const std::string& key) const {
  if (file_.empty()) {
    return Result<int>::Error(
        fmt::format("no ConfigMap {} in namespace {}: {}", name, namespace_, kHowToConfigure));
  }
  auto config_map = config_maps_.find(namespace_ + "/" + name);
  if (config_map == config_maps_.end()) {
    return Result<int>::Error(
        fmt::format("{} has no ConfigMap {} in namespace {}", file_, name, namespace_));
  }
  auto value = config_map->second.find(key);
  if (value == config_map->second.end()) {
    return Result<int>::Error(fmt::format("ConfigMap {} in {} has no key {}", name, file_, key));
  }
  const std::string& text = value->second.text;
  int limit = 0;
  size_t used = 0;
  try {
    limit = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || limit < 1) {
    return Result<int>::Error(Diagnostic{
        file_, value->second.pos,
        fmt::format("key {} of ConfigMap {} is '{}', not a positive integer", key, name, text)}
                                  .ToString());
  }
  return limit;
}

Result<SyncConfig> ParseSyncConfig(std::string_view text, const std::string& file) {
  SyncConfig config;
  config.file_ = file;
  Diagnostics problems;
  auto error = [&](const YAML::Node& at, std::string message) {
    problems.push_back({file, PosOf(at), std::move(message)});
  };
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    SourcePos pos = e.mark.is_null() ? SourcePos{} : SourcePos{e.mark.line + 1, e.mark.column + 1};
    return Result<SyncConfig>::Error(
        Diagnostic{file, pos, fmt::format("invalid YAML: {}", e.msg)}.ToString());
  }
  for (const YAML::Node& doc : docs) {
    if (IsUnset(doc)) continue;
    if (!IsMap(doc)) {
      error(doc, fmt::format("a document must be a ConfigMap, not {}", NodeTypeName(doc)));
      continue;
    }
    const YAML::Node kind = Get(doc, "kind");
    if (IsUnset(kind) || !kind.IsScalar() || kind.Scalar() != "ConfigMap") {
      error(IsUnset(kind) ? doc : kind,
            fmt::format("kind must be ConfigMap (semaphore limits), not '{}'",
                        !IsUnset(kind) && kind.IsScalar() ? kind.Scalar() : ""));
      continue;
    }
    const YAML::Node api = Get(doc, "apiVersion");
    if (!IsUnset(api) && (!api.IsScalar() || api.Scalar() != "v1")) {
      error(api, "apiVersion of a ConfigMap must be v1");
    }
    const YAML::Node metadata = Get(doc, "metadata");
    const YAML::Node name = Get(metadata, "name");
    if (IsUnset(name) || !name.IsScalar() || name.Scalar().empty()) {
      error(IsUnset(metadata) ? doc : metadata, "a ConfigMap needs metadata.name");
      continue;
    }
    const YAML::Node namespace_node = Get(metadata, "namespace");
    std::string namespace_ =
        !IsUnset(namespace_node) && namespace_node.IsScalar() ? namespace_node.Scalar() : "default";
    std::string id = namespace_ + "/" + name.Scalar();
    if (config.config_maps_.count(id)) {
      error(name,
            fmt::format("ConfigMap {} in namespace {} is given twice", name.Scalar(), namespace_));
      continue;
    }
    auto& data = config.config_maps_[id];
    const YAML::Node values = Get(doc, "data");
    if (!IsUnset(values) && !IsMap(values)) {
      error(values, fmt::format("data must be a map, not {}", NodeTypeName(values)));
      continue;
    }
    if (IsUnset(values)) continue;
    for (const auto& entry : values) {
      if (!entry.second.IsScalar()) {
        error(entry.second, fmt::format("data.{} must be a string, not {}", entry.first.Scalar(),
                                        NodeTypeName(entry.second)));
        continue;
      }
      data[entry.first.Scalar()] = {entry.second.Scalar(), PosOf(entry.second)};
    }
  }
  if (!problems.empty()) {
    std::string message;
    for (const Diagnostic& d : problems) message += (message.empty() ? "" : "\n") + d.ToString();
    return Result<SyncConfig>::Error(message);
  }
  return config;
}

Result<SyncConfig> LoadSyncConfig(const std::string& flag, const std::string& default_path) {
  std::string path = flag;
  if (path.empty()) {
    std::error_code ignored;
    if (!std::filesystem::exists(default_path, ignored)) return SyncConfig();
    path = default_path;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Result<SyncConfig>::Error(
        fmt::format("{}: cannot read synchronization config: {}", path, std::strerror(errno)));
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseSyncConfig(buffer.str(), path);
}

}  // namespace loom::spec
