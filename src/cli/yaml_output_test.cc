// JsonToYaml reads back (through the spec layer's YAML reader) as the same data.
#include "cli/yaml_output.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "engine/status_json.h"
#include "engine/test_statuses.h"
#include "spec/yaml_util.h"

namespace loom::cli {
namespace {

Json ReadBack(const std::string& yaml) { return spec::ToJson(YAML::Load(yaml)); }

TEST(JsonToYaml, StringsThatLookLikeOtherTypesStayStrings) {
  Json value = {{"int", "123"},     {"bool", "true"},
                {"yes", "yes"},     {"null", "null"},
                {"empty", ""},      {"float", "1.5"},
                {"hex", "0x1f"},    {"tilde", "~"},
                {"exp", "1e5"},     {"time", "2026-12-02T05:46:00Z"},
                {"neg", "-7"},      {"colon", "a: b"},
                {"dash", "- x"},    {"hash", "#tag"},
                {"mark", "✔ done"}, {"quote", "say \"hi\""}};
  std::string yaml = JsonToYaml(value);
  EXPECT_EQ(ReadBack(yaml), value) << yaml;
  EXPECT_NE(yaml.find("int: \"123\""), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("bool: \"true\""), std::string::npos) << yaml;
}

TEST(JsonToYaml, TypedScalarsStayTyped) {
  Json value = {
      {"n", 42},    {"negative", -7}, {"half", 1.5},        {"two", 2.0},
      {"on", true}, {"off", false},   {"nothing", nullptr}, {"big", 18446744073709551615u}};
  std::string yaml = JsonToYaml(value);
  Json back = ReadBack(yaml);
  for (const char* key : {"n", "negative", "half", "two", "on", "off", "nothing"}) {
    EXPECT_EQ(back[key], value[key]) << key << " in\n" << yaml;
  }
  EXPECT_NE(yaml.find("nothing: null"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("big: 18446744073709551615"), std::string::npos) << yaml;
}

TEST(JsonToYaml, MultiLineStringsAreLiteralBlocks) {
  Json value = {{"script", "set -e\necho hi\n"},
                {"result", "line one\nline two"},
                {"list", {"a\nb", "c\n"}},
                {"indented", "  starts with spaces\nx"},
                {"blank_end", "two newlines\n\n"}};
  std::string yaml = JsonToYaml(value);
  EXPECT_EQ(ReadBack(yaml), value) << yaml;
  EXPECT_NE(yaml.find("script: |\n  set -e\n  echo hi\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("result: |-\n  line one\n  line two\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("- |-\n"), std::string::npos) << yaml;
}

TEST(JsonToYaml, KeepsKeyOrderAndEmptyCollections) {
  Json value = {{"b", Json::object()}, {"a", Json::array()}, {"c", {{"zeta", 1}, {"eta", 2}}}};
  std::string yaml = JsonToYaml(value);
  EXPECT_EQ(ReadBack(yaml), value) << yaml;
  EXPECT_LT(yaml.find("a:"), yaml.find("b:"));
  EXPECT_LT(yaml.find("eta:"), yaml.find("zeta:"));
  EXPECT_EQ(yaml.back(), '\n');
}

TEST(JsonToYaml, WholeWorkflowRoundTrips) {
  Json document = {{"apiVersion", "argoproj.io/v1alpha1"},
                   {"kind", "Workflow"},
                   {"metadata", {{"name", "wf"}}},
                   {"spec",
                    {{"entrypoint", "main"},
                     {"arguments", {{"parameters", {{{"name", "n"}, {"value", "10"}}}}}}}}};
  Json wf = engine::WorkflowToJson(document, engine::fixtures::StepsStatus());
  EXPECT_EQ(ReadBack(JsonToYaml(wf)), wf);
}

}  // namespace
}  // namespace loom::cli
