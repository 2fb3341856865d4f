// expr-lang's string builtins: trim, upper, split, join, replace, repeat,
// indexOf and friends.
#include <fmt/format.h>

#include <unordered_map>

#include "expr/builtins.h"
#include "expr/go_format.h"

namespace loom::expr {
namespace {

Status Invalid(std::string_view name, const Json& v) {
  return Status::Error(fmt::format("invalid argument for {} (type {})", name, TypeName(v)));
}

template <size_t N, typename Fn>
Result<Json> Strings(std::string_view name, const std::vector<Json>& a, Fn fn) {
  if (Status s = ArgCount(name, a, N, N); !s.ok()) return s;
  std::string args[N];
  for (size_t i = 0; i < N; ++i) {
    if (!a[i].is_string()) return Invalid(name, a[i]);
    args[i] = a[i].get<std::string>();
  }
  return Json(fn(args));
}

std::string TrimSet(const std::string& s, const std::string& set) {
  size_t b = s.find_first_not_of(set);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(set) - b + 1);
}

Result<Json> Trim(const std::vector<Json>& a) {
  if (a.size() == 2)
    return Strings<2>("trim", a, [](std::string* s) { return TrimSet(s[0], s[1]); });
  return Strings<1>("trim", a, [](std::string* s) { return TrimSet(s[0], " \t\n\r\v\f"); });
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Json SplitString(const std::string& s, const std::string& sep, bool keep_sep) {
  Json out = Json::array();
  if (sep.empty()) {
    for (size_t i = 0; i < s.size();) {
      size_t n = 1;
      while (i + n < s.size() && (static_cast<unsigned char>(s[i + n]) & 0xc0) == 0x80) ++n;
      out.push_back(s.substr(i, n));
      i += n;
    }
    return out;
  }
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    if (at == std::string::npos) break;
    out.push_back(s.substr(start, at - start + (keep_sep ? sep.size() : 0)));
    start = at + sep.size();
  }
  out.push_back(s.substr(start));
  return out;
}

Result<Json> Split(const std::vector<Json>& a) {
  return Strings<2>("split", a, [](std::string* s) { return SplitString(s[0], s[1], false); });
}
Result<Json> SplitAfter(const std::vector<Json>& a) {
  return Strings<2>("splitAfter", a, [](std::string* s) { return SplitString(s[0], s[1], true); });
}

Result<Json> Join(const std::vector<Json>& a) {
  if (Status s = ArgCount("join", a, 1, 2); !s.ok()) return s;
  if (!a[0].is_array()) return Invalid("join", a[0]);
  std::string sep;
  if (a.size() == 2) {
    if (!a[1].is_string()) return Invalid("join", a[1]);
    sep = a[1].get<std::string>();
  }
  std::string out;
  for (size_t i = 0; i < a[0].size(); ++i) {
    if (!a[0][i].is_string()) return Invalid("join", a[0][i]);
    if (i) out += sep;
    out += a[0][i].get<std::string>();
  }
  return Json(out);
}

std::string ReplaceAll(const std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return s;
  std::string out;
  size_t start = 0;
  for (size_t at; (at = s.find(from, start)) != std::string::npos; start = at + from.size()) {
    out += s.substr(start, at - start) + to;
  }
  return out + s.substr(start);
}

Result<Json> Repeat(const std::vector<Json>& a) {
  if (Status s = ArgCount("repeat", a, 2, 2); !s.ok()) return s;
  if (!a[0].is_string() || !IsInt(a[1])) return Invalid("repeat", a[0].is_string() ? a[1] : a[0]);
  int64_t n = AsInt64(a[1]);
  const auto& s = a[0].get_ref<const std::string&>();
  if (n < 0) return Status::Error("strings: negative Repeat count");
  if (!s.empty() && n > static_cast<int64_t>((1 << 24) / s.size()))
    return Status::Error("repeat: result too large");
  std::string out;
  for (int64_t i = 0; i < n; ++i) out += s;
  return Json(out);
}

Result<Json> IndexOf(const std::vector<Json>& a, bool last) {
  return Strings<2>(last ? "lastIndexOf" : "indexOf", a, [last](std::string* s) {
    size_t at = last ? s[0].rfind(s[1]) : s[0].find(s[1]);
    return at == std::string::npos ? int64_t{-1} : static_cast<int64_t>(at);
  });
}

}  // namespace

Builtin FindStringBuiltin(std::string_view name) {
  static const std::unordered_map<std::string_view, Builtin> kStrings = {
      {"trim", Trim},
      {"trimPrefix",
       [](const std::vector<Json>& a) {
         return Strings<2>("trimPrefix", a, [](std::string* s) {
           return s[0].starts_with(s[1]) ? s[0].substr(s[1].size()) : s[0];
         });
       }},
      {"trimSuffix",
       [](const std::vector<Json>& a) {
         return Strings<2>("trimSuffix", a, [](std::string* s) {
           return s[0].ends_with(s[1]) ? s[0].substr(0, s[0].size() - s[1].size()) : s[0];
         });
       }},
      {"upper",
       [](const std::vector<Json>& a) {
         return Strings<1>("upper", a, [](std::string* s) { return Upper(s[0]); });
       }},
      {"lower",
       [](const std::vector<Json>& a) {
         return Strings<1>("lower", a, [](std::string* s) { return Lower(s[0]); });
       }},
      {"split", Split},
      {"splitAfter", SplitAfter},
      {"join", Join},
      {"replace",
       [](const std::vector<Json>& a) {
         return Strings<3>("replace", a,
                           [](std::string* s) { return ReplaceAll(s[0], s[1], s[2]); });
       }},
      {"repeat", Repeat},
      {"indexOf", [](const std::vector<Json>& a) { return IndexOf(a, false); }},
      {"lastIndexOf", [](const std::vector<Json>& a) { return IndexOf(a, true); }},
      {"hasPrefix",
       [](const std::vector<Json>& a) {
         return Strings<2>("hasPrefix", a, [](std::string* s) { return s[0].starts_with(s[1]); });
       }},
      {"hasSuffix",
       [](const std::vector<Json>& a) {
         return Strings<2>("hasSuffix", a, [](std::string* s) { return s[0].ends_with(s[1]); });
       }},
  };
  auto it = kStrings.find(name);
  return it == kStrings.end() ? nullptr : it->second;
}

}  // namespace loom::expr
