// The one value type shared by every layer: parameters, items, expression
// values and outputs are nlohmann::json (object keys sorted, as Go's
// encoding/json prints them, which Argo's JSON strings depend on).
#pragma once

#include <nlohmann/json.hpp>

namespace loom {
using Json = nlohmann::json;
}  // namespace loom
