// Tests that values print as Argo's Go code prints them.
#include "expr/go_format.h"

#include <gtest/gtest.h>

namespace loom::expr {
namespace {

TEST(GoFormatTest, JsonMarshalIsCompactAndSorted) {
  Json v = Json::parse(R"({"b": [1, 2.5, "x"], "a": {"z": null, "y": true}})");
  EXPECT_EQ(GoJson(v), R"({"a":{"y":true,"z":null},"b":[1,2.5,"x"]})");
}

TEST(GoFormatTest, JsonMarshalFloats) {
  EXPECT_EQ(GoJson(Json(8.0)), "8");
  EXPECT_EQ(GoJson(Json(0.1)), "0.1");
  EXPECT_EQ(GoJson(Json(1e21)), "1e+21");
  EXPECT_EQ(GoJson(Json(1e20)), "100000000000000000000");
  EXPECT_EQ(GoJson(Json(0.0000001)), "1e-7");
  EXPECT_EQ(GoJson(Json(-2.5)), "-2.5");
}

TEST(GoFormatTest, JsonMarshalEscapesHtml) {
  EXPECT_EQ(GoJson(Json("a<b>&\"\n")), R"("a\u003cb\u003e\u0026\"\n")");
}

TEST(GoFormatTest, JsonMarshalIndent) {
  EXPECT_EQ(GoJsonIndent(Json::parse(R"({"a":[1,2]})")), "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
  EXPECT_EQ(GoJsonIndent(Json::array()), "[]");
}

TEST(GoFormatTest, PercentV) {
  EXPECT_EQ(GoString(Json(1e6)), "1e+06");
  EXPECT_EQ(GoString(Json(123456.0)), "123456");
  EXPECT_EQ(GoString(Json(3.0)), "3");
  EXPECT_EQ(GoString(Json(0.0001)), "0.0001");
  EXPECT_EQ(GoString(Json(0.00001)), "1e-05");
  EXPECT_EQ(GoString(Json()), "<nil>");
  EXPECT_EQ(GoString(Json::parse("[1, \"a\", true]")), "[1 a true]");
  EXPECT_EQ(GoString(Json::parse(R"({"b": 2, "a": 1})")), "map[a:1 b:2]");
}

TEST(GoFormatTest, TypeNames) {
  EXPECT_EQ(TypeName(Json(1)), "int");
  EXPECT_EQ(TypeName(Json::parse("1")), "int");
  EXPECT_EQ(TypeName(Json(1.5)), "float");
  EXPECT_EQ(TypeName(Json()), "nil");
  EXPECT_EQ(TypeName(Json::object()), "map");
}

}  // namespace
}  // namespace loom::expr
