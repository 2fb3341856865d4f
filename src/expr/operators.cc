// expr-lang operator semantics; see operators.h.
#include "expr/operators.h"

#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "expr/go_format.h"

namespace loom::expr {
namespace {

// Ranges are materialised; refuse ones that would exhaust memory.
constexpr int64_t kMaxRange = 1'000'000;

Status Mismatch(std::string_view op, const Json& a, const Json& b) {
  return Status::Error(fmt::format("invalid operation: {} (mismatched types {} and {})", op,
                                   TypeName(a), TypeName(b)));
}

double ToDouble(const Json& v) {
  return IsInt(v) ? static_cast<double>(AsInt64(v)) : v.get<double>();
}

// Two's-complement wrap-around, as Go's int arithmetic does.
int64_t Wrap(uint64_t v) { return static_cast<int64_t>(v); }

Result<Json> Arithmetic(std::string_view op, const Json& a, const Json& b) {
  if (!a.is_number() || !b.is_number()) return Mismatch(op, a, b);
  if (op == "/") return Json(ToDouble(a) / ToDouble(b));
  if (op == "**" || op == "^") return Json(std::pow(ToDouble(a), ToDouble(b)));
  if (IsInt(a) && IsInt(b)) {
    uint64_t x = static_cast<uint64_t>(AsInt64(a));
    uint64_t y = static_cast<uint64_t>(AsInt64(b));
    if (op == "+") return Json(Wrap(x + y));
    if (op == "-") return Json(Wrap(x - y));
    if (op == "*") return Json(Wrap(x * y));
    if (op == "%") {
      int64_t d = AsInt64(b);
      if (d == 0) return Status::Error("integer divide by zero");
      if (d == -1) return Json(int64_t{0});
      return Json(AsInt64(a) % d);
    }
  }
  if (op == "%") return Mismatch(op, a, b);
  double x = ToDouble(a), y = ToDouble(b);
  if (op == "+") return Json(x + y);
  if (op == "-") return Json(x - y);
  return Json(x * y);
}

Result<Json> Compare(std::string_view op, const Json& a, const Json& b) {
  int c;
  if (a.is_number() && b.is_number()) {
    if (IsInt(a) && IsInt(b)) {
      int64_t x = AsInt64(a), y = AsInt64(b);
      c = x < y ? -1 : x > y ? 1 : 0;
    } else {
      double x = ToDouble(a), y = ToDouble(b);
      if (std::isnan(x) || std::isnan(y)) return Json(false);
      c = x < y ? -1 : x > y ? 1 : 0;
    }
  } else if (a.is_string() && b.is_string()) {
    c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
  } else {
    return Mismatch(op, a, b);
  }
  if (op == "<") return Json(c < 0);
  if (op == ">") return Json(c > 0);
  if (op == "<=") return Json(c <= 0);
  return Json(c >= 0);
}

Result<Json> In(const Json& a, const Json& b) {
  if (b.is_array()) {
    for (const auto& e : b) {
      if (ValuesEqual(a, e)) return Json(true);
    }
    return Json(false);
  }
  if (b.is_object()) {
    if (!a.is_string()) {
      return Status::Error(fmt::format("cannot use {} as a key of a map", TypeName(a)));
    }
    return Json(b.contains(a.get_ref<const std::string&>()));
  }
  if (b.is_null()) return Json(false);
  return Mismatch("in", a, b);
}

Result<Json> StringTest(std::string_view op, const Json& a, const Json& b) {
  if (!a.is_string() || !b.is_string()) return Mismatch(op, a, b);
  const auto& s = a.get_ref<const std::string&>();
  const auto& t = b.get_ref<const std::string&>();
  if (op == "contains") return Json(s.find(t) != std::string::npos);
  if (op == "startsWith") return Json(s.starts_with(t));
  if (op == "endsWith") return Json(s.ends_with(t));
  auto re = CompileRegex(t);
  if (!re.ok()) return re.status();
  return Json((*re)->Search(s));
}

Result<Json> Range(const Json& a, const Json& b) {
  if (!IsInt(a) || !IsInt(b)) return Mismatch("..", a, b);
  int64_t from = AsInt64(a), to = AsInt64(b);
  Json out = Json::array();
  if (to < from) return out;
  if (to - from >= kMaxRange)
    return Status::Error(fmt::format("range {}..{} is too large", from, to));
  for (int64_t i = from; i <= to; ++i) out.push_back(i);
  return out;
}

}  // namespace

bool ValuesEqual(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) {
    if (IsInt(a) && IsInt(b)) return AsInt64(a) == AsInt64(b);
    return ToDouble(a) == ToDouble(b);
  }
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!ValuesEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (a.is_object()) {
    if (a.size() != b.size()) return false;
    for (const auto& [key, v] : a.items()) {
      auto it = b.find(key);
      if (it == b.end() || !ValuesEqual(v, *it)) return false;
    }
    return true;
  }
  return a == b;
}

Result<Json> ApplyBinary(std::string_view op, const Json& a, const Json& b) {
  if (op == "==") return Json(ValuesEqual(a, b));
  if (op == "!=") return Json(!ValuesEqual(a, b));
  if (op == "+" && a.is_string() && b.is_string()) {
    return Json(a.get_ref<const std::string&>() + b.get_ref<const std::string&>());
  }
  if (op == "+" && a.is_array() && b.is_array()) {
    Json out = a;
    for (const auto& e : b) out.push_back(e);
    return out;
  }
  if (op == "+" || op == "-" || op == "*" || op == "/" || op == "%" || op == "**" || op == "^") {
    return Arithmetic(op, a, b);
  }
  if (op == "<" || op == ">" || op == "<=" || op == ">=") return Compare(op, a, b);
  if (op == "in") return In(a, b);
  if (op == "..") return Range(a, b);
  if (op == "contains" || op == "startsWith" || op == "endsWith" || op == "matches") {
    return StringTest(op, a, b);
  }
  if (op.starts_with("not ")) {
    auto r = ApplyBinary(op.substr(4), a, b);
    if (!r.ok()) return r;
    return Json(!r->get<bool>());
  }
  return Status::Error(fmt::format("unknown operator {}", op));
}

Result<Json> ApplyUnary(std::string_view op, const Json& a) {
  if (op == "!") {
    if (!a.is_boolean())
      return Status::Error(fmt::format("invalid operation: ! ({})", TypeName(a)));
    return Json(!a.get<bool>());
  }
  if (!a.is_number())
    return Status::Error(fmt::format("invalid operation: {} ({})", op, TypeName(a)));
  if (op == "+") return a;
  if (IsInt(a)) return Json(Wrap(0 - static_cast<uint64_t>(AsInt64(a))));
  return Json(-a.get<double>());
}

Result<std::shared_ptr<const Regex>> CompileRegex(const std::string& pattern) {
  // Bounded: patterns built from data must not grow the cache forever.
  constexpr size_t kMaxCached = 256;
  thread_local std::unordered_map<std::string, std::shared_ptr<const Regex>> cache;
  auto it = cache.find(pattern);
  if (it != cache.end()) return it->second;
  auto re = Regex::Compile(pattern);
  if (!re.ok()) return re;
  if (cache.size() >= kMaxCached) cache.clear();
  cache.emplace(pattern, *re);
  return re;
}

}  // namespace loom::expr
