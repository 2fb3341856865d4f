// expr-lang's builtin functions; see builtins.h.
#include "expr/builtins.h"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "expr/go_format.h"
#include "expr/operators.h"

namespace loom::expr {
namespace {

double Num(const Json& v) { return IsInt(v) ? static_cast<double>(AsInt64(v)) : v.get<double>(); }

Status Invalid(std::string_view name, const Json& v) {
  return Status::Error(fmt::format("invalid argument for {} (type {})", name, TypeName(v)));
}

size_t RuneCount(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}

Result<Json> Len(const std::vector<Json>& a) {
  if (Status s = ArgCount("len", a, 1, 1); !s.ok()) return s;
  if (a[0].is_string())
    return Json(static_cast<int64_t>(RuneCount(a[0].get_ref<const std::string&>())));
  if (a[0].is_array() || a[0].is_object()) return Json(static_cast<int64_t>(a[0].size()));
  return Invalid("len", a[0]);
}

Result<Json> Abs(const std::vector<Json>& a) {
  if (Status s = ArgCount("abs", a, 1, 1); !s.ok()) return s;
  if (IsInt(a[0])) return Json(AsInt64(a[0]) < 0 ? -AsInt64(a[0]) : AsInt64(a[0]));
  if (a[0].is_number()) return Json(std::fabs(a[0].get<double>()));
  return Invalid("abs", a[0]);
}

Result<Json> Int(const std::vector<Json>& a) {
  if (Status s = ArgCount("int", a, 1, 1); !s.ok()) return s;
  if (IsInt(a[0])) return Json(AsInt64(a[0]));
  if (a[0].is_number()) {
    double d = a[0].get<double>();
    if (!std::isfinite(d) || std::fabs(d) >= 9.2e18)
      return Status::Error("int: value out of range");
    return Json(static_cast<int64_t>(d));
  }
  if (a[0].is_string()) {
    auto v = ParseGoInt(a[0].get<std::string>());
    if (!v.ok()) return v.status();
    return Json(*v);
  }
  return Invalid("int", a[0]);
}

Result<Json> Float(const std::vector<Json>& a) {
  if (Status s = ArgCount("float", a, 1, 1); !s.ok()) return s;
  if (a[0].is_number()) return Json(Num(a[0]));
  if (a[0].is_string()) {
    auto v = ParseGoFloat(a[0].get<std::string>());
    if (!v.ok()) return v.status();
    return Json(*v);
  }
  return Invalid("float", a[0]);
}

Result<Json> String(const std::vector<Json>& a) {
  if (Status s = ArgCount("string", a, 1, 1); !s.ok()) return s;
  return Json(GoString(a[0]));
}

// Applies fn to the string arguments of a string function.
Result<Json> Keys(const std::vector<Json>& a) {
  if (Status s = ArgCount("keys", a, 1, 1); !s.ok()) return s;
  if (!a[0].is_object()) return Invalid("keys", a[0]);
  Json out = Json::array();
  for (const auto& [k, v] : a[0].items()) out.push_back(k);
  return out;
}

Result<Json> Values(const std::vector<Json>& a) {
  if (Status s = ArgCount("values", a, 1, 1); !s.ok()) return s;
  if (!a[0].is_object()) return Invalid("values", a[0]);
  Json out = Json::array();
  for (const auto& [k, v] : a[0].items()) out.push_back(v);
  return out;
}

Result<Json> FirstLast(const std::vector<Json>& a, bool first) {
  if (Status s = ArgCount(first ? "first" : "last", a, 1, 1); !s.ok()) return s;
  if (!a[0].is_array()) return Invalid(first ? "first" : "last", a[0]);
  if (a[0].empty()) return Json();
  return first ? a[0].front() : a[0].back();
}

// The numbers of min/max/sum/mean: their arguments, or one array of them.
Result<std::vector<Json>> Numbers(std::string_view name, const std::vector<Json>& a) {
  std::vector<Json> nums;
  if (a.size() == 1 && a[0].is_array()) {
    nums.assign(a[0].begin(), a[0].end());
  } else {
    nums = a;
  }
  for (const auto& n : nums) {
    if (!n.is_number()) return Invalid(name, n);
  }
  return nums;
}

Result<Json> MinMax(const std::vector<Json>& a, bool min) {
  auto nums = Numbers(min ? "min" : "max", a);
  if (!nums.ok()) return nums.status();
  if (nums->empty()) return Json();
  Json best = (*nums)[0];
  for (const auto& n : *nums) {
    if (min ? Num(n) < Num(best) : Num(n) > Num(best)) best = n;
  }
  return best;
}

Result<Json> Sum(const std::vector<Json>& a) {
  auto nums = Numbers("sum", a);
  if (!nums.ok()) return nums.status();
  bool ints = std::all_of(nums->begin(), nums->end(), [](const Json& n) { return IsInt(n); });
  if (ints) {
    uint64_t total = 0;
    for (const auto& n : *nums) total += static_cast<uint64_t>(AsInt64(n));
    return Json(static_cast<int64_t>(total));
  }
  double total = 0;
  for (const auto& n : *nums) total += Num(n);
  return Json(total);
}

Result<Json> Mean(const std::vector<Json>& a) {
  auto nums = Numbers("mean", a);
  if (!nums.ok()) return nums.status();
  if (nums->empty()) return Json(0.0);
  double total = 0;
  for (const auto& n : *nums) total += Num(n);
  return Json(total / static_cast<double>(nums->size()));
}

Result<Json> Median(const std::vector<Json>& a) {
  auto nums = Numbers("median", a);
  if (!nums.ok()) return nums.status();
  if (nums->empty()) return Json(0.0);
  std::vector<double> v;
  for (const auto& n : *nums) v.push_back(Num(n));
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return Json(v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2);
}

template <double (*Fn)(double)>
Result<Json> Rounding(const std::vector<Json>& a) {
  if (Status s = ArgCount("round", a, 1, 1); !s.ok()) return s;
  if (!a[0].is_number()) return Invalid("round", a[0]);
  return Json(Fn(Num(a[0])));
}

Result<Json> ToJSON(const std::vector<Json>& a) {
  if (Status s = ArgCount("toJSON", a, 1, 1); !s.ok()) return s;
  return Json(GoJsonIndent(a[0]));
}

Result<Json> FromJSON(const std::vector<Json>& a) {
  if (Status s = ArgCount("fromJSON", a, 1, 1); !s.ok()) return s;
  if (!a[0].is_string()) return Invalid("fromJSON", a[0]);
  Json v = Json::parse(a[0].get<std::string>(), nullptr, false);
  if (v.is_discarded()) return Status::Error("fromJSON: invalid JSON");
  return v;
}

Result<Json> Type(const std::vector<Json>& a) {
  if (Status s = ArgCount("type", a, 1, 1); !s.ok()) return s;
  return Json(TypeName(a[0]));
}

Result<Json> Reverse(const std::vector<Json>& a) {
  if (Status s = ArgCount("reverse", a, 1, 1); !s.ok()) return s;
  if (!a[0].is_array()) return Invalid("reverse", a[0]);
  Json out = a[0];
  std::reverse(out.begin(), out.end());
  return out;
}

Result<Json> Uniq(const std::vector<Json>& a) {
  if (Status s = ArgCount("uniq", a, 1, 1); !s.ok()) return s;
  if (!a[0].is_array()) return Invalid("uniq", a[0]);
  Json out = Json::array();
  for (const auto& e : a[0]) {
    bool seen = false;
    for (const auto& o : out) seen = seen || ValuesEqual(e, o);
    if (!seen) out.push_back(e);
  }
  return out;
}

Result<Json> Concat(const std::vector<Json>& a) {
  Json out = Json::array();
  for (const auto& arr : a) {
    if (!arr.is_array()) return Invalid("concat", arr);
    for (const auto& e : arr) out.push_back(e);
  }
  return out;
}

Result<Json> Sort(const std::vector<Json>& a) {
  if (Status s = ArgCount("sort", a, 1, 2); !s.ok()) return s;
  if (!a[0].is_array()) return Invalid("sort", a[0]);
  bool desc = a.size() == 2 && a[1] == "desc";
  std::vector<Json> v(a[0].begin(), a[0].end());
  for (const auto& e : v) {
    if (!e.is_number() && !e.is_string()) return Invalid("sort", e);
    if (e.is_string() != v[0].is_string()) return Status::Error("sort: mixed types");
  }
  std::stable_sort(v.begin(), v.end(), [&](const Json& x, const Json& y) {
    bool less = x.is_string() ? x.get_ref<const std::string&>() < y.get_ref<const std::string&>()
                              : Num(x) < Num(y);
    bool more = x.is_string() ? y.get_ref<const std::string&>() < x.get_ref<const std::string&>()
                              : Num(y) < Num(x);
    return desc ? more : less;
  });
  return Json(v);
}

Result<Json> Get(const std::vector<Json>& a) {
  if (Status s = ArgCount("get", a, 2, 2); !s.ok()) return s;
  if (a[0].is_object() && a[1].is_string()) {
    auto it = a[0].find(a[1].get<std::string>());
    return it == a[0].end() ? Json() : *it;
  }
  if (a[0].is_array() && IsInt(a[1])) {
    int64_t i = AsInt64(a[1]);
    int64_t n = static_cast<int64_t>(a[0].size());
    if (i < 0) i += n;
    return (i < 0 || i >= n) ? Json() : a[0][i];
  }
  return Json();
}

Result<Json> ToBase64(const std::vector<Json>& a) {
  if (Status s = ArgCount("toBase64", a, 1, 1); !s.ok()) return s;
  if (!a[0].is_string()) return Invalid("toBase64", a[0]);
  return Json(Base64Encode(a[0].get_ref<const std::string&>()));
}

Result<Json> FromBase64(const std::vector<Json>& a) {
  if (Status s = ArgCount("fromBase64", a, 1, 1); !s.ok()) return s;
  if (!a[0].is_string()) return Invalid("fromBase64", a[0]);
  auto d = Base64Decode(a[0].get_ref<const std::string&>());
  if (!d.ok()) return d.status();
  return Json(*d);
}

}  // namespace

Status ArgCount(std::string_view name, const std::vector<Json>& args, size_t min, size_t max) {
  if (args.size() < min) {
    return Status::Error(
        fmt::format("not enough arguments to call {} (want {}, got {})", name, min, args.size()));
  }
  if (args.size() > max) {
    return Status::Error(
        fmt::format("too many arguments to call {} (want {}, got {})", name, max, args.size()));
  }
  return Status::Ok();
}

Result<std::string> StringArg(std::string_view name, const Json& v) {
  if (!v.is_string()) return Invalid(name, v);
  return v.get<std::string>();
}

Result<int64_t> ParseGoInt(const std::string& s) {
  errno = 0;
  char* end = nullptr;
  long long v = s.empty() ? 0 : std::strtoll(s.c_str(), &end, 10);
  bool bad = s.empty() || *end != '\0' || std::isspace(static_cast<unsigned char>(s[0]));
  if (bad) return Status::Error(fmt::format("strconv.ParseInt: parsing \"{}\": invalid syntax", s));
  if (errno == ERANGE)
    return Status::Error(fmt::format("strconv.ParseInt: parsing \"{}\": value out of range", s));
  return static_cast<int64_t>(v);
}

Result<double> ParseGoFloat(const std::string& s) {
  char* end = nullptr;
  bool hex = s.find("0x") != std::string::npos || s.find("0X") != std::string::npos;
  double v = s.empty() ? 0 : std::strtod(s.c_str(), &end);
  bool bad = s.empty() || *end != '\0' || std::isspace(static_cast<unsigned char>(s[0])) || hex;
  if (bad)
    return Status::Error(fmt::format("strconv.ParseFloat: parsing \"{}\": invalid syntax", s));
  return v;
}

std::string Base64Encode(std::string_view data) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = (static_cast<unsigned char>(data[i]) << 16) |
                 (static_cast<unsigned char>(data[i + 1]) << 8) |
                 static_cast<unsigned char>(data[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kAlphabet[(v >> s) & 63]);
  }
  if (i < data.size()) {
    uint32_t v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (text.size() % 4 != 0) return Status::Error("illegal base64 data: wrong length");
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=') {
      if (i + 2 < text.size() || (i + 1 < text.size() && text[i + 1] != '=')) {
        return Status::Error(fmt::format("illegal base64 data at input byte {}", i));
      }
      break;
    }
    int v = value(text[i]);
    if (v < 0) return Status::Error(fmt::format("illegal base64 data at input byte {}", i));
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

Builtin FindBuiltin(std::string_view name) {
  static const std::unordered_map<std::string_view, Builtin> kBuiltins = {
      {"len", Len},
      {"abs", Abs},
      {"int", Int},
      {"float", Float},
      {"string", String},
      {"keys", Keys},
      {"values", Values},
      {"first", [](const std::vector<Json>& a) { return FirstLast(a, true); }},
      {"last", [](const std::vector<Json>& a) { return FirstLast(a, false); }},
      {"min", [](const std::vector<Json>& a) { return MinMax(a, true); }},
      {"max", [](const std::vector<Json>& a) { return MinMax(a, false); }},
      {"sum", Sum},
      {"mean", Mean},
      {"median", Median},
      {"round", Rounding<std::round>},
      {"floor", Rounding<std::floor>},
      {"ceil", Rounding<std::ceil>},
      {"toJSON", ToJSON},
      {"fromJSON", FromJSON},
      {"toBase64", ToBase64},
      {"fromBase64", FromBase64},
      {"type", Type},
      {"reverse", Reverse},
      {"uniq", Uniq},
      {"concat", Concat},
      {"sort", Sort},
      {"get", Get},
  };
  if (Builtin argo = FindArgoFunction(name)) return argo;
  if (Builtin text = FindStringBuiltin(name)) return text;
  auto it = kBuiltins.find(name);
  return it == kBuiltins.end() ? nullptr : it->second;
}

}  // namespace loom::expr
