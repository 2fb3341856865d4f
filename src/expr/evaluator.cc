// The expr-lang tree walker; see evaluator.h.
#include "expr/evaluator.h"

#include <fmt/format.h>

#include <algorithm>

#include "expr/builtins.h"
#include "expr/go_format.h"
#include "expr/operators.h"
#include "expr/parser.h"

namespace loom::expr {
namespace {

constexpr int kMaxDepth = 400;

const Json& NullValue() {
  static const Json null;
  return null;
}

bool IsChain(const Node& n) {
  return n.kind == Node::kIdent || n.kind == Node::kMember || n.kind == Node::kSlice;
}

// For `a.b["c"].d`: the root identifier and the member nodes, innermost
// first, if every key is a constant string; else nullptr.
const Node* StaticChain(const Node& node, std::vector<const Node*>* members) {
  const Node* n = &node;
  while (n->kind == Node::kMember) {
    const Node& key = *n->kids[1];
    if (key.kind != Node::kLiteral || !key.value.is_string()) return nullptr;
    members->push_back(n);
    n = n->kids[0].get();
  }
  if (n->kind != Node::kIdent) return nullptr;
  std::reverse(members->begin(), members->end());
  return n;
}

}  // namespace

Status Evaluator::Error(size_t offset, std::string_view message) const {
  return Status::Error(fmt::format("{} (offset {})", message, offset));
}

const Json& Evaluator::Environment(const std::string& prefix) {
  auto it = environments_.find(prefix);
  if (it == environments_.end())
    it = environments_.emplace(prefix, scope_.Environment(prefix)).first;
  return it->second;
}

Result<Json> Evaluator::Eval(const Node& node) {
  if (++depth_ > kMaxDepth) return Error(node.offset, "expression nested too deeply");
  struct Leave {
    int* depth;
    ~Leave() { --*depth; }
  } leave{&depth_};
  switch (node.kind) {
    case Node::kLiteral:
      return node.value;
    case Node::kArray: {
      Json out = Json::array();
      for (const auto& kid : node.kids) {
        auto v = Eval(*kid);
        if (!v.ok()) return v;
        out.push_back(std::move(v).value());
      }
      return out;
    }
    case Node::kMap: {
      Json out = Json::object();
      for (size_t i = 0; i + 1 < node.kids.size(); i += 2) {
        auto k = Eval(*node.kids[i]);
        if (!k.ok()) return k;
        auto v = Eval(*node.kids[i + 1]);
        if (!v.ok()) return v;
        out[k->is_string() ? k->get<std::string>() : GoString(*k)] = std::move(v).value();
      }
      return out;
    }
    case Node::kIdent:
    case Node::kMember:
    case Node::kSlice: {
      bool cut = false;
      return EvalChain(node, false, &cut);
    }
    case Node::kPointer:
      return EvalPointer(node);
    case Node::kUnary: {
      auto v = Eval(*node.kids[0]);
      if (!v.ok()) return v;
      auto r = ApplyUnary(node.name, *v);
      if (!r.ok()) return Error(node.offset, r.error());
      return r;
    }
    case Node::kBinary:
      return EvalBinary(node);
    case Node::kTernary: {
      auto c = Eval(*node.kids[0]);
      if (!c.ok()) return c;
      if (!c->is_boolean()) {
        return Error(node.offset,
                     fmt::format("non-bool expression (type {}) used as condition", TypeName(*c)));
      }
      return Eval(*node.kids[c->get<bool>() ? 1 : 2]);
    }
    case Node::kCall:
      return EvalCall(node);
    case Node::kClosure:
      return Error(node.offset, "a closure is only allowed as a function argument");
  }
  return Error(node.offset, "unknown expression");
}

Result<Json> Evaluator::EvalChain(const Node& node, bool lenient, bool* cut) {
  if (node.kind == Node::kIdent) return EvalVariable(node, lenient, cut);
  if (node.kind == Node::kMember) {
    std::vector<const Node*> members;
    if (StaticChain(node, &members)) return EvalVariable(node, lenient, cut);
  }
  const Node& inner = *node.kids[0];
  Result<Json> object = IsChain(inner) ? EvalChain(inner, lenient, cut) : Eval(inner);
  if (!object.ok() || *cut) return object;
  if (node.kind == Node::kSlice) {
    if (object->is_null() && lenient) return object;
    return EvalSlice(node, *object);
  }
  if (node.optional && object->is_null()) {
    *cut = true;
    return Json();
  }
  auto key = Eval(*node.kids[1]);
  if (!key.ok()) return key;
  return Fetch(*object, *key, node.offset, lenient);
}

Result<Json> Evaluator::EvalVariable(const Node& node, bool lenient, bool* cut) {
  std::vector<const Node*> members;
  const Node* root = StaticChain(node, &members);
  std::vector<std::string> prefixes = {root->name};
  for (const Node* m : members)
    prefixes.push_back(prefixes.back() + "." + m->kids[1]->value.get<std::string>());
  // The longest defined prefix: "tasks.A.outputs" rather than all of "tasks".
  size_t found = prefixes.size();
  for (size_t i = prefixes.size(); i-- > 0;) {
    if (scope_.HasUnder(prefixes[i])) {
      found = i;
      break;
    }
  }
  if (found == prefixes.size()) {
    if (lenient) return Json();
    missing_variable_ = true;
    return Error(root->offset, fmt::format("unknown name {}", root->name));
  }
  const Json* value = &Environment(prefixes[found]);
  for (size_t i = found; i < members.size(); ++i) {
    const Node& m = *members[i];
    const std::string& key = m.kids[1]->value.get_ref<const std::string&>();
    if (value->is_null()) {
      if (m.optional) {
        *cut = true;
        return Json();
      }
      if (lenient) return Json();
      return Error(m.offset, fmt::format("cannot fetch {} from nil", key));
    }
    if (!value->is_object()) return Fetch(*value, Json(key), m.offset, lenient);
    auto it = value->find(key);
    value = it == value->end() ? &NullValue() : &*it;
  }
  return *value;
}

Result<Json> Evaluator::Fetch(const Json& object, const Json& key, size_t offset, bool lenient) {
  if (object.is_object()) {
    if (!key.is_string()) {
      return Error(offset, fmt::format("cannot use {} as a key of a map", TypeName(key)));
    }
    auto it = object.find(key.get_ref<const std::string&>());
    return it == object.end() ? Json() : *it;
  }
  if (object.is_array() || object.is_string()) {
    if (!IsInt(key)) {
      return Error(offset,
                   fmt::format("cannot use {} as an index to {}", TypeName(key), TypeName(object)));
    }
    int64_t n = static_cast<int64_t>(
        object.is_array() ? object.size() : object.get_ref<const std::string&>().size());
    int64_t i = AsInt64(key);
    int64_t at = i < 0 ? i + n : i;
    if (at < 0 || at >= n) {
      if (lenient) return Json();
      return Error(offset, fmt::format("index out of range: {} (array length is {})", i, n));
    }
    if (object.is_array()) return object[at];
    return Json(std::string(1, object.get_ref<const std::string&>()[at]));
  }
  if (lenient) return Json();
  std::string what = key.is_string() ? key.get<std::string>() : GoString(key);
  if (object.is_null()) return Error(offset, fmt::format("cannot fetch {} from nil", what));
  return Error(offset, fmt::format("cannot fetch {} from {}", what, TypeName(object)));
}

Result<Json> Evaluator::EvalSlice(const Node& node, const Json& object) {
  if (!object.is_array() && !object.is_string()) {
    return Error(node.offset, fmt::format("cannot slice {}", TypeName(object)));
  }
  int64_t n = static_cast<int64_t>(object.is_array() ? object.size()
                                                     : object.get_ref<const std::string&>().size());
  int64_t bounds[2] = {0, n};
  for (int k = 0; k < 2; ++k) {
    auto v = Eval(*node.kids[1 + k]);
    if (!v.ok()) return v;
    if (v->is_null()) continue;
    if (!IsInt(*v))
      return Error(node.offset, fmt::format("cannot use {} as a slice index", TypeName(*v)));
    int64_t b = AsInt64(*v);
    if (b < 0) b += n;
    bounds[k] = std::clamp<int64_t>(b, 0, n);
  }
  int64_t from = bounds[0], to = std::max(bounds[0], bounds[1]);
  if (object.is_string()) return Json(object.get_ref<const std::string&>().substr(from, to - from));
  return Json(std::vector<Json>(object.begin() + from, object.begin() + to));
}

Result<Json> Evaluator::EvalPointer(const Node& node) {
  if (frames_.empty()) return Error(node.offset, "cannot use # outside of a closure");
  const Frame& f = frames_.back();
  if (node.name.empty()) return *f.item;
  if (node.name == "index") return Json(f.index);
  if (node.name == "acc") return f.acc;
  return Error(node.offset, fmt::format("unknown pointer #{}", node.name));
}

Result<Json> Evaluator::EvalBinary(const Node& node) {
  const std::string& op = node.name;
  const Node& left_node = *node.kids[0];
  if (op == "??") {
    bool cut = false;
    auto left = IsChain(left_node) ? EvalChain(left_node, true, &cut) : Eval(left_node);
    if (!left.ok() || !left->is_null()) return left;
    return Eval(*node.kids[1]);
  }
  auto left = Eval(left_node);
  if (!left.ok()) return left;
  bool is_and = op == "and" || op == "&&";
  if (is_and || op == "or" || op == "||") {
    if (!left->is_boolean()) {
      return Error(node.offset, fmt::format("invalid operation: {} (mismatched types {} and bool)",
                                            op, TypeName(*left)));
    }
    if (left->get<bool>() != is_and) return left;
    auto right = Eval(*node.kids[1]);
    if (!right.ok()) return right;
    if (!right->is_boolean()) {
      return Error(node.offset, fmt::format("invalid operation: {} (mismatched types bool and {})",
                                            op, TypeName(*right)));
    }
    return right;
  }
  auto right = Eval(*node.kids[1]);
  if (!right.ok()) return right;
  auto r = ApplyBinary(op, *left, *right);
  if (!r.ok()) return Error(node.offset, r.error());
  return r;
}

Result<Json> Evaluator::EvalCall(const Node& node) {
  bool has_closure = node.kids.size() >= 2 && node.kids[1]->kind == Node::kClosure;
  if (has_closure || (TakesClosure(node.name) && node.name != "sum")) return EvalClosureCall(node);
  Builtin fn = nullptr;
  if (node.name.starts_with("sprig.")) {
    fn = FindSprig(std::string_view(node.name).substr(6));
  } else {
    fn = FindBuiltin(node.name);
  }
  if (fn == nullptr) return Error(node.offset, fmt::format("unknown func {}", node.name));
  std::vector<Json> args;
  args.reserve(node.kids.size());
  for (const auto& kid : node.kids) {
    auto v = Eval(*kid);
    if (!v.ok()) return v;
    args.push_back(std::move(v).value());
  }
  auto r = fn(args);
  if (!r.ok()) return Error(node.offset, fmt::format("{}: {}", node.name, r.error()));
  return r;
}

Result<bool> Evaluator::Predicate(const Node& body, const Json& item, int64_t index,
                                  size_t offset) {
  frames_.push_back({&item, index, Json()});
  auto v = Eval(body);
  frames_.pop_back();
  if (!v.ok()) return v.status();
  if (!v->is_boolean())
    return Error(offset, fmt::format("predicate should return bool, got {}", TypeName(*v)));
  return v->get<bool>();
}

Result<Json> Evaluator::EvalClosureCall(const Node& node) {
  const std::string& name = node.name;
  if (node.kids.size() < 2 || node.kids[1]->kind != Node::kClosure) {
    return Error(node.offset, fmt::format("{} needs an array and a predicate", name));
  }
  auto input = Eval(*node.kids[0]);
  if (!input.ok()) return input;
  if (!input->is_array()) {
    return Error(node.offset, fmt::format("cannot iterate over {} in {}", TypeName(*input), name));
  }
  const Json& items = *input;
  const Node& body = *node.kids[1]->kids[0];
  int64_t n = static_cast<int64_t>(items.size());
  if (name == "map" || name == "sum" || name == "groupBy" || name == "sortBy") {
    std::vector<Json> mapped;
    for (int64_t i = 0; i < n; ++i) {
      frames_.push_back({&items[i], i, Json()});
      auto v = Eval(body);
      frames_.pop_back();
      if (!v.ok()) return v;
      mapped.push_back(std::move(v).value());
    }
    if (name == "map") return Json(mapped);
    if (name == "sum") {
      auto r = FindBuiltin("sum")({Json(mapped)});
      if (!r.ok()) return Error(node.offset, r.error());
      return r;
    }
    if (name == "groupBy") {
      Json out = Json::object();
      for (int64_t i = 0; i < n; ++i) {
        std::string key =
            mapped[i].is_string() ? mapped[i].get<std::string>() : GoString(mapped[i]);
        out[key].push_back(items[i]);
      }
      return out;
    }
    bool desc = false;
    if (node.kids.size() > 2) {
      auto order = Eval(*node.kids[2]);
      if (!order.ok()) return order;
      desc = *order == "desc";
    }
    std::vector<int64_t> order(n);
    for (int64_t i = 0; i < n; ++i) order[i] = i;
    for (const auto& m : mapped) {
      if (!m.is_number() && !m.is_string())
        return Error(node.offset, "sortBy: keys must be numbers or strings");
      if (m.is_string() != mapped[0].is_string())
        return Error(node.offset, "sortBy: mixed key types");
    }
    std::stable_sort(order.begin(), order.end(), [&](int64_t a, int64_t b) {
      const Json& x = desc ? mapped[b] : mapped[a];
      const Json& y = desc ? mapped[a] : mapped[b];
      auto less = ApplyBinary("<", x, y);
      return less.ok() && less->get<bool>();
    });
    Json out = Json::array();
    for (int64_t i : order) out.push_back(items[i]);
    return out;
  }
  if (name == "reduce") {
    Json acc;
    int64_t start = 0;
    if (node.kids.size() > 2) {
      auto init = Eval(*node.kids[2]);
      if (!init.ok()) return init;
      acc = std::move(init).value();
    } else if (n > 0) {
      acc = items[0];
      start = 1;
    }
    for (int64_t i = start; i < n; ++i) {
      frames_.push_back({&items[i], i, acc});
      auto v = Eval(body);
      frames_.pop_back();
      if (!v.ok()) return v;
      acc = std::move(v).value();
    }
    return acc;
  }
  bool reverse = name == "findLast" || name == "findLastIndex";
  Json out = Json::array();
  int64_t matches = 0;
  for (int64_t k = 0; k < n; ++k) {
    int64_t i = reverse ? n - 1 - k : k;
    auto ok = Predicate(body, items[i], i, node.offset);
    if (!ok.ok()) return ok.status();
    if (!*ok) {
      if (name == "all") return Json(false);
      continue;
    }
    ++matches;
    if (name == "filter") out.push_back(items[i]);
    if (name == "any") return Json(true);
    if (name == "none") return Json(false);
    if (name == "find" || name == "findLast") return items[i];
    if (name == "findIndex" || name == "findLastIndex") return Json(i);
  }
  if (name == "filter") return out;
  if (name == "all" || name == "none") return Json(true);
  if (name == "any") return Json(false);
  if (name == "one") return Json(matches == 1);
  if (name == "count") return Json(matches);
  if (name == "findIndex" || name == "findLastIndex") return Json(int64_t{-1});
  return Json();
}

}  // namespace loom::expr
