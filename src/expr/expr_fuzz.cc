// A libFuzzer target for the expression layer: every input goes through
// `{{...}}` substitution, expr-lang, govaluate and depends parsing, which must
// return values or errors and never crash, hang or throw.
#include <cstddef>
#include <cstdint>
#include <string>

#include "expr/depends.h"
#include "expr/expr_lang.h"
#include "expr/govaluate.h"
#include "expr/template.h"

namespace {

const loom::expr::Scope& FuzzScope() {
  static const loom::expr::Scope scope = [] {
    loom::expr::Scope s;
    s.Set("inputs.parameters.x", "5");
    s.Set("inputs.parameters.json", R"({"a": [1, 2, {"b": "c"}]})");
    s.Set("item", loom::Json{{"os", "debian"}, {"n", 2}});
    s.Set("steps.A.outputs.result", "heads");
    s.Set("steps.A.outputs.parameters", R"({"p": "1"})");
    s.Set("steps.A.outputs.parameters.p", "1");
    s.Set("workflow.name", "wf");
    s.Set("retries", 1);
    return s;
  }();
  return scope;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const auto& scope = FuzzScope();
  (void)loom::expr::Substitute(text, scope, loom::expr::Unresolved::kError);
  (void)loom::expr::Substitute(text, scope, loom::expr::Unresolved::kKeep);
  (void)loom::expr::Evaluate(text, scope);
  (void)loom::expr::CheckSyntax(text);
  (void)loom::expr::EvaluateGovaluate(text);
  (void)loom::expr::EvaluateWhen(text);
  auto depends = loom::expr::DependsExpression::Parse(text);
  if (depends.ok()) {
    depends->Evaluate([](const std::string& task) {
      loom::expr::TaskResults r;
      r.succeeded = task.size() % 2 == 0;
      r.failed = !r.succeeded;
      return r;
    });
  }
  return 0;
}
