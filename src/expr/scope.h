// The variables visible to `{{...}}` tags and expressions while a template
// runs: "inputs.parameters.x", "steps.A.outputs.result", "item", "workflow.name"...
//
// Scopes chain: a lookup that misses in this scope continues in the parent,
// so a step's scope can add its inputs on top of the workflow's globals
// without copying them. Values are Json: strings mostly (Argo's parameters are
// strings), but `item` may be a number or a map.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/json.h"

namespace loom::expr {

class Scope {
 public:
  explicit Scope(const Scope* parent = nullptr) : parent_(parent) {}
  Scope(const Scope& other);
  Scope& operator=(const Scope& other);
  Scope(Scope&&) = default;
  Scope& operator=(Scope&&) = default;

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

  // True if a variable is named `prefix` or starts with `prefix` + ".", in
  // this scope or a parent. Lets expressions build the environment of
  // "tasks.A" instead of all of "tasks".
  bool HasUnder(std::string_view prefix) const;

  // Calls fn(name, value) for every variable, nearest scope first; a name
  // shadowed by a nearer scope is visited only once.
  template <typename Fn>
  void ForEach(Fn&& fn) const;

 private:
  const Json* FindExact(std::string_view name) const;
  // The value of `name` as an object or array (parsed if a JSON string).
  const Json* FindStructured(std::string_view name) const;
  void Index(const std::string& name, const Json& value);

  const Scope* parent_;
  // Transparent, so lookups by string_view need no temporary string.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  std::unordered_map<std::string, Json, NameHash, std::equal_to<>> vars_;
  // The names of vars_ in order (views of its keys, which never move), for
  // prefix ranges.
  std::set<std::string_view, std::less<>> names_;
  // String values that hold a JSON object or array, parsed once by Set().
  std::unordered_map<std::string_view, Json> parsed_;
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
