// The sprig functions (github.com/Masterminds/sprig) that Argo exposes as
// `sprig.*` in expressions, with sprig's argument order (the subject string
// comes last: sprig.trimPrefix("v", tag)) and its lenient conversions.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "expr/builtins.h"
#include "expr/go_format.h"
#include "expr/go_time.h"

namespace loom::expr {
namespace {

using Args = std::vector<Json>;

// sprig's strval: strings as they are, everything else as %v.
std::string Str(const Json& v) { return v.is_string() ? v.get<std::string>() : GoString(v); }

// cast.ToInt64 as sprig uses it: numbers truncate, strings parse, else 0.
int64_t ToInt64(const Json& v) {
  if (IsInt(v)) return AsInt64(v);
  if (v.is_number()) {
    double d = v.get<double>();
    return std::isfinite(d) && std::fabs(d) < 9.2e18 ? static_cast<int64_t>(d) : 0;
  }
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_string()) {
    auto i = ParseGoInt(v.get<std::string>());
    if (i.ok()) return *i;
    auto f = ParseGoFloat(v.get<std::string>());
    return f.ok() && std::fabs(*f) < 9.2e18 ? static_cast<int64_t>(*f) : 0;
  }
  return 0;
}

double ToFloat64(const Json& v) {
  if (v.is_number()) return IsInt(v) ? static_cast<double>(AsInt64(v)) : v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1 : 0;
  if (v.is_string()) {
    auto f = ParseGoFloat(v.get<std::string>());
    return f.ok() ? *f : 0;
  }
  return 0;
}

// sprig's empty: zero values, empty strings and collections, nil.
bool Empty(const Json& v) {
  if (v.is_null()) return true;
  if (v.is_string()) return v.get_ref<const std::string&>().empty();
  if (v.is_array() || v.is_object()) return v.empty();
  if (v.is_boolean()) return !v.get<bool>();
  if (IsInt(v)) return AsInt64(v) == 0;
  if (v.is_number()) return v.get<double>() == 0;
  return false;
}

std::string TrimCut(const std::string& s, const std::string& cut) {
  size_t b = s.find_first_not_of(cut);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(cut) - b + 1);
}

std::string Replace(const std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  std::string out;
  size_t start = 0;
  for (size_t at; (at = s.find(from, start)) != std::string::npos; start = at + from.size()) {
    out += s.substr(start, at - start) + to;
  }
  return out + s.substr(start);
}

std::vector<std::string> SplitBy(const std::string& s, const std::string& sep) {
  std::vector<std::string> out;
  if (sep.empty()) {
    for (char c : s) out.emplace_back(1, c);
    return out;
  }
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + sep.size()) {
    out.push_back(s.substr(start, at - start));
  }
  out.push_back(s.substr(start));
  return out;
}

std::string GoQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out + "\"";
}

std::string Title(std::string s) {
  bool start = true;
  for (char& c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      start = true;
    } else if (start) {
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      start = false;
    }
  }
  return s;
}

// A function of fixed arity whose arguments are all taken as strings.
template <size_t N, typename Fn>
Result<Json> Strs(std::string_view name, const Args& a, Fn fn) {
  if (Status s = ArgCount(name, a, N, N); !s.ok()) return s;
  std::string args[N];
  for (size_t i = 0; i < N; ++i) args[i] = Str(a[i]);
  return Json(fn(args));
}

Result<Json> Arith(std::string_view name, const Args& a) {
  if (Status s = ArgCount(name, a, 2, 2); !s.ok()) return s;
  uint64_t x = static_cast<uint64_t>(ToInt64(a[0])), y = static_cast<uint64_t>(ToInt64(a[1]));
  if (name == "add") return Json(static_cast<int64_t>(x + y));
  if (name == "sub") return Json(static_cast<int64_t>(x - y));
  if (name == "mul") return Json(static_cast<int64_t>(x * y));
  int64_t d = ToInt64(a[1]);
  if (d == 0) return Status::Error("integer divide by zero");
  if (d == -1) return Json(name == "div" ? static_cast<int64_t>(0 - x) : int64_t{0});
  return Json(name == "div" ? ToInt64(a[0]) / d : ToInt64(a[0]) % d);
}

