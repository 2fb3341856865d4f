// The functions an expression can call by name: expr-lang's builtins (len,
// upper, split, keys, min, toJSON, ...), Argo's additions (asInt, asFloat,
// string, toJson, jsonpath) and the sprig library (`sprig.trim(x)`).
// Builtins that take a closure (filter, map, all, ...) live in the evaluator.
#pragma once

#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace loom::expr {

using Builtin = Result<Json> (*)(const std::vector<Json>& args);

// expr-lang's builtins and Argo's functions; nullptr if none has that name.
Builtin FindBuiltin(std::string_view name);

// Argo's own functions (asInt, asFloat, toJson, jsonpath); nullptr if unknown.
Builtin FindArgoFunction(std::string_view name);

// expr-lang's string functions (string_builtins.cc); nullptr if unknown.
Builtin FindStringBuiltin(std::string_view name);

// A sprig function by its name without "sprig."; nullptr if unknown.
Builtin FindSprig(std::string_view name);

// Helpers shared by the function files.
Status ArgCount(std::string_view name, const std::vector<Json>& args, size_t min, size_t max);
Result<std::string> StringArg(std::string_view name, const Json& v);
// Go's strconv.ParseInt / ParseFloat, with their error texts.
Result<int64_t> ParseGoInt(const std::string& s);
Result<double> ParseGoFloat(const std::string& s);
std::string Base64Encode(std::string_view data);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace loom::expr
