// The variables visible to `{{...}}` tags and expressions while a template
// runs: "inputs.parameters.x", "steps.A.outputs.result", "item", "workflow.name"...
//
// Scopes chain: a lookup that misses in this scope continues in the parent,
// so a step's scope can add its inputs on top of the workflow's globals
// without copying them. Values are Json: strings mostly (Argo's parameters are
// strings), but `item` may be a number or a map.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "base/json.h"

namespace loom::expr {

class Scope {
 public:
  explicit Scope(const Scope* parent = nullptr) : parent_(parent) {}

  void Set(std::string name, Json value);
  void SetParent(const Scope* parent) { parent_ = parent; }

  // The value of a dotted variable name, or nullptr. If no variable has that
  // exact name, the longest defined prefix whose value is an object (or a
  // string holding a JSON object) is descended into: "item.os" finds the
  // field "os" of a map item.
  const Json* Find(std::string_view name) const;

  // The value that expr-lang sees for the top-level identifier `root`
  // ("inputs", "steps", "item", "workflow", ...): the variables under that
  // prefix as nested objects ("inputs.parameters.x" -> {"parameters":{"x":..}}).
  // When a name is both a value and a prefix of others
  // ("steps.A.outputs.parameters" and "steps.A.outputs.parameters.p"), the
  // object wins. Cost is proportional to the variables under `root`.
  Json Environment(std::string_view root) const;

  // Calls fn(name, value) for every variable, nearest scope first; a name
  // shadowed by a nearer scope is visited only once.
  template <typename Fn>
  void ForEach(Fn&& fn) const;

 private:
  const Scope* parent_;
  std::unordered_map<std::string, Json> vars_;
  template <typename Fn>
  void ForEachInternal(Fn& fn, const Scope* origin) const;
};

template <typename Fn>
void Scope::ForEach(Fn&& fn) const {
  for (const Scope* s = this; s != nullptr; s = s->parent_) {
    for (const auto& [name, value] : s->vars_) {
      bool shadowed = false;
      for (const Scope* n = this; n != s; n = n->parent_) {
        if (n->vars_.count(name)) {
          shadowed = true;
          break;
        }
      }
      if (!shadowed) fn(name, value);
    }
  }
}

}  // namespace loom::expr
