// Argo's naming of nodes: ids derived from names, loop item labels, and
// generated workflow names.
#pragma once

#include <random>
#include <string>

#include "base/json.h"

namespace loom::engine {

// A node's id: the workflow name for the root, else "<workflow>-<fnv32a(name)>".
std::string NodeId(const std::string& workflow_name, const std::string& node_name);

// The label a loop item gets in a node name: "hello world", "5", or for a map
// item its `key:value` pairs sorted by key and joined by ",".
std::string ItemLabel(const Json& item);

// A name from a generateName prefix: the prefix and 5 random [a-z0-9].
std::string GenerateName(const std::string& prefix, std::mt19937_64& random);

}  // namespace loom::engine
