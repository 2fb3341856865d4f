// Tests of expr-lang's builtins and Argo's functions (asInt, asFloat,
// toJson, jsonpath), with expectations from their documentation.
#include <gtest/gtest.h>

#include "expr/expr_lang.h"
#include "expr/go_format.h"

namespace loom::expr {
namespace {

std::string Show(std::string_view source) {
  Scope scope;
  auto v = Evaluate(source, scope);
  if (!v.ok()) return "error: " + v.error();
  return GoJson(*v);
}

TEST(BuiltinsTest, Len) {
  EXPECT_EQ(Show("len('héllo')"), "5");
  EXPECT_EQ(Show("len([1, 2])"), "2");
  EXPECT_EQ(Show("len({a: 1})"), "1");
  EXPECT_EQ(Show("len(1)"), "error: len: invalid argument for len (type int) (offset 0)");
}

TEST(BuiltinsTest, Conversions) {
  EXPECT_EQ(Show("int('42')"), "42");
  EXPECT_EQ(Show("int(3.9)"), "3");
  EXPECT_EQ(Show("int('1.5')"),
            R"(error: int: strconv.ParseInt: parsing "1.5": invalid syntax (offset 0))");
  EXPECT_EQ(Show("float('1.5')"), "1.5");
  EXPECT_EQ(Show("float(2)"), "2");
  EXPECT_EQ(Show("type(float(2))"), R"("float")");
  EXPECT_EQ(Show("string(1.5)"), R"("1.5")");
  EXPECT_EQ(Show("string([1, 'a'])"), R"("[1 a]")");
  EXPECT_EQ(Show("string(nil)"), R"("\u003cnil\u003e")");
  EXPECT_EQ(Show("abs(-3)"), "3");
  EXPECT_EQ(Show("abs(-2.5)"), "2.5");
}

TEST(BuiltinsTest, Strings) {
  EXPECT_EQ(Show("trim('  a  ')"), R"("a")");
  EXPECT_EQ(Show("trim('__a__', '_')"), R"("a")");
  EXPECT_EQ(Show("trimPrefix('v1.2', 'v')"), R"("1.2")");
  EXPECT_EQ(Show("trimSuffix('a.txt', '.txt')"), R"("a")");
  EXPECT_EQ(Show("upper('abc')"), R"("ABC")");
  EXPECT_EQ(Show("lower('ABC')"), R"("abc")");
  EXPECT_EQ(Show("split('a,b,c', ',')"), R"(["a","b","c"])");
  EXPECT_EQ(Show("splitAfter('a,b', ',')"), R"(["a,","b"])");
  EXPECT_EQ(Show("join(['a', 'b'], '-')"), R"("a-b")");
  EXPECT_EQ(Show("join(['a', 'b'])"), R"("ab")");
  EXPECT_EQ(Show("replace('aXbX', 'X', '.')"), R"("a.b.")");
  EXPECT_EQ(Show("repeat('ab', 3)"), R"("ababab")");
  EXPECT_EQ(Show("indexOf('hello', 'l')"), "2");
  EXPECT_EQ(Show("lastIndexOf('hello', 'l')"), "3");
  EXPECT_EQ(Show("indexOf('hello', 'z')"), "-1");
  EXPECT_EQ(Show("hasPrefix('hello', 'he')"), "true");
  EXPECT_EQ(Show("hasSuffix('hello', 'he')"), "false");
}

TEST(BuiltinsTest, Collections) {
  EXPECT_EQ(Show("keys({b: 1, a: 2})"), R"(["a","b"])");
  EXPECT_EQ(Show("values({b: 1, a: 2})"), "[2,1]");
  EXPECT_EQ(Show("first([3, 4])"), "3");
  EXPECT_EQ(Show("last([3, 4])"), "4");
  EXPECT_EQ(Show("first([])"), "null");
  EXPECT_EQ(Show("reverse([1, 2])"), "[2,1]");
  EXPECT_EQ(Show("uniq([1, 1, 2])"), "[1,2]");
  EXPECT_EQ(Show("concat([1], [2, 3])"), "[1,2,3]");
  EXPECT_EQ(Show("sort([3, 1, 2])"), "[1,2,3]");
  EXPECT_EQ(Show("sort(['b', 'a'], 'desc')"), R"(["b","a"])");
  EXPECT_EQ(Show("get({a: 1}, 'a')"), "1");
  EXPECT_EQ(Show("get([1], 5)"), "null");
}

TEST(BuiltinsTest, Math) {
  EXPECT_EQ(Show("min(3, 1, 2)"), "1");
  EXPECT_EQ(Show("max([1, 5.5, 2])"), "5.5");
  EXPECT_EQ(Show("sum([1, 2, 3])"), "6");
  EXPECT_EQ(Show("sum([1, 2.5])"), "3.5");
  EXPECT_EQ(Show("mean([1, 2])"), "1.5");
  EXPECT_EQ(Show("median([3, 1, 2])"), "2");
  EXPECT_EQ(Show("round(2.5)"), "3");
  EXPECT_EQ(Show("floor(2.7)"), "2");
  EXPECT_EQ(Show("ceil(2.1)"), "3");
}

TEST(BuiltinsTest, Encodings) {
  EXPECT_EQ(Show("toJSON({b: [1, 2]})"), R"("{\n  \"b\": [\n    1,\n    2\n  ]\n}")");
  EXPECT_EQ(Show(R"(fromJSON('{"a": [1, 2]}').a[1])"), "2");
  EXPECT_EQ(Show("toBase64('hello')"), R"("aGVsbG8=")");
  EXPECT_EQ(Show("fromBase64('aGVsbG8=')"), R"("hello")");
  EXPECT_EQ(Show("fromBase64('a')"),
            "error: fromBase64: illegal base64 data: wrong length (offset 0)");
  EXPECT_EQ(Show("type({})"), R"("map")");
  EXPECT_EQ(Show("type([])"), R"("array")");
  EXPECT_EQ(Show("type(nil)"), R"("nil")");
}

TEST(BuiltinsTest, ArgCounts) {
  EXPECT_EQ(Show("upper()"),
            "error: upper: not enough arguments to call upper (want 1, got 0) (offset 0)");
  EXPECT_EQ(Show("len(1, 2)"),
            "error: len: too many arguments to call len (want 1, got 2) (offset 0)");
}

TEST(ArgoFunctionsTest, AsInt) {
  EXPECT_EQ(Show("asInt('42')"), "42");
  EXPECT_EQ(Show("asInt(7)"), "7");
  EXPECT_EQ(Show("asInt('1.52')"),
            R"(error: asInt: strconv.ParseInt: parsing "1.52": invalid syntax (offset 0))");
  EXPECT_EQ(Show("asInt('')"),
            R"(error: asInt: strconv.ParseInt: parsing "": invalid syntax (offset 0))");
}

TEST(ArgoFunctionsTest, AsFloat) {
  EXPECT_EQ(Show("asFloat('1.52')"), "1.52");
  EXPECT_EQ(Show("asFloat('2') + 1"), "3");
  EXPECT_EQ(Show("asFloat('x')"),
            R"(error: asFloat: strconv.ParseFloat: parsing "x": invalid syntax (offset 0))");
}

TEST(ArgoFunctionsTest, ToJsonIsGoMarshal) {
  EXPECT_EQ(Show("toJson({b: 1, a: 'x<y'})"), R"("{\"a\":\"x\\u003cy\",\"b\":1}")");
  EXPECT_EQ(Show("toJson([1, 2.0])"), R"("[1,2]")");
  EXPECT_EQ(Show("toJson('s')"), R"("\"s\"")");
}

TEST(ArgoFunctionsTest, JsonPath) {
  EXPECT_EQ(Show(R"(jsonpath('{"a": {"b": [10, 20]}}', '$.a.b[1]'))"), "20");
  EXPECT_EQ(Show(R"(jsonpath('{"a": 1}', '$'))"), R"({"a":1})");
  EXPECT_EQ(Show(R"(jsonpath('[1, 2]', '$[*]'))"), "[1,2]");
  EXPECT_NE(Show(R"(jsonpath('not json', '$.a'))").find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace loom::expr
