// Walks the YAML tree with the field tables as the guide.
#include "spec/schema_check.h"

#include <fmt/format.h>

#include <set>

#include "spec/schema.h"
#include "spec/suggest.h"
#include "spec/yaml_util.h"

namespace loom::spec {

void SchemaChecker::Error(const YAML::Node& at, std::string message) {
  diagnostics_.push_back({file_, PosOf(at), std::move(message)});
}

void SchemaChecker::CheckObject(const YAML::Node& node, const char* type, const std::string& path) {
  if (IsUnset(node)) return;
  if (!IsMap(node)) {
    Error(node, fmt::format("{} must be a map, not {}", path, NodeTypeName(node)));
    return;
  }
  const ObjectSchema* schema = FindObjectSchema(type);
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const std::string& key = entry.first.Scalar();
    std::string child_path = path.empty() ? key : path + "." + key;
    if (!seen.insert(key).second) {
      Error(entry.first,
            fmt::format("duplicate field '{}' in {}", key, path.empty() ? "document" : path));
      continue;
    }
    const FieldSchema* field = schema->Find(key);
    if (field == nullptr && schema->other_fields_need_kubernetes) {
      kubernetes_fields_.push_back({child_path, PosOf(entry.first)});
      continue;
    }
    if (field == nullptr) {
      std::vector<std::string> known;
      for (const FieldSchema& f : schema->fields) known.push_back(f.name);
      Error(entry.first, fmt::format("unknown field '{}' in {}{}", key,
                                     path.empty() ? "document" : path, DidYouMean(key, known)));
      continue;
    }
    if (field->needs_kubernetes && !IsUnset(entry.second)) {
      kubernetes_fields_.push_back({child_path, PosOf(entry.first)});
    }
    CheckField(entry.second, *field, child_path);
  }
}

void SchemaChecker::CheckField(const YAML::Node& value, const FieldSchema& field,
                               const std::string& path) {
  if (IsUnset(value) || field.shape == Shape::kAny) return;
  auto expect = [&](bool ok, const char* what) {
    if (!ok) Error(value, fmt::format("{} must be {}, not {}", path, what, NodeTypeName(value)));
    return ok;
  };
  switch (field.shape) {
    case Shape::kScalar:
      expect(value.IsScalar(), "a string, number or boolean");
      return;
    case Shape::kObject:
      CheckObject(value, field.type, path);
      return;
    case Shape::kObjectList:
      if (!expect(IsList(value), "a list")) return;
      for (size_t i = 0; i < value.size(); ++i)
        CheckObject(value[i], field.type, fmt::format("{}[{}]", path, i));
      return;
    case Shape::kListOfLists:
      if (!expect(IsList(value), "a list of step groups")) return;
      for (size_t i = 0; i < value.size(); ++i) {
        std::string group_path = fmt::format("{}[{}]", path, i);
        const YAML::Node group = value[i];
        if (!IsList(group)) {
          Error(group, fmt::format("{} must be a list of steps (write '- - name: ...'), not {}",
                                   group_path, NodeTypeName(group)));
          continue;
        }
        for (size_t j = 0; j < group.size(); ++j) {
          CheckObject(group[j], field.type, fmt::format("{}[{}]", group_path, j));
        }
      }
      return;
    case Shape::kScalarList:
      if (!expect(IsList(value), "a list")) return;
      for (size_t i = 0; i < value.size(); ++i) {
        if (!value[i].IsScalar()) {
          Error(value[i],
                fmt::format("{}[{}] must be a string, not {}", path, i, NodeTypeName(value[i])));
        }
      }
      return;
    case Shape::kStringMap:
      if (!expect(IsMap(value), "a map")) return;
      for (const auto& entry : value) {
        if (!IsUnset(entry.second) && !entry.second.IsScalar()) {
          Error(entry.second, fmt::format("{}.{} must be a string, not {}", path,
                                          entry.first.Scalar(), NodeTypeName(entry.second)));
        }
      }
      return;
    case Shape::kObjectMap:
      if (!expect(IsMap(value), "a map")) return;
      for (const auto& entry : value)
        CheckObject(entry.second, field.type, path + "." + entry.first.Scalar());
      return;
    case Shape::kList:
      expect(IsList(value), "a list");
      return;
    case Shape::kAny:
      return;
  }
}

}  // namespace loom::spec
