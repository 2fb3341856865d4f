// Syntax check of `{{=...}}` expression tags. Until loom::expr::CheckSyntax
// (src/expr/expr_lang.h) is implemented this only checks that brackets and
// quotes balance; switch the body to expr::CheckSyntax once it exists.
#pragma once

#include <string_view>

#include "base/result.h"

namespace loom::spec {

Status CheckExpressionSyntax(std::string_view expression);

}  // namespace loom::spec
