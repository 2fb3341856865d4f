// Syntax of a DAG task's `depends` ("A && (B.Failed || !C)"): enough to
// validate it and list the task names it mentions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace loom::spec {

// The task names in `depends`, in order of first appearance, or an error
// naming the offending token and its offset.
Result<std::vector<std::string>> ParseDependsNames(std::string_view depends);

}  // namespace loom::spec
