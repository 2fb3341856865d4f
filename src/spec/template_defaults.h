// `spec.templateDefaults`, merged into every template before it is read, as
// Argo's mergedTemplateDefaultsInto does: fields a template sets win, maps
// merge key by key, lists and scalars are replaced whole.
#pragma once

#include <yaml-cpp/yaml.h>

namespace loom::spec {

// Adds the fields of `defaults` that `tmpl` lacks, in place. Nodes taken
// from `defaults` are shared, not copied, so they keep their positions.
void MergeTemplateDefaults(const YAML::Node& defaults, YAML::Node tmpl);

}  // namespace loom::spec
