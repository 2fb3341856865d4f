// YAML scalars are untyped text; Argo's YAML->JSON step types plain scalars
// by YAML 1.1 rules, which these helpers reproduce where it shows in values.
#include "spec/yaml_util.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

namespace loom::spec {
namespace {

bool IsPlain(const YAML::Node& node) { return node.Tag() == "?"; }

// YAML 1.1 booleans, as go-yaml v2 resolves them.
std::optional<bool> YamlBool(const std::string& text) {
  static const char* const kTrue[] = {"y",  "Y",  "yes",  "Yes",  "YES", "on",
                                      "On", "ON", "true", "True", "TRUE"};
  static const char* const kFalse[] = {"n",   "N",   "no",    "No",    "NO",   "off",
                                       "Off", "OFF", "false", "False", "FALSE"};
  for (const char* t : kTrue) {
    if (text == t) return true;
  }
  for (const char* f : kFalse) {
    if (text == f) return false;
  }
  return std::nullopt;
}

bool IsYamlInt(const std::string& text) {
  size_t i = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (i >= text.size()) return false;
  for (; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::optional<double> YamlFloat(const std::string& text) {
  if (text.empty() || text.find_first_of("0123456789") == std::string::npos) return std::nullopt;
  if (text.find_first_not_of("0123456789+-.eE") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

bool IsNullText(const std::string& text) {
  return text == "~" || text == "null" || text == "Null" || text == "NULL";
}

}  // namespace

SourcePos PosOf(const YAML::Node& node) {
  YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

bool IsUnset(const YAML::Node& node) { return !node.IsDefined() || node.IsNull(); }

std::string ScalarText(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (!IsPlain(node)) return text;
  if (std::optional<bool> b = YamlBool(text)) return *b ? "true" : "false";
  if (IsYamlInt(text)) return text;
  if (std::optional<double> f = YamlFloat(text)) {
    std::string shortest = fmt::format("{}", *f);
    // Go prints without an exponent; keep the text where fmt would use one.
    if (shortest.find_first_of("eE") == std::string::npos) return shortest;
  }
  return text;
}

Json ToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Sequence: {
      Json array = Json::array();
      for (const YAML::Node& item : node) array.push_back(ToJson(item));
      return array;
    }
    case YAML::NodeType::Map: {
      Json object = Json::object();
      for (const auto& entry : node) object[entry.first.Scalar()] = ToJson(entry.second);
      return object;
    }
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& text = node.Scalar();
  if (!IsPlain(node)) return text;
  if (IsNullText(text)) return nullptr;
  if (std::optional<bool> b = YamlBool(text)) return *b;
  if (IsYamlInt(text)) {
    char* end = nullptr;
    long long value = std::strtoll(text.c_str(), &end, 10);
    if (end == text.c_str() + text.size()) return value;
  }
  if (std::optional<double> f = YamlFloat(text)) return *f;
  return text;
}

const char* NodeTypeName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    default:
      return "null";
  }
}

}  // namespace loom::spec
