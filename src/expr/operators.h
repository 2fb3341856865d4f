// expr-lang's operators on values: arithmetic with Go's int/float rules
// (`/` always yields a float, `**` too), string and array `+`, comparisons,
// `in`, `matches` and the string tests. Errors carry no offset; the
// evaluator adds it.
#pragma once

#include <memory>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "expr/regex.h"

namespace loom::expr {

// `a op b` for every binary operator but the short-circuit ones (and, or, ??).
Result<Json> ApplyBinary(std::string_view op, const Json& a, const Json& b);

// `op a` for "!", "-", "+".
Result<Json> ApplyUnary(std::string_view op, const Json& a);

// expr-lang's ==: numbers by value (1 == 1.0), other types must match.
bool ValuesEqual(const Json& a, const Json& b);

// The compiled form of a Go regular expression, cached per thread so a
// pattern used on every step is compiled once.
Result<std::shared_ptr<const Regex>> CompileRegex(const std::string& pattern);

}  // namespace loom::expr
