// Tests of the JSONPath subset behind Argo's jsonpath() function.
#include "expr/jsonpath.h"

#include <gtest/gtest.h>

namespace loom::expr {
namespace {

const Json& Doc() {
  static const Json doc = Json::parse(R"({
    "store": {"book": [{"title": "A", "price": 8}, {"title": "B", "price": 12}],
              "bicycle": {"color": "red", "price": 19}},
    "a-b": 1
  })");
  return doc;
}

std::string Get(std::string_view path) {
  auto v = JsonPathGet(Doc(), path);
  return v.ok() ? v->dump() : "error: " + v.error();
}

TEST(JsonPathTest, Members) {
  EXPECT_EQ(Get("$.store.bicycle.color"), R"("red")");
  EXPECT_EQ(Get("$['a-b']"), "1");
  EXPECT_EQ(Get("$[\"store\"]['bicycle'].price"), "19");
}

TEST(JsonPathTest, Indexes) {
  EXPECT_EQ(Get("$.store.book[0].title"), R"("A")");
  EXPECT_EQ(Get("$.store.book[-1].title"), R"("B")");
  EXPECT_EQ(Get("$.store.book[0,1].price"), "[8,12]");
  EXPECT_EQ(Get("$.store.book[0:1].title"), R"(["A"])");
}

TEST(JsonPathTest, Wildcards) {
  EXPECT_EQ(Get("$.store.book[*].title"), R"(["A","B"])");
  EXPECT_EQ(Get("$.store.bicycle.*"), R"(["red",19])");
}

TEST(JsonPathTest, RecursiveDescent) {
  // Object members are visited in key order (bicycle before book).
  EXPECT_EQ(Get("$..price"), "[19,8,12]");
  EXPECT_EQ(Get("$..title"), R"(["A","B"])");
}

TEST(JsonPathTest, Errors) {
  EXPECT_EQ(Get("store"), "error: jsonpath: path 'store' must start with $");
  EXPECT_EQ(Get("$.nope"), "error: jsonpath: unknown key nope at offset 6 of '$.nope'");
  EXPECT_EQ(Get("$.store.book[5]"),
            "error: jsonpath: index 5 out of range at offset 15 of '$.store.book[5]'");
  EXPECT_NE(Get("$.store.book[?(@.price > 10)]").find("not supported"), std::string::npos);
  EXPECT_NE(Get("$.store[").find("missing ]"), std::string::npos);
}

}  // namespace
}  // namespace loom::expr
