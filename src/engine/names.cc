// Node ids, loop labels and generated names, as Argo forms them.
#include "engine/names.h"

#include <cstdint>
#include <vector>

namespace loom::engine {

std::string NodeId(const std::string& workflow_name, const std::string& node_name) {
  if (node_name == workflow_name) return workflow_name;
  uint32_t hash = 2166136261u;
  for (unsigned char c : node_name) {
    hash ^= c;
    hash *= 16777619u;
  }
  return workflow_name + "-" + std::to_string(hash);
}

namespace {
std::string ScalarText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}
}  // namespace

std::string ItemLabel(const Json& item) {
  if (!item.is_object()) return ScalarText(item);
  std::string label;
  for (const auto& [key, value] : item.items()) {  // nlohmann::json keeps keys sorted
    if (!label.empty()) label += ",";
    label += key + ":" + ScalarText(value);
  }
  return label;
}

std::string GenerateName(const std::string& prefix, std::mt19937_64& random) {
  static const char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::uniform_int_distribution<int> pick(0, 35);
  std::string name = prefix;
  for (int i = 0; i < 5; ++i) name += kAlphabet[pick(random)];
  return name;
}

}  // namespace loom::engine
