// An evaluator for the expr-lang dialect Argo uses in `{{=...}}` tags,
// `when` expressions containing them, retryStrategy.expression,
// valueFrom.expression and fromExpression. Includes Argo's functions (asInt,
// asFloat, string, toJson, jsonpath, sprig.*) and expr-lang's builtins
// (len, filter, map, all, any, ...). Values are Json; nil is Json(nullptr).
#pragma once

#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "expr/scope.h"

namespace loom::expr {

// Evaluates `source` with the variables of `scope`. Errors say what went
// wrong and where in the expression (its character offset).
Result<Json> Evaluate(std::string_view source, const Scope& scope);

// Only parses `source`: for validation without running. Ok when it parses.
Status CheckSyntax(std::string_view source);

// Truthiness Argo applies to an expression's result where a bool is wanted.
Result<bool> AsBool(const Json& value, std::string_view source);

}  // namespace loom::expr
