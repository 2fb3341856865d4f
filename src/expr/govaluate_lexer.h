// Tokens of the govaluate dialect (github.com/Knetic/govaluate) as its lexer
// reads them: numbers are float64, bare words are variables (which Argo then
// treats as strings), words with a dot are accessors, and operators are read
// greedily up to the next letter, digit, space, quote or bracket, so `a==-1`
// is the invalid token '==-' just as in govaluate.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace loom::expr {

struct GovaluateToken {
  enum Kind {
    kNumeric,
    kBoolean,
    kString,
    kVariable,
    kAccessor,
    kPrefix,
    kModifier,
    kComparator,
    kLogical,
    kTernary,
    kClause,
    kClauseClose,
    kSeparator,
  };
  Kind kind;
  std::string text;  // operator symbol, variable name or string contents
  Json value;        // literal value for numbers, booleans and strings
};

// The tokens of `expression`, with govaluate's lexing and transition errors.
Result<std::vector<GovaluateToken>> LexGovaluate(std::string_view expression);

// govaluate's %v of a value: 3, 1.5, true, text, <nil>, [1 2].
std::string GovaluateString(const Json& value);

}  // namespace loom::expr
