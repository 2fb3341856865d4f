// Kubernetes label selectors, as `argo list -l` takes them: a comma-separated
// list of requirements, all of which must hold:
//   key=value  key==value  key!=value  key  (exists)  !key  (does not exist)
//   key in (a,b)  key notin (a,b)
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/result.h"

namespace loom::store {

class LabelSelector {
 public:
  // Parses `text`; an error says which requirement is malformed and why.
  static Result<LabelSelector> Parse(const std::string& text);

  bool Matches(const std::map<std::string, std::string>& labels) const;
  // The key=value pairs it requires exactly (what a store can index on).
  std::map<std::string, std::string> Equalities() const;

 private:
  struct Requirement {
    enum class Op { kIn, kNotIn, kExists, kNotExists };
    std::string key;
    Op op = Op::kExists;
    std::vector<std::string> values;
  };
  std::vector<Requirement> requirements_;
};

}  // namespace loom::store
