// Tests of the govaluate dialect as Argo's `when` uses it: bare words are
// strings, numbers are float64, and errors read as Argo reports them.
#include "expr/govaluate.h"

#include <gtest/gtest.h>

#include "expr/go_format.h"

namespace loom::expr {
namespace {

std::string When(std::string_view e) {
  auto r = EvaluateWhen(e);
  if (!r.ok()) return "error: " + r.error();
  return *r ? "true" : "false";
}

std::string Value(std::string_view e) {
  auto r = EvaluateGovaluate(e);
  if (!r.ok()) return "error: " + r.error();
  return GoJson(*r);
}

TEST(GovaluateTest, BareWordsAreStrings) {
  EXPECT_EQ(When("heads == heads"), "true");
  EXPECT_EQ(When("tails == heads"), "false");
  EXPECT_EQ(When("tails != heads"), "true");
  EXPECT_EQ(When("Succeeded == Succeeded"), "true");
  EXPECT_EQ(When("my_var2 == my_var2"), "true");
  EXPECT_EQ(When("[weird var] == 'weird var'"), "true");
}

TEST(GovaluateTest, Quoting) {
  EXPECT_EQ(When("'hello' == \"hello\""), "true");
  EXPECT_EQ(When("'it\\'s' == \"it's\""), "true");
}

TEST(GovaluateTest, Numbers) {
  EXPECT_EQ(When("5 > 3"), "true");
  EXPECT_EQ(When("1.5 <= 1.4"), "false");
  EXPECT_EQ(When("2 == 2.0"), "true");
  EXPECT_EQ(Value("1 + 2 * 3"), "7");
  EXPECT_EQ(Value("(1 + 2) * 3"), "9");
  EXPECT_EQ(Value("7 / 2"), "3.5");
  EXPECT_EQ(Value("7 % 4"), "3");
  EXPECT_EQ(Value("2 ** 3"), "8");
  EXPECT_EQ(Value("-3 + 1"), "-2");
  EXPECT_EQ(Value("0x10"), "16");
  EXPECT_EQ(Value("6 & 3"), "2");
  EXPECT_EQ(Value("6 | 3"), "7");
  EXPECT_EQ(Value("6 ^ 3"), "5");
  EXPECT_EQ(Value("1 << 4"), "16");
  EXPECT_EQ(Value("~0"), "-1");
}

TEST(GovaluateTest, Strings) {
  EXPECT_EQ(When("'abc' < 'abd'"), "true");
  EXPECT_EQ(Value("'a' + 'b'"), R"("ab")");
  EXPECT_EQ(Value("'a' + 1"), R"("a1")");
  EXPECT_EQ(Value("1.5 + 'x'"), R"("1.5x")");
  EXPECT_EQ(Value("a - b"),
            "error: Value 'a' cannot be used with the modifier '-', it is not a number");
  EXPECT_EQ(Value("'a' > 1"),
            "error: Value 'a' cannot be used with the comparator '>', it is not a number");
}

TEST(GovaluateTest, Regex) {
  EXPECT_EQ(When("'hello' =~ 'h.*'"), "true");
  EXPECT_EQ(When("'hello' !~ '^x'"), "true");
  EXPECT_EQ(When("hello =~ '^h'"), "true");
  EXPECT_NE(Value("'a' =~ '('").find("Unable to compile regexp pattern '('"), std::string::npos);
}

TEST(GovaluateTest, Logic) {
  EXPECT_EQ(When("true && false"), "false");
  EXPECT_EQ(When("true || false"), "true");
  EXPECT_EQ(When("!false"), "true");
  EXPECT_EQ(When("a == a && (b == c || 1 < 2)"), "true");
  EXPECT_EQ(When("false && 'x'"), "false");
  EXPECT_EQ(Value("'x' && true"),
            "error: Value 'x' cannot be used with the logical operator '&&', it is not a bool");
  EXPECT_EQ(Value("!'x'"), "error: Value 'x' cannot be used with the prefix '!'");
}

TEST(GovaluateTest, InAndTernary) {
  EXPECT_EQ(When("b in (a, b, c)"), "true");
  EXPECT_EQ(When("2 in (1, 3)"), "false");
  EXPECT_EQ(Value("true ? 'y' : 'n'"), R"("y")");
  EXPECT_EQ(Value("false ? 'y' : 'n'"), R"("n")");
  EXPECT_EQ(Value("false ? 'y'"), "null");
  EXPECT_EQ(Value("1 ? 'y' : 'n'"),
            "error: Value '1' cannot be used with the ternary operator '?', it is not a bool");
}

TEST(GovaluateTest, ParseErrors) {
  EXPECT_EQ(When("a == "),
            "error: Invalid 'when' expression 'a == ': Unexpected end of expression");
  EXPECT_EQ(When("(a == a"), "error: Invalid 'when' expression '(a == a': Unbalanced parenthesis");
  EXPECT_EQ(When("a ==-1"),
            "error: Invalid 'when' expression 'a ==-1': Invalid token: '==-' (hint: try wrapping "
            "the affected "
            "expression in quotes (\"))");
  EXPECT_EQ(When("heads tails"),
            "error: Invalid 'when' expression 'heads tails': Cannot transition token types from "
            "VARIABLE [heads] to "
            "VARIABLE [tails]");
  EXPECT_EQ(When("'abc == abc"),
            "error: Invalid 'when' expression ''abc == abc': Unclosed string literal");
  EXPECT_EQ(When("1.2.3 == 1.2.3"),
            "error: Invalid 'when' expression '1.2.3 == 1.2.3': Unable to parse numeric value "
            "'1.2.3' to float64\n");
}

TEST(GovaluateTest, UnsubstitutedAccessorFailsAtEvaluation) {
  EXPECT_EQ(When("steps.flip.outputs.result == heads"),
            "error: Failed to evaluate 'when' expression 'steps.flip.outputs.result == heads': No "
            "parameter 'steps' found.");
}

TEST(GovaluateTest, NonBoolResult) {
  EXPECT_EQ(When("1 + 1"), "error: Expected boolean evaluation for '1 + 1'. Got 2");
  EXPECT_EQ(When("heads"), "error: Expected boolean evaluation for 'heads'. Got heads");
}

TEST(GovaluateTest, EmptyWhenIsTrue) { EXPECT_EQ(When(""), "true"); }

TEST(GovaluateTest, DeepNestingIsAnError) {
  std::string deep(1000, '(');
  EXPECT_NE(When(deep + "true" + std::string(1000, ')')).find("too deeply"), std::string::npos);
}

// A chain builds one tree level per operator: a long one is refused, not a
// stack overflow (found by the fuzz replay under AddressSanitizer).
std::string Chain(int terms, const std::string& op) {
  std::string text = "1";
  for (int i = 1; i < terms; ++i) text += op + "1";
  return text;
}

TEST(GovaluateTest, LongChainsAreRefusedNotOverflowed) {
  EXPECT_EQ(Value(Chain(100, "+")), "100");
  EXPECT_EQ(Value(Chain(4000, "+")), "error: expression nested too deeply");
}

}  // namespace
}  // namespace loom::expr
