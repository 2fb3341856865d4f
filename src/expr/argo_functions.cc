// The functions Argo adds to expr-lang's environment (workflow/util/expr
// env): asInt, asFloat, toJson and jsonpath.
#include <fmt/format.h>

#include <cmath>
#include <unordered_map>

#include "expr/builtins.h"
#include "expr/go_format.h"
#include "expr/jsonpath.h"

namespace loom::expr {
namespace {

Result<Json> AsInt(const std::vector<Json>& a) {
  if (Status s = ArgCount("asInt", a, 1, 1); !s.ok()) return s;
  if (IsInt(a[0])) return Json(AsInt64(a[0]));
  if (a[0].is_number()) {
    double d = a[0].get<double>();
    if (!std::isfinite(d) || std::fabs(d) >= 9.2e18)
      return Status::Error("asInt: value out of range");
    return Json(static_cast<int64_t>(d));
  }
  if (a[0].is_string()) {
    auto v = ParseGoInt(a[0].get<std::string>());
    if (!v.ok()) return v.status();
    return Json(*v);
  }
  return Status::Error(fmt::format("asInt: cannot convert {} to int", TypeName(a[0])));
}

Result<Json> AsFloat(const std::vector<Json>& a) {
  if (Status s = ArgCount("asFloat", a, 1, 1); !s.ok()) return s;
  if (a[0].is_number())
    return Json(IsInt(a[0]) ? static_cast<double>(AsInt64(a[0])) : a[0].get<double>());
  if (a[0].is_string()) {
    auto v = ParseGoFloat(a[0].get<std::string>());
    if (!v.ok()) return v.status();
    return Json(*v);
  }
  return Status::Error(fmt::format("asFloat: cannot convert {} to float", TypeName(a[0])));
}

Result<Json> ToJson(const std::vector<Json>& a) {
  if (Status s = ArgCount("toJson", a, 1, 1); !s.ok()) return s;
  return Json(GoJson(a[0]));
}

Result<Json> JsonPath(const std::vector<Json>& a) {
  if (Status s = ArgCount("jsonpath", a, 2, 2); !s.ok()) return s;
  if (!a[0].is_string() || !a[1].is_string()) {
    return Status::Error("jsonpath: want a JSON string and a path string");
  }
  Json doc = Json::parse(a[0].get<std::string>(), nullptr, false);
  if (doc.is_discarded()) return Status::Error("jsonpath: the first argument is not valid JSON");
  return JsonPathGet(doc, a[1].get<std::string>());
}

}  // namespace

Builtin FindArgoFunction(std::string_view name) {
  static const std::unordered_map<std::string_view, Builtin> kFunctions = {
      {"asInt", AsInt}, {"asFloat", AsFloat}, {"toJson", ToJson}, {"jsonpath", JsonPath}};
  auto it = kFunctions.find(name);
  return it == kFunctions.end() ? nullptr : it->second;
}

}  // namespace loom::expr
