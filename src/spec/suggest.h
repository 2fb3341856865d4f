// "Did you mean X?" hints for misspelt field, template and task names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace loom::spec {

// Levenshtein distance between two strings.
int EditDistance(std::string_view a, std::string_view b);

// " (did you mean 'X'?)" for the closest candidate within a distance that
// scales with the name's length, or "" when nothing is close.
std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace loom::spec
