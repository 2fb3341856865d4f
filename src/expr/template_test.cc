// Tests of `{{...}}` substitution, following Argo's template replacement.
#include "expr/template.h"

#include <gtest/gtest.h>

namespace loom::expr {
namespace {

class TemplateTest : public testing::Test {
 protected:
  TemplateTest() {
    scope_.Set("inputs.parameters.message", "hello");
    scope_.Set("inputs.parameters.count", "3");
    scope_.Set("item", Json{{"os", "debian"}, {"n", 2}});
    scope_.Set("steps.flip-coin.outputs.result", "heads");
    scope_.Set("workflow.parameters.json", R"({"a": "A"})");
    scope_.Set("retries", 2);
  }
  std::string Sub(std::string_view text, Unresolved u = Unresolved::kError) {
    auto r = Substitute(text, scope_, u);
    return r.ok() ? *r : "error: " + r.error();
  }
  Scope scope_;
};

TEST_F(TemplateTest, SimpleTags) {
  EXPECT_EQ(Sub("echo {{inputs.parameters.message}}"), "echo hello");
  EXPECT_EQ(Sub("{{ inputs.parameters.message }}!"), "hello!");
  EXPECT_EQ(Sub("{{inputs.parameters.message}}{{inputs.parameters.count}}"), "hello3");
  EXPECT_EQ(Sub("no tags"), "no tags");
  EXPECT_EQ(Sub(""), "");
}

TEST_F(TemplateTest, NonStringValuesAsCompactJson) {
  EXPECT_EQ(Sub("{{item}}"), R"({"n":2,"os":"debian"})");
  EXPECT_EQ(Sub("{{item.os}}-{{item.n}}"), "debian-2");
  EXPECT_EQ(Sub("retry {{retries}}"), "retry 2");
}

TEST_F(TemplateTest, WhenTextAfterSubstitution) {
  EXPECT_EQ(Sub("{{steps.flip-coin.outputs.result}} == heads"), "heads == heads");
}

TEST_F(TemplateTest, UnresolvedTags) {
  EXPECT_EQ(Sub("{{inputs.parameters.nope}}"),
            "error: failed to resolve {{inputs.parameters.nope}}");
  EXPECT_EQ(Sub("a {{ nope }} b"), "error: failed to resolve {{ nope }}");
  EXPECT_EQ(Sub("a {{ nope }} {{inputs.parameters.message}}", Unresolved::kKeep),
            "a {{ nope }} hello");
}

TEST_F(TemplateTest, TagsThatAreNotVariablesFailLikeArgo) {
  // Argo looks any tag text up as a name; Go-template syntax is no exception.
  EXPECT_EQ(Sub("{{ }}"), "error: failed to resolve {{ }}");
  EXPECT_EQ(Sub("{{ if .x }}"), "error: failed to resolve {{ if .x }}");
  EXPECT_EQ(Sub("{{ if .x }}", Unresolved::kKeep), "{{ if .x }}");
}

TEST_F(TemplateTest, UnterminatedTagIsText) {
  EXPECT_EQ(Sub("a {{inputs.parameters.message"), "a {{inputs.parameters.message");
  EXPECT_EQ(Sub("}} {{"), "}} {{");
}

TEST_F(TemplateTest, NestedTag) { EXPECT_EQ(Sub("{{x{{inputs.parameters.message}}"), "{{xhello"); }

TEST_F(TemplateTest, Expressions) {
  EXPECT_EQ(Sub("{{=jsonpath(workflow.parameters.json, '$.a')}}"), "A");
  EXPECT_EQ(Sub("{{= asInt(inputs.parameters.count) + 1 }}"), "4");
  EXPECT_EQ(Sub("{{=toJson(filter([1, 3], {# > 1}))}}"), "[3]");
  EXPECT_EQ(Sub("{{=filter([1, 3], {# > 1})}}"), "[3]");
  EXPECT_EQ(Sub("{{=2 ** 3}}"), "8");
  EXPECT_EQ(Sub("{{=item.os}}"), "debian");
  EXPECT_EQ(Sub("{{=steps['flip-coin'].outputs.result == 'heads'}}"), "true");
  EXPECT_EQ(Sub("{{=tasks.producer.outputs.parameters.msg ?? 'expr-fallback'}}"), "expr-fallback");
  EXPECT_EQ(Sub("{{=sprig.upper(inputs.parameters.message)}}"), "HELLO");
}

TEST_F(TemplateTest, ExpressionErrors) {
  EXPECT_EQ(Sub("{{=1 +}}"),
            "error: failed to evaluate expression '1 +': unexpected end of expression (offset 3)");
  EXPECT_EQ(Sub("{{=tasks.a.outputs.result}}"),
            "error: failed to evaluate expression 'tasks.a.outputs.result': unknown name tasks "
            "(offset 0)");
  EXPECT_EQ(Sub("{{=inputs.parameters.nope}}"),
            "error: failed to evaluate expression 'inputs.parameters.nope': the result is nil");
}

TEST_F(TemplateTest, KeepLeavesUnresolvedExpressions) {
  EXPECT_EQ(Sub("x {{=tasks.a.outputs.result}} y", Unresolved::kKeep),
            "x {{=tasks.a.outputs.result}} y");
  EXPECT_EQ(Sub("{{=inputs.parameters.nope}}", Unresolved::kKeep), "{{=inputs.parameters.nope}}");
  // Argo keeps these for the exit handler's pass even though `workflow` exists.
  scope_.Set("workflow.name", "wf");
  EXPECT_EQ(Sub("{{=workflow.status == 'Succeeded'}}", Unresolved::kKeep),
            "{{=workflow.status == 'Succeeded'}}");
  EXPECT_EQ(Sub("{{=workflow.status == 'Succeeded'}}"), "false");
  scope_.Set("workflow.status", "Succeeded");
  EXPECT_EQ(Sub("{{=workflow.status == 'Succeeded'}}", Unresolved::kKeep), "true");
  // Not a missing variable: still an error.
  EXPECT_EQ(Sub("{{=1 % 0}}", Unresolved::kKeep),
            "error: failed to evaluate expression '1 % 0': integer divide by zero (offset 2)");
}

TEST(TemplateHelpersTest, HasTags) {
  EXPECT_TRUE(HasTags("a {{b}}"));
  EXPECT_TRUE(HasTags("{{=1}}"));
  EXPECT_FALSE(HasTags("a {{b"));
  EXPECT_FALSE(HasTags("}} {{"));
  EXPECT_FALSE(HasTags("plain"));
}

TEST(TemplateHelpersTest, SimpleTagNames) {
  EXPECT_EQ(SimpleTagNames("{{a.b}} {{ c }} {{=d + 1}} {{e"),
            (std::vector<std::string>{"a.b", "c"}));
  EXPECT_TRUE(SimpleTagNames("none").empty());
}

TEST(TemplateHelpersTest, SoleTagName) {
  EXPECT_EQ(SoleTagName("{{steps.A.outputs.result}}"), "steps.A.outputs.result");
  EXPECT_EQ(SoleTagName("{{ steps.A.outputs.result }}"), "steps.A.outputs.result");
  EXPECT_EQ(SoleTagName("x{{a}}"), "");
  EXPECT_EQ(SoleTagName("{{a}}{{b}}"), "");
  EXPECT_EQ(SoleTagName("{{=a}}"), "");
  EXPECT_EQ(SoleTagName("{{ }}"), "");
}

}  // namespace
}  // namespace loom::expr
