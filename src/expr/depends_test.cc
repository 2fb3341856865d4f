// Tests of the enhanced depends logic (Argo docs/enhanced-depends-logic.md).
#include "expr/depends.h"

#include <gtest/gtest.h>

#include <map>

namespace loom::expr {
namespace {

TaskResults Succeeded() {
  TaskResults r;
  r.succeeded = true;
  return r;
}
TaskResults Failed() {
  TaskResults r;
  r.failed = true;
  return r;
}
TaskResults Skipped() {
  TaskResults r;
  r.skipped = true;
  return r;
}

bool Eval(std::string_view source, std::map<std::string, TaskResults> results) {
  auto e = DependsExpression::Parse(source);
  EXPECT_TRUE(e.ok()) << e.error();
  if (!e.ok()) return false;
  return e->Evaluate([&](const std::string& t) { return results[t]; });
}

TEST(DependsTest, BareNameMeansSucceededSkippedOrDaemoned) {
  EXPECT_TRUE(Eval("A", {{"A", Succeeded()}}));
  EXPECT_TRUE(Eval("A", {{"A", Skipped()}}));
  TaskResults daemoned;
  daemoned.daemoned = true;
  EXPECT_TRUE(Eval("A", {{"A", daemoned}}));
  EXPECT_FALSE(Eval("A", {{"A", Failed()}}));
}

TEST(DependsTest, Results) {
  EXPECT_TRUE(Eval("A.Failed", {{"A", Failed()}}));
  EXPECT_FALSE(Eval("A.Succeeded", {{"A", Skipped()}}));
  TaskResults r;
  r.errored = true;
  EXPECT_TRUE(Eval("A.Errored", {{"A", r}}));
  r = {};
  r.omitted = true;
  EXPECT_TRUE(Eval("A.Omitted", {{"A", r}}));
  r = {};
  r.any_succeeded = true;
  EXPECT_TRUE(Eval("A.AnySucceeded", {{"A", r}}));
  r = {};
  r.all_failed = true;
  EXPECT_TRUE(Eval("A.AllFailed", {{"A", r}}));
}

TEST(DependsTest, DocumentedExample) {
  // depends: "A && (C.Succeeded || C.Failed)" from the Argo docs.
  EXPECT_TRUE(Eval("A && (C.Succeeded || C.Failed)", {{"A", Succeeded()}, {"C", Failed()}}));
  EXPECT_FALSE(Eval("A && (C.Succeeded || C.Failed)", {{"A", Failed()}, {"C", Failed()}}));
  EXPECT_FALSE(Eval("A && (C.Succeeded || C.Failed)", {{"A", Succeeded()}, {"C", Skipped()}}));
}

TEST(DependsTest, NotAndPrecedence) {
  EXPECT_TRUE(Eval("!A.Failed", {{"A", Succeeded()}}));
  EXPECT_TRUE(Eval("!!A", {{"A", Succeeded()}}));
  // && binds tighter than ||.
  EXPECT_TRUE(Eval("A.Succeeded || B.Succeeded && C.Succeeded",
                   {{"A", Succeeded()}, {"B", Failed()}, {"C", Failed()}}));
  EXPECT_FALSE(
      Eval("(A.Succeeded || B.Succeeded) && C.Succeeded", {{"A", Succeeded()}, {"C", Failed()}}));
}

TEST(DependsTest, TaskNamesWithDashesAndDigits) {
  auto e = DependsExpression::Parse("flip-coin.Succeeded && 2nd_step || flip-coin.Failed");
  ASSERT_TRUE(e.ok()) << e.error();
  EXPECT_EQ(e->tasks(), (std::vector<std::string>{"flip-coin", "2nd_step"}));
}

TEST(DependsTest, EvaluateAsksEachTaskOnce) {
  auto e = DependsExpression::Parse("A.Succeeded || A.Failed || A.Skipped");
  ASSERT_TRUE(e.ok());
  int calls = 0;
  e->Evaluate([&](const std::string&) {
    ++calls;
    return Skipped();
  });
  EXPECT_EQ(calls, 1);
}

TEST(DependsTest, Errors) {
  auto expect_error = [](std::string_view src, std::string_view want) {
    auto e = DependsExpression::Parse(src);
    ASSERT_FALSE(e.ok()) << src;
    EXPECT_EQ(e.error(), want);
  };
  expect_error("A &&", "invalid depends 'A &&': unexpected end at offset 4");
  expect_error("A & B", "invalid depends 'A & B': unexpected '&' at offset 2");
  expect_error("(A", "invalid depends '(A': unexpected end at offset 2");
  expect_error("A B", "invalid depends 'A B': unexpected 'B' at offset 2");
  expect_error("-A", "invalid depends '-A': unexpected '-' at offset 0");
  expect_error("A.Done",
               "invalid depends 'A.Done': unknown task result 'Done' at offset 2 (want one of "
               "Succeeded, Failed, "
               "Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed)");
}

}  // namespace
}  // namespace loom::expr
