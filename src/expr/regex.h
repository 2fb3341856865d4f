// Regular expressions with RE2's guarantee, as Go's regexp (which Argo uses
// for `matches` and `=~`) gives: matching time is linear in the text, so a
// pattern like `(a*)*b` or a 256 KiB step output cannot hang or overflow the
// stack as a backtracking engine (std::regex) would. Supports Go's common
// syntax: literals, `.`, classes `[a-z\d]` and `[^...]`, `\d \w \s \D \W \S`,
// `\b \B`, `^ $ \A \z`, groups `( )` `(?: )`, `|`, `* + ? {n,m}` (lazy forms
// accepted), and the flags `(?i) (?s) (?m)`. Works on bytes: `.` matches one
// byte, not one UTF-8 character.
#pragma once

#include <bitset>
#include <memory>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace loom::expr {

class Regex {
 public:
  // Errors read like Go's: "error parsing regexp: missing closing ): `(a`".
  static Result<std::shared_ptr<const Regex>> Compile(std::string_view pattern);

  // True if the pattern matches anywhere in `text` (Go's MatchString).
  bool Search(std::string_view text) const;

  struct Inst {
    enum Op {
      kByte,
      kSplit,
      kJmp,
      kMatch,
      kBol,
      kEol,
      kBot,
      kEot,
      kWordBoundary,
      kNotWordBoundary
    } op;
    int x = 0;  // kByte: index into classes_; kSplit/kJmp: target
    int y = 0;  // kSplit: second target
  };

 private:
  friend class RegexCompiler;
  std::vector<Inst> program_;
  std::vector<std::bitset<256>> classes_;
};

}  // namespace loom::expr
