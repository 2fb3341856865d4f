// The public face of the expr-lang evaluator; see expr_lang.h.
#include "expr/expr_lang.h"

#include <fmt/format.h>

#include <memory>
#include <unordered_map>

#include "expr/evaluator.h"
#include "expr/go_format.h"
#include "expr/parser.h"

namespace loom::expr {
namespace {

// The same few expressions run for every step of a large workflow, so their
// trees are kept; bounded because expressions may be built from data.
Result<std::shared_ptr<const Node>> ParseCached(std::string_view source) {
  constexpr size_t kMaxCached = 512;
  thread_local std::unordered_map<std::string, std::shared_ptr<const Node>> cache;
  auto it = cache.find(std::string(source));
  if (it != cache.end()) return it->second;
  auto tree = Parse(source);
  if (!tree.ok()) return tree;
  if (cache.size() >= kMaxCached) cache.clear();
  cache.emplace(std::string(source), *tree);
  return tree;
}

}  // namespace

Result<Json> EvaluateExpression(std::string_view source, const Scope& scope,
                                bool* missing_variable) {
  *missing_variable = false;
  auto tree = ParseCached(source);
  if (!tree.ok()) return tree.status();
  Evaluator evaluator(scope);
  auto value = evaluator.Eval(**tree);
  *missing_variable = !value.ok() && evaluator.missing_variable();
  return value;
}

Result<Json> Evaluate(std::string_view source, const Scope& scope) {
  bool missing;
  return EvaluateExpression(source, scope, &missing);
}

Status CheckSyntax(std::string_view source) { return ParseCached(source).status(); }

Result<bool> AsBool(const Json& value, std::string_view source) {
  if (value.is_boolean()) return value.get<bool>();
  return Status::Error(fmt::format("expression '{}' did not yield a boolean: got {} ({})", source,
                                   GoString(value), TypeName(value)));
}

}  // namespace loom::expr
