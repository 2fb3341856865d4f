// Parses expr-lang source into a Node tree, with expr-lang's operator
// precedence (`??` binds tightest, then `**`, `* / %`, `+ -`, `..`,
// comparisons, `and`, `or`, `|`, and the ternary `?:` loosest).
#pragma once

#include <string_view>

#include "base/result.h"
#include "expr/ast.h"

namespace loom::expr {

// The tree of `source`; errors name the unexpected token and its offset.
Result<std::shared_ptr<const Node>> Parse(std::string_view source);

// True for builtins whose second argument is a closure ({# > 1}).
bool TakesClosure(std::string_view function);

}  // namespace loom::expr
