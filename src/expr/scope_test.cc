// Tests of variable lookup and the environments expressions see.
#include "expr/scope.h"

#include <gtest/gtest.h>

namespace loom::expr {
namespace {

TEST(ScopeTest, FindsExactNames) {
  Scope scope;
  scope.Set("inputs.parameters.x", "5");
  ASSERT_NE(scope.Find("inputs.parameters.x"), nullptr);
  EXPECT_EQ(*scope.Find("inputs.parameters.x"), "5");
  EXPECT_EQ(scope.Find("inputs.parameters.y"), nullptr);
  EXPECT_EQ(scope.Find("inputs.parameters"), nullptr);
}

TEST(ScopeTest, MissInChildContinuesInParent) {
  Scope global;
  global.Set("workflow.name", "wf-1");
  Scope step(&global);
  step.Set("inputs.parameters.x", "1");
  EXPECT_EQ(*step.Find("workflow.name"), "wf-1");
  EXPECT_EQ(global.Find("inputs.parameters.x"), nullptr);
}

TEST(ScopeTest, ChildShadowsParent) {
  Scope global;
  global.Set("item", "outer");
  Scope step(&global);
  step.Set("item", "inner");
  EXPECT_EQ(*step.Find("item"), "inner");
  EXPECT_EQ(*global.Find("item"), "outer");
}

TEST(ScopeTest, DescendsIntoMapItems) {
  Scope scope;
  scope.Set("item", Json{{"os", "debian"}, {"version", 12}});
  EXPECT_EQ(*scope.Find("item.os"), "debian");
  EXPECT_EQ(*scope.Find("item.version"), 12);
  EXPECT_EQ(scope.Find("item.arch"), nullptr);
}

TEST(ScopeTest, DescendsIntoJsonStrings) {
  Scope scope;
  scope.Set("item", R"({"image": "debian", "tags": ["a", "b"]})");
  EXPECT_EQ(*scope.Find("item.image"), "debian");
  EXPECT_EQ(*scope.Find("item.tags.1"), "b");
  EXPECT_EQ(*scope.Find("item"), R"({"image": "debian", "tags": ["a", "b"]})");
}

TEST(ScopeTest, PlainStringIsNotDescended) {
  Scope scope;
  scope.Set("item", "debian");
  EXPECT_EQ(scope.Find("item.os"), nullptr);
}

TEST(ScopeTest, ResetReplacesParsedJson) {
  Scope scope;
  scope.Set("item", R"({"a": 1})");
  scope.Set("item", "plain");
  EXPECT_EQ(scope.Find("item.a"), nullptr);
}

TEST(ScopeTest, EnvironmentNestsOnlyVariablesUnderTheRoot) {
  Scope scope;
  scope.Set("inputs.parameters.x", "1");
  scope.Set("inputs.parameters.y", "2");
  scope.Set("inputs.artifacts.a.path", "/tmp/a");
  scope.Set("inputsx", "not under inputs");
  scope.Set("workflow.name", "wf");
  Json env = scope.Environment("inputs");
  EXPECT_EQ(env, (Json{{"parameters", {{"x", "1"}, {"y", "2"}}},
                       {"artifacts", {{"a", {{"path", "/tmp/a"}}}}}}));
}

TEST(ScopeTest, EnvironmentOfUnknownRootIsNull) {
  Scope scope;
  scope.Set("workflow.name", "wf");
  EXPECT_TRUE(scope.Environment("steps").is_null());
}

TEST(ScopeTest, EnvironmentObjectWinsOverValue) {
  Scope scope;
  scope.Set("steps.A.outputs.parameters", R"({"p":"old"})");
  scope.Set("steps.A.outputs.parameters.p", "x");
  Json env = scope.Environment("steps");
  EXPECT_EQ(env["A"]["outputs"]["parameters"], (Json{{"p", "x"}}));
}

TEST(ScopeTest, EnvironmentMergesMapValueWithLongerNames) {
  Scope scope;
  scope.Set("item", Json{{"a", 1}});
  scope.Set("item.b", 2);
  EXPECT_EQ(scope.Environment("item"), (Json{{"a", 1}, {"b", 2}}));
}

TEST(ScopeTest, EnvironmentOfLeafIsItsValue) {
  Scope scope;
  scope.Set("retries", 3);
  EXPECT_EQ(scope.Environment("retries"), 3);
}

TEST(ScopeTest, EnvironmentPrefersNearerScope) {
  Scope global;
  global.Set("inputs.parameters.x", "outer");
  global.Set("inputs.parameters.z", "only-outer");
  Scope step(&global);
  step.Set("inputs.parameters.x", "inner");
  EXPECT_EQ(step.Environment("inputs"),
            (Json{{"parameters", {{"x", "inner"}, {"z", "only-outer"}}}}));
}

TEST(ScopeTest, HasUnder) {
  Scope global;
  global.Set("tasks.A.outputs.result", "r");
  Scope step(&global);
  EXPECT_TRUE(step.HasUnder("tasks"));
  EXPECT_TRUE(step.HasUnder("tasks.A"));
  EXPECT_TRUE(step.HasUnder("tasks.A.outputs.result"));
  EXPECT_FALSE(step.HasUnder("tasks.B"));
  EXPECT_FALSE(step.HasUnder("task"));
}

TEST(ScopeTest, CopyKeepsIndex) {
  Scope original;
  original.Set("item", R"({"a": 1})");
  original.Set("inputs.parameters.x", "1");
  Scope copy = original;
  original.Set("inputs.parameters.x", "2");
  EXPECT_EQ(*copy.Find("item.a"), 1);
  EXPECT_EQ(copy.Environment("inputs"), (Json{{"parameters", {{"x", "1"}}}}));
}

TEST(ScopeTest, ForEachVisitsShadowedNameOnce) {
  Scope global;
  global.Set("a", 1);
  global.Set("b", 2);
  Scope step(&global);
  step.Set("a", 3);
  int count = 0;
  Json a;
  step.ForEach([&](const std::string& name, const Json& value) {
    ++count;
    if (name == "a") a = value;
  });
  EXPECT_EQ(count, 2);
  EXPECT_EQ(a, 3);
}

}  // namespace
}  // namespace loom::expr
