// JSONPath queries for Argo's jsonpath(json, path) expression function:
// $.a.b, $.a[0], $['a'], $.a[-1], [*] and .* wildcards, $..x recursive
// descent, [0,2] unions and [1:3] slices. A path with a wildcard, union,
// slice or descent yields an array of matches; a plain path yields the value.
#pragma once

#include <string_view>

#include "base/json.h"
#include "base/result.h"

namespace loom::expr {

Result<Json> JsonPathGet(const Json& document, std::string_view path);

}  // namespace loom::expr
