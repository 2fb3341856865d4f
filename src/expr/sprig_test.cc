// Tests of the sprig functions as Argo exposes them (`sprig.name(...)`), with
// sprig's argument order and lenient conversions.
#include <gtest/gtest.h>

#include "expr/expr_lang.h"
#include "expr/go_format.h"

namespace loom::expr {
namespace {

std::string Show(std::string_view source) {
  Scope scope;
  scope.Set("inputs.parameters.tag", "v1.2.3");
  scope.Set("inputs.parameters.empty", "");
  auto v = Evaluate(source, scope);
  if (!v.ok()) return "error: " + v.error();
  return GoJson(*v);
}

TEST(SprigTest, Strings) {
  EXPECT_EQ(Show("sprig.trim('  a ')"), R"("a")");
  EXPECT_EQ(Show("sprig.upper('a')"), R"("A")");
  EXPECT_EQ(Show("sprig.lower('A')"), R"("a")");
  EXPECT_EQ(Show("sprig.title('hello world')"), R"("Hello World")");
  EXPECT_EQ(Show("sprig.replace('-', '_', 'a-b-c')"), R"("a_b_c")");
  EXPECT_EQ(Show("sprig.contains('ell', 'hello')"), "true");
  EXPECT_EQ(Show("sprig.hasPrefix('he', 'hello')"), "true");
  EXPECT_EQ(Show("sprig.hasSuffix('lo', 'hello')"), "true");
  EXPECT_EQ(Show("sprig.trimPrefix('v', inputs.parameters.tag)"), R"("1.2.3")");
  EXPECT_EQ(Show("sprig.trimSuffix('.3', inputs.parameters.tag)"), R"("v1.2")");
  EXPECT_EQ(Show("sprig.nospace(' a b ')"), R"("ab")");
  EXPECT_EQ(Show("sprig.repeat(3, 'x')"), R"("xxx")");
  EXPECT_EQ(Show("sprig.substr(1, 3, 'hello')"), R"("el")");
  EXPECT_EQ(Show("sprig.trunc(2, 'hello')"), R"("he")");
  EXPECT_EQ(Show("sprig.trunc(-2, 'hello')"), R"("lo")");
  EXPECT_EQ(Show("sprig.cat('a', 1, nil, true)"), R"("a 1 true")");
  EXPECT_EQ(Show("sprig.indent(2, 'a\\nb')"), R"("  a\n  b")");
  EXPECT_EQ(Show("sprig.quote('a\"b')"), R"("\"a\\\"b\"")");
  EXPECT_EQ(Show("sprig.squote('a')"), R"("'a'")");
}

TEST(SprigTest, Lists) {
  EXPECT_EQ(Show("sprig.splitList(',', 'a,b')"), R"(["a","b"])");
  EXPECT_EQ(Show("sprig.split(',', 'a,b')"), R"({"_0":"a","_1":"b"})");
  EXPECT_EQ(Show("sprig.join('-', sprig.list(1, 'a'))"), R"("1-a")");
  EXPECT_EQ(Show("sprig.dict('a', 1, 'b')"), R"({"a":1,"b":""})");
  EXPECT_EQ(Show("sprig.has(2, [1, 2])"), "true");
}

TEST(SprigTest, DefaultsAndEmptiness) {
  EXPECT_EQ(Show("sprig.default('x', inputs.parameters.empty)"), R"("x")");
  EXPECT_EQ(Show("sprig.default('x', 'given')"), R"("given")");
  EXPECT_EQ(Show("sprig.empty('')"), "true");
  EXPECT_EQ(Show("sprig.empty(0)"), "true");
  EXPECT_EQ(Show("sprig.empty([1])"), "false");
  EXPECT_EQ(Show("sprig.coalesce('', nil, 'z')"), R"("z")");
  EXPECT_EQ(Show("sprig.ternary('yes', 'no', 1 > 0)"), R"("yes")");
}

TEST(SprigTest, Numbers) {
  EXPECT_EQ(Show("sprig.add(1, '2')"), "3");
  EXPECT_EQ(Show("sprig.sub(5, 7)"), "-2");
  EXPECT_EQ(Show("sprig.mul(3, 4)"), "12");
  EXPECT_EQ(Show("sprig.div(7, 2)"), "3");
  EXPECT_EQ(Show("sprig.mod(7, 2)"), "1");
  EXPECT_EQ(Show("sprig.div(1, 0)"), "error: sprig.div: integer divide by zero (offset 0)");
  EXPECT_EQ(Show("sprig.max(1, 5, 3)"), "5");
  EXPECT_EQ(Show("sprig.min(4, 2)"), "2");
  EXPECT_EQ(Show("sprig.int('12')"), "12");
  EXPECT_EQ(Show("sprig.int('junk')"), "0");
  EXPECT_EQ(Show("sprig.int64(2.9)"), "2");
  EXPECT_EQ(Show("sprig.float64('2.5')"), "2.5");
  EXPECT_EQ(Show("sprig.atoi('7')"), "7");
  EXPECT_EQ(Show("sprig.toString(1.5)"), R"("1.5")");
  EXPECT_EQ(Show("sprig.add1(1)"), "2");
}

TEST(SprigTest, Encodings) {
  EXPECT_EQ(Show("sprig.toJson({a: 1})"), R"("{\"a\":1}")");
  EXPECT_EQ(Show(R"(sprig.fromJson('{"a": 2}').a)"), "2");
  EXPECT_EQ(Show("sprig.fromJson('bad')"), R"("")");
  EXPECT_EQ(Show("sprig.mustFromJson('bad')"),
            "error: sprig.mustFromJson: invalid JSON (offset 0)");
  EXPECT_EQ(Show("sprig.b64enc('hi')"), R"("aGk=")");
  EXPECT_EQ(Show("sprig.b64dec('aGk=')"), R"("hi")");
}

TEST(SprigTest, UnknownFunction) {
  EXPECT_EQ(Show("sprig.nope(1)"), "error: unknown func sprig.nope (offset 0)");
}

}  // namespace
}  // namespace loom::expr

namespace loom::expr {
namespace {

TEST(SprigDate, FormatsAnRfc3339TimestampWithAGoLayout) {
  Scope scope;
  scope.Set("workflow.creationTimestamp", "2026-11-22T13:44:17Z");
  auto year = Evaluate("sprig.date('2006', workflow.creationTimestamp)", scope);
  ASSERT_TRUE(year.ok()) << year.error();
  EXPECT_EQ(*year, "2026");
  auto full =
      Evaluate("sprig.date('2006-01-02 15:04:05 Mon Jan', workflow.creationTimestamp)", scope);
  ASSERT_TRUE(full.ok()) << full.error();
  EXPECT_EQ(*full, "2026-11-22 13:44:17 Sun Nov");
}

}  // namespace
}  // namespace loom::expr
