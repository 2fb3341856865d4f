// Reading yaml-cpp nodes the way Argo reads the same YAML (through JSON):
// positions, scalars as Argo's AnyString would see them, and conversion to Json.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "base/json.h"
#include "spec/workflow.h"

namespace loom::spec {

// 1-based position of `node`; {0, 0} for nodes built in memory.
SourcePos PosOf(const YAML::Node& node);

// The text of a scalar as Argo keeps it: strings unchanged; plain YAML 1.1
// booleans (yes/on/True...) as "true"/"false"; plain floats in Go's shortest
// form ("1.50" -> "1.5", "2.0" -> "2").
std::string ScalarText(const YAML::Node& node);

// True for an absent or `null` node: Go treats both as an unset field.
bool IsUnset(const YAML::Node& node);

// Type tests that are false (not throwing) for a missing key's node.
inline bool IsMap(const YAML::Node& node) { return node.IsDefined() && node.IsMap(); }
inline bool IsList(const YAML::Node& node) { return node.IsDefined() && node.IsSequence(); }

// node[key], or an unset node when `node` is not a map or lacks `key`;
// unlike operator[], safe to chain and to query.
inline YAML::Node Get(const YAML::Node& node, const char* key) {
  if (!IsMap(node)) return YAML::Node();
  const YAML::Node child = node[key];
  return child.IsDefined() ? child : YAML::Node();
}

// A YAML tree as Json: plain numbers become numbers, plain booleans
// booleans, quoted scalars strings.
Json ToJson(const YAML::Node& node);

// "a map", "a list", "a scalar", for type errors.
const char* NodeTypeName(const YAML::Node& node);

}  // namespace loom::spec
