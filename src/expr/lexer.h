// Splits an expr-lang expression into tokens, each with its byte offset so
// errors can point at it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace loom::expr {

struct Token {
  enum Kind { kEnd, kInt, kFloat, kString, kIdent, kOperator, kPointer };
  Kind kind = kEnd;
  std::string text;  // identifier, operator, unescaped string, pointer name
  size_t offset = 0;
  int64_t int_value = 0;
  double float_value = 0;
};

// The tokens of `source`, ending with a kEnd token.
Result<std::vector<Token>> Lex(std::string_view source);

}  // namespace loom::expr
