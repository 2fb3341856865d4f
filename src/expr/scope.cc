// Chained variable scopes; see scope.h.
#include "expr/scope.h"

#include <unordered_set>
#include <vector>

namespace loom::expr {
namespace {

bool LooksStructured(const Json& value) {
  if (!value.is_string()) return false;
  const auto& s = value.get_ref<const std::string&>();
  size_t i = s.find_first_not_of(" \t\r\n");
  return i != std::string::npos && (s[i] == '{' || s[i] == '[');
}

// Follows the dotted `path` through objects (by key) and arrays (by index).
const Json* Descend(const Json* value, std::string_view path) {
  while (value != nullptr) {
    size_t dot = path.find('.');
    std::string_view key = path.substr(0, dot);
    if (value->is_object()) {
      auto it = value->find(key);
      value = it == value->end() ? nullptr : &*it;
    } else if (value->is_array()) {
      size_t index = 0;
      if (key.empty() || key.size() > 9) return nullptr;
      for (char c : key) {
        if (c < '0' || c > '9') return nullptr;
        index = index * 10 + (c - '0');
      }
      value = index < value->size() ? &(*value)[index] : nullptr;
    } else {
      return nullptr;
    }
    if (dot == std::string_view::npos) return value;
    path.remove_prefix(dot + 1);
  }
  return nullptr;
}

// Places `value` at `path` under `target`. An object already built there from
// longer names wins over a plain value; two objects merge.
void Insert(Json* target, std::string_view path, const Json& value) {
  while (!path.empty()) {
    size_t dot = path.find('.');
    if (!target->is_object()) *target = Json::object();
    target = &(*target)[std::string(path.substr(0, dot))];
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
  }
  if (target->is_null()) {
    *target = value;
  } else if (target->is_object() && value.is_object()) {
    for (const auto& [key, v] : value.items()) {
      if (!target->contains(key)) (*target)[key] = v;
    }
  } else if (!target->is_object()) {
    *target = value;
  }
}

}  // namespace

Scope::Scope(const Scope& other) : parent_(other.parent_), vars_(other.vars_) {
  for (const auto& [name, value] : vars_) Index(name, value);
}

Scope& Scope::operator=(const Scope& other) {
  if (this == &other) return *this;
  parent_ = other.parent_;
  vars_ = other.vars_;
  names_.clear();
  parsed_.clear();
  for (const auto& [name, value] : vars_) Index(name, value);
  return *this;
}

void Scope::Index(const std::string& name, const Json& value) {
  names_.insert(name);
  parsed_.erase(name);
  if (!LooksStructured(value)) return;
  Json parsed = Json::parse(value.get_ref<const std::string&>(), nullptr, false);
  if (parsed.is_object() || parsed.is_array()) parsed_.emplace(name, std::move(parsed));
}

void Scope::Set(std::string name, Json value) {
  auto [it, inserted] = vars_.insert_or_assign(std::move(name), std::move(value));
  Index(it->first, it->second);
}

const Json* Scope::FindExact(std::string_view name) const {
  for (const Scope* s = this; s != nullptr; s = s->parent_) {
    auto it = s->vars_.find(name);
    if (it != s->vars_.end()) return &it->second;
  }
  return nullptr;
}

const Json* Scope::FindStructured(std::string_view name) const {
  for (const Scope* s = this; s != nullptr; s = s->parent_) {
    auto it = s->vars_.find(name);
    if (it == s->vars_.end()) continue;
    if (it->second.is_object() || it->second.is_array()) return &it->second;
    auto p = s->parsed_.find(std::string_view(it->first));
    return p == s->parsed_.end() ? nullptr : &p->second;
  }
  return nullptr;
}

const Json* Scope::Find(std::string_view name) const {
  if (const Json* exact = FindExact(name)) return exact;
  for (size_t dot = name.rfind('.'); dot != std::string_view::npos && dot > 0;
       dot = name.rfind('.', dot - 1)) {
    const Json* base = FindStructured(name.substr(0, dot));
    if (base == nullptr) continue;
    if (const Json* found = Descend(base, name.substr(dot + 1))) return found;
  }
  return nullptr;
}

bool Scope::HasUnder(std::string_view prefix) const {
  std::string under = std::string(prefix) + ".";
  for (const Scope* s = this; s != nullptr; s = s->parent_) {
    if (s->vars_.find(prefix) != s->vars_.end()) return true;
    auto it = s->names_.lower_bound(std::string_view(under));
    if (it != s->names_.end() && it->starts_with(under)) return true;
  }
  return false;
}

Json Scope::Environment(std::string_view root) const {
  std::string under = std::string(root) + ".";
  Json result;
  // A name set in a nearer scope hides the same name further out.
  std::unordered_set<std::string_view> seen;
  for (const Scope* s = this; s != nullptr; s = s->parent_) {
    auto exact = s->vars_.find(root);
    if (exact != s->vars_.end() && seen.insert(exact->first).second) {
      Insert(&result, "", exact->second);
    }
    for (auto it = s->names_.lower_bound(std::string_view(under));
         it != s->names_.end() && it->starts_with(under); ++it) {
      if (!seen.insert(*it).second) continue;
      Insert(&result, it->substr(under.size()), s->vars_.find(*it)->second);
    }
  }
  return result;
}

}  // namespace loom::expr
