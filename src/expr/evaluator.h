// Walks a parsed expr-lang tree over a Scope. Variables are looked up lazily:
// the environment of "tasks.A" is built only when an expression names it, and
// once per evaluation.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "expr/ast.h"
#include "expr/scope.h"

namespace loom::expr {

class Evaluator {
 public:
  explicit Evaluator(const Scope& scope) : scope_(scope) {}

  Result<Json> Eval(const Node& node);

  // True if the last error came from a variable the scope does not define,
  // which `{{=...}}` under Unresolved::kKeep leaves for a later pass.
  bool missing_variable() const { return missing_variable_; }

 private:
  // The element a closure is looking at: #, #index, #acc.
  struct Frame {
    const Json* item;
    int64_t index;
    Json acc;
  };

  Result<Json> EvalChain(const Node& node, bool lenient, bool* cut);
  Result<Json> EvalVariable(const Node& node, bool lenient, bool* cut);
  Result<Json> EvalPointer(const Node& node);
  Result<Json> EvalBinary(const Node& node);
  Result<Json> EvalSlice(const Node& node, const Json& object);
  Result<Json> EvalCall(const Node& node);
  Result<Json> EvalClosureCall(const Node& node);
  Result<Json> Fetch(const Json& object, const Json& key, size_t offset, bool lenient);
  Result<bool> Predicate(const Node& body, const Json& item, int64_t index, size_t offset);
  const Json& Environment(const std::string& prefix);
  Status Error(size_t offset, std::string_view message) const;

  const Scope& scope_;
  std::unordered_map<std::string, Json> environments_;
  std::vector<Frame> frames_;
  bool missing_variable_ = false;
  int depth_ = 0;
};

// Parses (with a per-thread cache of recent expressions) and evaluates
// `source`; sets *missing_variable when it failed on an undefined variable.
Result<Json> EvaluateExpression(std::string_view source, const Scope& scope,
                                bool* missing_variable);

}  // namespace loom::expr