Result<Json> MinMax(std::string_view name, const Args& a) {
  if (a.empty()) return ArgCount(name, a, 1, 1);
  int64_t best = ToInt64(a[0]);
  for (const auto& v : a)
    best = name == "min" ? std::min(best, ToInt64(v)) : std::max(best, ToInt64(v));
  return Json(best);
}

Result<Json> Substr(const Args& a) {
  if (Status s = ArgCount("substr", a, 3, 3); !s.ok()) return s;
  int64_t start = ToInt64(a[0]), end = ToInt64(a[1]);
  std::string s = Str(a[2]);
  int64_t n = static_cast<int64_t>(s.size());
  if (start < 0) return Json(s.substr(0, std::clamp<int64_t>(end, 0, n)));
  if (end < 0 || end > n) return Json(start > n ? "" : s.substr(start));
  if (start > end) return Json("");
  return Json(s.substr(start, end - start));
}

Result<Json> Trunc(const Args& a) {
  if (Status s = ArgCount("trunc", a, 2, 2); !s.ok()) return s;
  int64_t c = ToInt64(a[0]);
  std::string s = Str(a[1]);
  int64_t n = static_cast<int64_t>(s.size());
  if (c < 0 && -c < n) return Json(s.substr(n + c));
  if (c >= 0 && n > c) return Json(s.substr(0, c));
  return Json(s);
}

Result<Json> Indent(const Args& a, bool newline) {
  if (Status s = ArgCount(newline ? "nindent" : "indent", a, 2, 2); !s.ok()) return s;
  int64_t n = std::clamp<int64_t>(ToInt64(a[0]), 0, 1 << 16);
  std::string pad(n, ' ');
  std::string out = pad + Replace(Str(a[1]), "\n", "\n" + pad);
  return Json(newline ? "\n" + out : out);
}

Result<Json> Repeat(const Args& a) {
  if (Status s = ArgCount("repeat", a, 2, 2); !s.ok()) return s;
  int64_t n = ToInt64(a[0]);
  std::string s = Str(a[1]);
  if (n < 0) return Status::Error("strings: negative Repeat count");
  if (!s.empty() && n > static_cast<int64_t>((1 << 24) / s.size()))
    return Status::Error("repeat: result too large");
  std::string out;
  for (int64_t i = 0; i < n; ++i) out += s;
  return Json(out);
}

Result<Json> Join(const Args& a) {
  if (Status s = ArgCount("join", a, 2, 2); !s.ok()) return s;
  if (!a[1].is_array()) return Json(Str(a[1]));
  std::string out;
  for (size_t i = 0; i < a[1].size(); ++i) {
    if (i) out += Str(a[0]);
    out += Str(a[1][i]);
  }
  return Json(out);
}

Result<Json> Dict(const Args& a) {
  Json out = Json::object();
  for (size_t i = 0; i < a.size(); i += 2) out[Str(a[i])] = i + 1 < a.size() ? a[i + 1] : Json("");
  return out;
}

Result<Json> FromJson(const Args& a, bool must) {
  if (Status s = ArgCount(must ? "mustFromJson" : "fromJson", a, 1, 1); !s.ok()) return s;
  Json v = Json::parse(Str(a[0]), nullptr, false);
  if (v.is_discarded()) {
    if (must) return Status::Error("invalid JSON");
    return Json("");
  }
  return v;
}

Result<Json> Cat(const Args& a) {
  std::string out;
  for (const auto& v : a) {
    if (v.is_null()) continue;
    if (!out.empty()) out += " ";
    out += Str(v);
  }
  return Json(out);
}

