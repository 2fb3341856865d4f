// Tests of the linear-time regex engine against Go regexp's answers.
#include "expr/regex.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace loom::expr {
namespace {

bool Match(std::string_view pattern, std::string_view text) {
  auto re = Regex::Compile(pattern);
  EXPECT_TRUE(re.ok()) << pattern << ": " << re.error();
  return re.ok() && (*re)->Search(text);
}

std::string CompileError(std::string_view pattern) {
  auto re = Regex::Compile(pattern);
  return re.ok() ? "compiled" : re.error();
}

TEST(RegexTest, LiteralsSearchAnywhere) {
  EXPECT_TRUE(Match("ell", "hello"));
  EXPECT_FALSE(Match("elo", "hello"));
  EXPECT_TRUE(Match("", "anything"));
  EXPECT_TRUE(Match("a.c", "xabcx"));
  EXPECT_FALSE(Match("a.c", "a\nc"));
  EXPECT_TRUE(Match("(?s)a.c", "a\nc"));
}

TEST(RegexTest, Anchors) {
  EXPECT_TRUE(Match("^h.*o$", "hello"));
  EXPECT_FALSE(Match("^ello", "hello"));
  EXPECT_FALSE(Match("^b$", "a\nb"));
  EXPECT_TRUE(Match("(?m)^b$", "a\nb"));
  EXPECT_TRUE(Match("\\Aab\\z", "ab"));
  EXPECT_TRUE(Match("\\bcat\\b", "a cat!"));
  EXPECT_FALSE(Match("\\bcat\\b", "concat"));
  EXPECT_TRUE(Match("\\Bcat", "concat"));
}

TEST(RegexTest, RepetitionAndAlternation) {
  EXPECT_TRUE(Match("^ab*c$", "ac"));
  EXPECT_TRUE(Match("^ab+c$", "abbbc"));
  EXPECT_FALSE(Match("^ab+c$", "ac"));
  EXPECT_TRUE(Match("^ab?c$", "abc"));
  EXPECT_TRUE(Match("^(cat|dog)s?$", "dogs"));
  EXPECT_FALSE(Match("^(cat|dog)$", "cow"));
  EXPECT_TRUE(Match("^a{2,3}$", "aaa"));
  EXPECT_FALSE(Match("^a{2,3}$", "aaaa"));
  EXPECT_TRUE(Match("^a{2,}$", "aaaaa"));
  EXPECT_TRUE(Match("^a{2}$", "aa"));
  EXPECT_TRUE(Match("^a*?b$", "aab"));
  EXPECT_TRUE(Match("x{", "x{"));
}

TEST(RegexTest, Classes) {
  EXPECT_TRUE(Match("^[a-c]+$", "abcab"));
  EXPECT_FALSE(Match("^[a-c]+$", "abd"));
  EXPECT_TRUE(Match("^[^0-9]+$", "abc"));
  EXPECT_TRUE(Match("^\\d+\\.\\d+$", "1.52"));
  EXPECT_TRUE(Match("^\\w+$", "snake_case1"));
  EXPECT_TRUE(Match("\\s", "a b"));
  EXPECT_TRUE(Match("^[\\d.]+$", "1.2.3"));
  EXPECT_TRUE(Match("^[]a]+$", "]a"));
  EXPECT_TRUE(Match("^[a-]+$", "a-"));
  EXPECT_TRUE(Match("(?i)^HeLLo$", "hello"));
  EXPECT_TRUE(Match("^(?i:ab)c$", "ABc"));
  EXPECT_FALSE(Match("^(?i:ab)c$", "ABC"));
  EXPECT_TRUE(Match("^(?P<name>a+)$", "aa"));
}

TEST(RegexTest, ErrorsReadLikeGo) {
  EXPECT_EQ(CompileError("("), "error parsing regexp: missing closing ): `(`");
  EXPECT_EQ(CompileError("a)"), "error parsing regexp: unexpected ): `a)`");
  EXPECT_EQ(CompileError("[a"), "error parsing regexp: missing closing ]: `[a`");
  EXPECT_EQ(CompileError("*a"),
            "error parsing regexp: missing argument to repetition operator: `*a`");
  EXPECT_EQ(CompileError("a**"), "error parsing regexp: invalid nested repetition operator: `a**`");
  EXPECT_EQ(CompileError("a{1001}"), "error parsing regexp: invalid repeat count: `a{1001}`");
  EXPECT_EQ(CompileError("[z-a]"), "error parsing regexp: invalid character class range: `[z-a]`");
  EXPECT_EQ(CompileError("\\q"), "error parsing regexp: invalid escape sequence: `\\q`");
}

TEST(RegexTest, PathologicalPatternsStayLinear) {
  std::string text(100000, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(Match("(a*)*b", text));
  EXPECT_FALSE(Match("(a|aa)+$x", text));
  EXPECT_TRUE(Match("^.*$", text));
  EXPECT_TRUE(Match("(x+x+)+y|a$", text));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(5));
}

}  // namespace
}  // namespace loom::expr
