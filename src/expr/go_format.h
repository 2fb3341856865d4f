// Formatting of values the way Argo's Go code prints them, because users see
// these strings in parameters and compare them in `when` expressions:
// encoding/json's Marshal (compact, keys sorted, <>& escaped as \u003c...),
// fmt's %v (1e+06, map[a:1], [1 2], <nil>), and expr-lang's type names.
#pragma once

#include <string>

#include "base/json.h"

namespace loom::expr {

// json.Marshal(v): compact JSON, object keys sorted, HTML characters escaped,
// floats without a trailing ".0" (8.0 -> "8", 1e21 -> "1e+21").
std::string GoJson(const Json& value);

// json.MarshalIndent(v, "", "  "), which expr-lang's toJSON uses.
std::string GoJsonIndent(const Json& value);

// fmt.Sprintf("%v", v).
std::string GoString(const Json& value);

// A float as %v prints it: shortest digits, exponent form outside [1e-4, 1e6).
std::string GoFloatV(double value);

// expr-lang's name for the type of a value: int, float, string, bool, nil,
// array, map.
std::string TypeName(const Json& value);

// True for int64 values (nlohmann keeps non-negative ints as unsigned).
inline bool IsInt(const Json& v) { return v.is_number_integer(); }
inline int64_t AsInt64(const Json& v) {
  return v.is_number_unsigned() ? static_cast<int64_t>(v.get<uint64_t>()) : v.get<int64_t>();
}

}  // namespace loom::expr
