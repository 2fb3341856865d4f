// An evaluator for the govaluate dialect of `when:` fields. Argo substitutes
// `{{...}}` tags first, then evaluates the text with every bare identifier
// taken as a string literal, so `tails == heads` compares two strings.
#pragma once

#include <string_view>

#include "base/json.h"
#include "base/result.h"

namespace loom::expr {

// Evaluates a substituted `when` expression. It must yield a bool, as Argo
// requires: "Expected boolean evaluation for '...'. Got ...".
Result<bool> EvaluateWhen(std::string_view expression);

// Evaluates any govaluate expression (bare identifiers as strings).
Result<Json> EvaluateGovaluate(std::string_view expression);

}  // namespace loom::expr
