// Recursive map merge over yaml-cpp nodes.
#include "spec/template_defaults.h"

#include "spec/yaml_util.h"

namespace loom::spec {

void MergeTemplateDefaults(const YAML::Node& defaults, YAML::Node tmpl) {
  if (!IsMap(defaults) || !IsMap(tmpl)) return;
  for (const auto& entry : defaults) {
    const std::string& key = entry.first.Scalar();
    // A template's name is its own; defaults never rename it.
    if (key == "name") continue;
    YAML::Node own = tmpl[key];
    if (!own.IsDefined() || IsUnset(own)) {
      tmpl[key] = entry.second;
    } else if (IsMap(own) && IsMap(entry.second)) {
      MergeTemplateDefaults(entry.second, own);
    }
  }
}

}  // namespace loom::spec
