// `{{...}}` substitution, as Argo does it in every string field of a template:
//   {{inputs.parameters.x}}   a variable from the scope (spaces inside are allowed)
//   {{=expr}}                 an expr-lang expression over the scope
// A string value is inserted as is; any other value as compact JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "expr/scope.h"

namespace loom::expr {

enum class Unresolved {
  kError,  // an unknown variable is an error: "failed to resolve {{name}}"
  kKeep,   // leave the tag as written (for a later pass)
};

// Replaces every tag in `text`. Errors name the tag and why it failed.
Result<std::string> Substitute(std::string_view text, const Scope& scope,
                               Unresolved unresolved = Unresolved::kError);

// True if `text` contains a `{{` ... `}}` tag.
bool HasTags(std::string_view text);

// The variable names of the simple tags in `text` ("inputs.parameters.x"),
// in order, without expression tags. For validation.
std::vector<std::string> SimpleTagNames(std::string_view text);

// If `text` is exactly one simple tag ("{{steps.A.outputs.result}}", spaces
// allowed), its variable name; else "".
std::string SoleTagName(std::string_view text);

}  // namespace loom::expr
