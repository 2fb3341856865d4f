// `loom run -o yaml`: Json as YAML, the way `argo get -o yaml` prints it.
#pragma once

#include <string>

#include "base/json.h"

namespace loom::cli {

// `value` as a YAML document (block style, keys in the Json's order) that
// reads back as the same data: strings YAML would take for something else
// ("123", "true", "null", "2026-12-02T05:46:00Z") are quoted, multi-line
// strings are literal blocks (`|`, or `|-` without a final newline).
std::string JsonToYaml(const Json& value);

}  // namespace loom::cli