Result<Json> Quote(const Args& a, bool single) {
  std::string out;
  for (const auto& v : a) {
    if (v.is_null()) continue;
    if (!out.empty()) out += " ";
    out += single ? "'" + Str(v) + "'" : GoQuote(Str(v));
  }
  return Json(out);
}

Result<Json> B64Dec(const Args& a) {
  if (Status s = ArgCount("b64dec", a, 1, 1); !s.ok()) return s;
  auto d = Base64Decode(Str(a[0]));
  return Json(d.ok() ? *d : d.error());
}

// sprig's date(layout, time): a timestamp string is read as RFC 3339; anything
// else formats the current time, as sprig does for values it cannot convert.
Result<Json> Date(const Args& a) {
  if (Status s = ArgCount("date", a, 2, 2); !s.ok()) return s;
  auto when = a[1].is_string() ? ParseRfc3339(a[1].get<std::string>()) : std::nullopt;
  return Json(FormatGoTime(Str(a[0]), when.value_or(std::chrono::system_clock::now())));
}

}  // namespace

Builtin FindSprig(std::string_view name) {
  static const std::unordered_map<std::string_view, Builtin> kSprig = {
      {"trim",
       [](const Args& a) {
         return Strs<1>("trim", a, [](std::string* s) { return TrimCut(s[0], " \t\n\r\v\f"); });
       }},
      {"date", Date},
      {"trimAll",
       [](const Args& a) {
         return Strs<2>("trimAll", a, [](std::string* s) { return TrimCut(s[1], s[0]); });
       }},
      {"trimPrefix",
       [](const Args& a) {
         return Strs<2>("trimPrefix", a, [](std::string* s) {
           return s[1].starts_with(s[0]) ? s[1].substr(s[0].size()) : s[1];
         });
       }},
      {"trimSuffix",
       [](const Args& a) {
         return Strs<2>("trimSuffix", a, [](std::string* s) {
           return s[1].ends_with(s[0]) ? s[1].substr(0, s[1].size() - s[0].size()) : s[1];
         });
       }},
      {"upper",
       [](const Args& a) {
         return Strs<1>("upper", a, [](std::string* s) {
           std::string r = s[0];
           for (char& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
           return r;
         });
       }},
      {"lower",
       [](const Args& a) {
         return Strs<1>("lower", a, [](std::string* s) {
           std::string r = s[0];
           for (char& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
           return r;
         });
       }},
      {"title",
       [](const Args& a) {
         return Strs<1>("title", a, [](std::string* s) { return Title(s[0]); });
       }},
      {"replace",
       [](const Args& a) {
         return Strs<3>("replace", a, [](std::string* s) { return Replace(s[2], s[0], s[1]); });
       }},
      {"contains",
       [](const Args& a) {
         return Strs<2>("contains", a,
                        [](std::string* s) { return s[1].find(s[0]) != std::string::npos; });
       }},
      {"hasPrefix",
       [](const Args& a) {
         return Strs<2>("hasPrefix", a, [](std::string* s) { return s[1].starts_with(s[0]); });
       }},
      {"hasSuffix",
       [](const Args& a) {
         return Strs<2>("hasSuffix", a, [](std::string* s) { return s[1].ends_with(s[0]); });
       }},
      {"nospace",
       [](const Args& a) {
         return Strs<1>("nospace", a, [](std::string* s) {
           std::string r;
           for (char c : s[0]) {
             if (!std::isspace(static_cast<unsigned char>(c))) r.push_back(c);
           }
           return r;
         });
       }},
      {"splitList",
       [](const Args& a) {
         return Strs<2>("splitList", a, [](std::string* s) { return Json(SplitBy(s[1], s[0])); });
       }},
      {"split",
       [](const Args& a) {
         return Strs<2>("split", a, [](std::string* s) {
           Json out = Json::object();
           auto parts = SplitBy(s[1], s[0]);
           for (size_t i = 0; i < parts.size(); ++i) out["_" + std::to_string(i)] = parts[i];
           return out;
         });
       }},
      {"join", Join},
      {"default",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("default", a, 1, 2); !s.ok()) return s;
         return a.size() == 2 && !Empty(a[1]) ? a[1] : a[0];
       }},
      {"empty",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("empty", a, 1, 1); !s.ok()) return s;
         return Json(Empty(a[0]));
       }},
      {"coalesce",
       [](const Args& a) -> Result<Json> {
         for (const auto& v : a) {
           if (!Empty(v)) return v;
         }
         return Json();
       }},
      {"ternary",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("ternary", a, 3, 3); !s.ok()) return s;
         return a[2].is_boolean() && a[2].get<bool>() ? a[0] : a[1];
       }},
      {"int",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("int", a, 1, 1); !s.ok()) return s;
         return Json(ToInt64(a[0]));
       }},
      {"int64",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("int64", a, 1, 1); !s.ok()) return s;
         return Json(ToInt64(a[0]));
       }},
      {"atoi",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("atoi", a, 1, 1); !s.ok()) return s;
         auto v = ParseGoInt(Str(a[0]));
         return Json(v.ok() ? *v : 0);
       }},
      {"float64",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("float64", a, 1, 1); !s.ok()) return s;
         return Json(ToFloat64(a[0]));
       }},
      {"toString",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("toString", a, 1, 1); !s.ok()) return s;
         return Json(Str(a[0]));
       }},
      {"add", [](const Args& a) { return Arith("add", a); }},
      {"sub", [](const Args& a) { return Arith("sub", a); }},
      {"mul", [](const Args& a) { return Arith("mul", a); }},
      {"div", [](const Args& a) { return Arith("div", a); }},
      {"mod", [](const Args& a) { return Arith("mod", a); }},
      {"add1",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("add1", a, 1, 1); !s.ok()) return s;
         return Json(static_cast<int64_t>(static_cast<uint64_t>(ToInt64(a[0])) + 1));
       }},
      {"max", [](const Args& a) { return MinMax("max", a); }},
      {"min", [](const Args& a) { return MinMax("min", a); }},
      {"list", [](const Args& a) -> Result<Json> { return Json(a); }},
      {"dict", Dict},
      {"toJson",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("toJson", a, 1, 1); !s.ok()) return s;
         return Json(GoJson(a[0]));
       }},
      {"toPrettyJson",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("toPrettyJson", a, 1, 1); !s.ok()) return s;
         return Json(GoJsonIndent(a[0]));
       }},
      {"fromJson", [](const Args& a) { return FromJson(a, false); }},
      {"mustFromJson", [](const Args& a) { return FromJson(a, true); }},
      {"b64enc",
       [](const Args& a) {
         return Strs<1>("b64enc", a, [](std::string* s) { return Base64Encode(s[0]); });
       }},
      {"b64dec", B64Dec},
      {"quote", [](const Args& a) { return Quote(a, false); }},
      {"squote", [](const Args& a) { return Quote(a, true); }},
      {"repeat", Repeat},
      {"substr", Substr},
      {"trunc", Trunc},
      {"cat", Cat},
      {"indent", [](const Args& a) { return Indent(a, false); }},
      {"nindent", [](const Args& a) { return Indent(a, true); }},
      {"first",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("first", a, 1, 1); !s.ok()) return s;
         return a[0].is_array() && !a[0].empty() ? a[0].front() : Json();
       }},
      {"last",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("last", a, 1, 1); !s.ok()) return s;
         return a[0].is_array() && !a[0].empty() ? a[0].back() : Json();
       }},
      {"has",
       [](const Args& a) -> Result<Json> {
         if (Status s = ArgCount("has", a, 2, 2); !s.ok()) return s;
         if (!a[1].is_array()) return Json(false);
         return Json(std::find(a[1].begin(), a[1].end(), a[0]) != a[1].end());
       }},
  };
  auto it = kSprig.find(name);
  return it == kSprig.end() ? nullptr : it->second;
}

}  // namespace loom::expr
