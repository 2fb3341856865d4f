// Bracket and quote balance: the part of expr-lang syntax that needs no parser.
#include "spec/expression_check.h"

#include <fmt/format.h>

#include <string>

namespace loom::spec {

Status CheckExpressionSyntax(std::string_view expression) {
  std::string open;
  char quote = 0;
  for (size_t i = 0; i < expression.size(); ++i) {
    char c = expression[i];
    if (quote != 0) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '"' || c == '\'' || c == '`') {
      quote = c;
    } else if (c == '(' || c == '[' || c == '{') {
      open.push_back(c);
    } else if (c == ')' || c == ']' || c == '}') {
      char want = c == ')' ? '(' : c == ']' ? '[' : '{';
      if (open.empty() || open.back() != want) {
        return Status::Error(
            fmt::format("unbalanced '{}' at offset {} in expression '{}'", c, i, expression));
      }
      open.pop_back();
    }
  }
  if (quote != 0)
    return Status::Error(fmt::format("unterminated string in expression '{}'", expression));
  if (!open.empty())
    return Status::Error(fmt::format("unclosed '{}' in expression '{}'", open.back(), expression));
  return Status::Ok();
}

}  // namespace loom::spec
