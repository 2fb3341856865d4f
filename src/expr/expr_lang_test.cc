// Tests of the expr-lang dialect: literals, operators, member access, `??`,
// closures and errors. Expected values follow expr-lang's documentation
// (expr-lang.org/docs/language-definition) and Argo's variables.md.
#include "expr/expr_lang.h"

#include <gtest/gtest.h>

#include "expr/go_format.h"

namespace loom::expr {
namespace {

class ExprLangTest : public testing::Test {
 protected:
  // The result as compact JSON, or "error: ..." .
  std::string Run(std::string_view source) {
    auto v = Evaluate(source, scope_);
    if (!v.ok()) return "error: " + v.error();
    return GoJson(*v);
  }
  std::string Error(std::string_view source) {
    auto v = Evaluate(source, scope_);
    return v.ok() ? "no error, got " + GoJson(*v) : v.error();
  }
  Scope scope_;
};

TEST_F(ExprLangTest, Literals) {
  EXPECT_EQ(Run("42"), "42");
  EXPECT_EQ(Run("1_000"), "1000");
  EXPECT_EQ(Run("0x1F"), "31");
  EXPECT_EQ(Run("2.5"), "2.5");
  EXPECT_EQ(Run("1e3"), "1000");
  EXPECT_EQ(Run("'single'"), R"("single")");
  EXPECT_EQ(Run(R"("dou\"ble\n")"), R"("dou\"ble\n")");
  EXPECT_EQ(Run(R"('\u00e9')"), "\"\xc3\xa9\"");
  EXPECT_EQ(Run("`raw\\n`"), R"("raw\\n")");
  EXPECT_EQ(Run("true"), "true");
  EXPECT_EQ(Run("nil"), "null");
  EXPECT_EQ(Run("[1, 'a', [true]]"), R"([1,"a",[true]])");
  EXPECT_EQ(Run(R"({a: 1, "b-c": 2, 3: 'x'})"), R"({"3":"x","a":1,"b-c":2})");
  EXPECT_EQ(Run("[]"), "[]");
  EXPECT_EQ(Run("[1, 2,]"), "[1,2]");
}

// A chain builds one tree level per operator: a long one is refused, not a
// stack overflow.
TEST_F(ExprLangTest, LongChainsAreRefusedNotOverflowed) {
  std::string sum = "1", members = "a";
  for (int i = 1; i < 100; ++i) sum += "+1";
  EXPECT_EQ(Run(sum), "100");
  for (int i = 1; i < 4000; ++i) sum += "+1";
  for (int i = 0; i < 4000; ++i) members += ".b";
  EXPECT_EQ(Error(sum), "expression nested too deeply");
  EXPECT_EQ(Error(members), "expression nested too deeply");
}

TEST_F(ExprLangTest, Arithmetic) {
  EXPECT_EQ(Run("1 + 2 * 3"), "7");
  EXPECT_EQ(Run("(1 + 2) * 3"), "9");
  EXPECT_EQ(Run("7 / 2"), "3.5");
  EXPECT_EQ(Run("type(6 / 3)"), R"("float")");
  EXPECT_EQ(Run("7 % 3"), "1");
  EXPECT_EQ(Run("-7 % 3"), "-1");
  EXPECT_EQ(Run("2 ** 10"), "1024");
  EXPECT_EQ(Run("type(2 ** 2)"), R"("float")");
  EXPECT_EQ(Run("2 ^ 3 ^ 2"), "512");
  EXPECT_EQ(Run("-2 ** 2"), "-4");
  EXPECT_EQ(Run("1 + 2.5"), "3.5");
  EXPECT_EQ(Run("10 - 2 - 3"), "5");
  EXPECT_EQ(Run("- -3"), "3");
  EXPECT_EQ(Run("+3"), "3");
}

TEST_F(ExprLangTest, ArithmeticErrors) {
  EXPECT_EQ(Error("1 % 0"), "integer divide by zero (offset 2)");
  EXPECT_EQ(Error("'a' - 1"), "invalid operation: - (mismatched types string and int) (offset 4)");
  EXPECT_EQ(Error("1.5 % 2"), "invalid operation: % (mismatched types float and int) (offset 4)");
  EXPECT_EQ(Error("-'a'"), "invalid operation: - (string) (offset 0)");
}

TEST_F(ExprLangTest, Concatenation) {
  EXPECT_EQ(Run("'a' + 'b'"), R"("ab")");
  EXPECT_EQ(Run("[1] + [2, 3]"), "[1,2,3]");
  EXPECT_EQ(Error("'a' + 1"), "invalid operation: + (mismatched types string and int) (offset 4)");
}

TEST_F(ExprLangTest, Comparisons) {
  EXPECT_EQ(Run("1 < 2"), "true");
  EXPECT_EQ(Run("2 <= 1.5"), "false");
  EXPECT_EQ(Run("'abc' < 'abd'"), "true");
  EXPECT_EQ(Run("1 == 1.0"), "true");
  EXPECT_EQ(Run("'1' == 1"), "false");
  EXPECT_EQ(Run("nil == nil"), "true");
  EXPECT_EQ(Run("[1, 2] == [1, 2]"), "true");
  EXPECT_EQ(Run("{a: 1} != {a: 2}"), "true");
  EXPECT_EQ(Error("'1' < 2"), "invalid operation: < (mismatched types string and int) (offset 4)");
}

TEST_F(ExprLangTest, Logic) {
  EXPECT_EQ(Run("true && false"), "false");
  EXPECT_EQ(Run("true and true"), "true");
  EXPECT_EQ(Run("false or true"), "true");
  EXPECT_EQ(Run("false || false"), "false");
  EXPECT_EQ(Run("!true"), "false");
  EXPECT_EQ(Run("not false"), "true");
  EXPECT_EQ(Run("not (1 > 2)"), "true");
  // Short circuit: the right side would fail.
  EXPECT_EQ(Run("false && (1 % 0 == 0)"), "false");
  EXPECT_EQ(Run("true || (1 % 0 == 0)"), "true");
  EXPECT_EQ(Error("1 && true"), "invalid operation: && (mismatched types int and bool) (offset 2)");
  EXPECT_EQ(Error("!1"), "invalid operation: ! (int) (offset 0)");
}

TEST_F(ExprLangTest, StringOperators) {
  EXPECT_EQ(Run("'hello' contains 'ell'"), "true");
  EXPECT_EQ(Run("'hello' startsWith 'he'"), "true");
  EXPECT_EQ(Run("'hello' endsWith 'lo'"), "true");
  EXPECT_EQ(Run("'hello' matches '^h.*o$'"), "true");
  EXPECT_EQ(Run("'hello' matches 'x'"), "false");
  EXPECT_EQ(Run("'Hello' matches '(?i)^hello'"), "true");
  EXPECT_EQ(Run("'hello' not contains 'x'"), "true");
  EXPECT_EQ(Run("'hello' not matches 'h'"), "false");
  EXPECT_EQ(Error("'a' matches '('"), "error parsing regexp: missing closing ): `(` (offset 4)");
}

TEST_F(ExprLangTest, In) {
  EXPECT_EQ(Run("2 in [1, 2, 3]"), "true");
  EXPECT_EQ(Run("2.0 in [1, 2]"), "true");
  EXPECT_EQ(Run("'a' in {a: 1}"), "true");
  EXPECT_EQ(Run("'b' not in {a: 1}"), "true");
  EXPECT_EQ(Run("4 not in [1, 2]"), "true");
}

TEST_F(ExprLangTest, Ranges) {
  EXPECT_EQ(Run("1..4"), "[1,2,3,4]");
  EXPECT_EQ(Run("3..1"), "[]");
  EXPECT_EQ(Run("len(1..10)"), "10");
  EXPECT_NE(Error("1..100000000").find("too large"), std::string::npos);
}

TEST_F(ExprLangTest, Ternary) {
  EXPECT_EQ(Run("1 > 2 ? 'a' : 'b'"), R"("b")");
  EXPECT_EQ(Run("true ? false ? 1 : 2 : 3"), "2");
  EXPECT_EQ(Error("1 ? 2 : 3"), "non-bool expression (type int) used as condition (offset 2)");
}

TEST_F(ExprLangTest, Variables) {
  scope_.Set("inputs.parameters.x", "5");
  scope_.Set("inputs.parameters.my-param", "dash");
  scope_.Set("workflow.name", "wf");
  EXPECT_EQ(Run("inputs.parameters.x"), R"("5")");
  EXPECT_EQ(Run("inputs.parameters['my-param']"), R"("dash")");
  EXPECT_EQ(Run("inputs.parameters.x == 5"), "false");
  EXPECT_EQ(Run("int(inputs.parameters.x) == 5"), "true");
  EXPECT_EQ(Run("workflow.name + '-x'"), R"("wf-x")");
  EXPECT_EQ(Run("inputs.parameters.missing"), "null");
  EXPECT_EQ(Run("inputs"), R"({"parameters":{"my-param":"dash","x":"5"}})");
}

TEST_F(ExprLangTest, UnknownNameIsAnError) {
  EXPECT_EQ(Error("foo + 1"), "unknown name foo (offset 0)");
  EXPECT_EQ(Error("steps.A.outputs.result"), "unknown name steps (offset 0)");
}

TEST_F(ExprLangTest, MemberOfNil) {
  scope_.Set("inputs.parameters.x", "5");
  EXPECT_EQ(Error("inputs.parameters.missing.deeper"), "cannot fetch deeper from nil (offset 25)");
  EXPECT_EQ(Run("inputs.parameters.missing?.deeper"), "null");
  EXPECT_EQ(Run("inputs.parameters?.missing?.deeper.evenDeeper"), "null");
}

TEST_F(ExprLangTest, NilCoalescing) {
  scope_.Set("tasks.other.outputs.result", "r");
  EXPECT_EQ(Run("tasks.producer.outputs.parameters.msg ?? 'expr-fallback'"), R"("expr-fallback")");
  EXPECT_EQ(Run("tasks.other.outputs.result ?? 'fallback'"), R"("r")");
  EXPECT_EQ(Run("undefinedVariable ?? 'x'"), R"("x")");
  EXPECT_EQ(Run("nil ?? 1 ?? 2"), "1");
  EXPECT_EQ(Run("[1][5] ?? 'out'"), R"("out")");
  EXPECT_EQ(Run("false ?? true"), "false");
}

TEST_F(ExprLangTest, MapItemsAndJsonStrings) {
  scope_.Set("item", Json{{"os", "debian"}, {"version", 12}});
  EXPECT_EQ(Run("item.os"), R"("debian")");
  EXPECT_EQ(Run("item.version + 1"), "13");
  EXPECT_EQ(Run("item['os']"), R"("debian")");
}

TEST_F(ExprLangTest, Indexing) {
  EXPECT_EQ(Run("[1, 2, 3][0]"), "1");
  EXPECT_EQ(Run("[1, 2, 3][-1]"), "3");
  EXPECT_EQ(Run("'abc'[1]"), R"("b")");
  EXPECT_EQ(Run("{a: {b: 2}}.a.b"), "2");
  EXPECT_EQ(Run("{a: 1}?.['a']"), "1");
  EXPECT_EQ(Error("[1, 2][2]"), "index out of range: 2 (array length is 2) (offset 6)");
  EXPECT_EQ(Error("[1]['a']"), "cannot use string as an index to array (offset 3)");
  EXPECT_EQ(Error("1 .a"), "cannot fetch a from int (offset 2)");
}

TEST_F(ExprLangTest, Slices) {
  EXPECT_EQ(Run("[1, 2, 3, 4][1:3]"), "[2,3]");
  EXPECT_EQ(Run("[1, 2, 3, 4][:2]"), "[1,2]");
  EXPECT_EQ(Run("[1, 2, 3, 4][2:]"), "[3,4]");
  EXPECT_EQ(Run("[1, 2, 3, 4][-2:]"), "[3,4]");
  EXPECT_EQ(Run("[1, 2, 3][2:1]"), "[]");
  EXPECT_EQ(Run("'hello'[1:3]"), R"("el")");
}

TEST_F(ExprLangTest, Closures) {
  EXPECT_EQ(Run("filter([1, 2, 3], {# > 1})"), "[2,3]");
  EXPECT_EQ(Run("filter([1, 2, 3], # > 1)"), "[2,3]");
  EXPECT_EQ(Run("map([1, 2], {# * 10})"), "[10,20]");
  EXPECT_EQ(Run("map([{x: 1}, {x: 2}], {.x})"), "[1,2]");
  EXPECT_EQ(Run("map([{x: 1}], {#.x})"), "[1]");
  EXPECT_EQ(Run("map(['a', 'b'], {#index})"), "[0,1]");
  EXPECT_EQ(Run("all([1, 2], {# > 0})"), "true");
  EXPECT_EQ(Run("any([1, 2], {# > 1})"), "true");
  EXPECT_EQ(Run("none([1, 2], {# > 2})"), "true");
  EXPECT_EQ(Run("one([1, 2], {# > 1})"), "true");
  EXPECT_EQ(Run("count([1, 2, 3], {# > 1})"), "2");
  EXPECT_EQ(Run("find([1, 2, 3], {# > 1})"), "2");
  EXPECT_EQ(Run("findIndex([1, 2, 3], {# > 1})"), "1");
  EXPECT_EQ(Run("findLast([1, 2, 3], {# > 1})"), "3");
  EXPECT_EQ(Run("findLastIndex([1, 2, 3], {# > 5})"), "-1");
  EXPECT_EQ(Run("sum([1, 2, 3], {# * 2})"), "12");
  EXPECT_EQ(Run("reduce([1, 2, 3], {#acc + #}, 10)"), "16");
  EXPECT_EQ(Run("groupBy([1, 2, 3], {# % 2})"), R"({"0":[2],"1":[1,3]})");
  EXPECT_EQ(Run("sortBy([{n: 2}, {n: 1}], {.n})"), R"([{"n":1},{"n":2}])");
  EXPECT_EQ(Run("map(filter([1, 2, 3], {# > 1}), {# + 1})"), "[3,4]");
  EXPECT_EQ(Error("filter([1], {# + 1})"), "predicate should return bool, got int (offset 0)");
  EXPECT_EQ(Error("filter(1, {true})"), "cannot iterate over int in filter (offset 0)");
  EXPECT_EQ(Error("# > 1"), "cannot use # outside of a closure (offset 0)");
}

TEST_F(ExprLangTest, Pipes) {
  EXPECT_EQ(Run("[1, 2, 3] | filter(# > 1) | map(# * 2)"), "[4,6]");
  EXPECT_EQ(Run("'  x ' | trim()"), R"("x")");
  EXPECT_EQ(Run("'a' | upper"), R"("A")");
  EXPECT_EQ(Run("[1, 2, 3] | filter({# > 1}) | count({# > 2})"), "1");
  EXPECT_EQ(Run("[{n: 2}, {n: 1}] | sortBy(.n, 'desc') | map(.n)"), "[2,1]");
}

TEST_F(ExprLangTest, ArgoDocumentedExamples) {
  scope_.Set("workflow.parameters.json", R"({"a": "value-a", "b": [1, 2]})");
  scope_.Set("lastRetry.exitCode", "2");
  scope_.Set("lastRetry.status", "Failed");
  scope_.Set("retries", "1");
  EXPECT_EQ(Run("jsonpath(workflow.parameters.json, '$.a')"), R"("value-a")");
  EXPECT_EQ(Run(R"(asInt(lastRetry.exitCode) > 1 && lastRetry.status != "Error")"), "true");
  EXPECT_EQ(Run("toJson(filter([1, 3], {# > 1}))"), R"("[3]")");
  EXPECT_EQ(Run("asInt(retries) < 3"), "true");
  EXPECT_EQ(Run("sprig.trim('  x ')"), R"("x")");
}

TEST_F(ExprLangTest, SyntaxErrorsGiveOffsets) {
  EXPECT_EQ(Error("1 +"), "unexpected end of expression (offset 3)");
  EXPECT_EQ(Error("(1 + 2"), "expected ')' but the expression ended (offset 6)");
  EXPECT_EQ(Error("1 2"), "unexpected token '2' (offset 2)");
  EXPECT_EQ(Error("'abc"), "literal not terminated (offset 0)");
  EXPECT_EQ(Error("1 @ 2"), "unexpected character '@' (offset 2)");
  EXPECT_EQ(Error("nosuchfunc(1)"), "unknown func nosuchfunc (offset 0)");
  EXPECT_TRUE(CheckSyntax("a.b + c['d'] ?? 1").ok());
  EXPECT_FALSE(CheckSyntax("a +* b").ok());
}

TEST_F(ExprLangTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(1000, '(');
  EXPECT_NE(Error(deep + "1" + std::string(1000, ')')).find("too deeply"), std::string::npos);
  std::string longChain = "1";
  for (int i = 0; i < 6000; ++i) longChain += "+1";
  EXPECT_NE(Error(longChain).find("too long"), std::string::npos);
}

TEST(AsBoolTest, OnlyBoolsAreBools) {
  EXPECT_TRUE(*AsBool(Json(true), "x"));
  EXPECT_FALSE(*AsBool(Json(false), "x"));
  auto r = AsBool(Json("true"), "a ? 'true' : 'x'");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error(), "expression 'a ? 'true' : 'x'' did not yield a boolean: got true (string)");
  EXPECT_FALSE(AsBool(Json(1), "1").ok());
}

}  // namespace
}  // namespace loom::expr
