// The `depends` logic of DAG tasks: `A && (B.Failed || C.Skipped)`, task
// names with dashes, `!`, parentheses, and the results Succeeded, Failed,
// Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed. A bare `A`
// means `(A.Succeeded || A.Skipped || A.Daemoned)`, as in Argo.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace loom::expr {

// What a finished dependency looks like to `depends`.
struct TaskResults {
  bool succeeded = false;
  bool failed = false;
  bool errored = false;
  bool skipped = false;
  bool omitted = false;
  bool daemoned = false;
  bool any_succeeded = false;  // a fanned-out task: some child succeeded
  bool all_failed = false;     // a fanned-out task: every child failed
};

class DependsExpression {
 public:
  // Parses `source`. Errors name the offending token and its offset.
  static Result<DependsExpression> Parse(std::string_view source);

  // The task names referenced, each once, in order of first appearance.
  const std::vector<std::string>& tasks() const { return tasks_; }

  // Evaluates with each referenced task's results.
  bool Evaluate(const std::function<TaskResults(const std::string& task)>& results) const;

  struct Node;  // the parsed form; opaque outside depends.cc

 private:
  std::shared_ptr<const Node> root_;
  std::vector<std::string> tasks_;
};

}  // namespace loom::expr
