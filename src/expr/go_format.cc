// Go-compatible printing of Json values; see go_format.h.
#include "expr/go_format.h"

#include <charconv>
#include <cmath>

namespace loom::expr {
namespace {

// Shortest round-trip digits of |value| and its decimal exponent, such that
// value = 0.d1d2d3... * 10^point (as strconv's decimal does).
void ShortestDigits(double value, std::string* digits, int* point) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), std::fabs(value), std::chars_format::scientific);
  std::string text(buf, res.ptr);
  size_t e = text.find('e');
  std::string mantissa = text.substr(0, e);
  int exponent = std::stoi(text.substr(e + 1));
  digits->clear();
  for (char c : mantissa) {
    if (c != '.') digits->push_back(c);
  }
  while (digits->size() > 1 && digits->back() == '0') digits->pop_back();
  *point = exponent + 1;
}

std::string Exponential(const std::string& digits, int point, bool two_digit_exponent) {
  std::string out(1, digits[0]);
  if (digits.size() > 1) out += "." + digits.substr(1);
  int exp = point - 1;
  out += exp < 0 ? "e-" : "e+";
  std::string e = std::to_string(std::abs(exp));
  if (two_digit_exponent && e.size() < 2) e = "0" + e;
  return out + e;
}

std::string Fixed(const std::string& digits, int point) {
  if (point <= 0) return "0." + std::string(-point, '0') + digits;
  if (point >= static_cast<int>(digits.size())) {
    return digits + std::string(point - digits.size(), '0');
  }
  return digits.substr(0, point) + "." + digits.substr(point);
}

std::string SpecialFloat(double value) {
  if (std::isnan(value)) return "NaN";
  return value > 0 ? "+Inf" : "-Inf";
}

std::string GoFloatJson(double value) {
  if (!std::isfinite(value)) return SpecialFloat(value);
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  std::string digits;
  int point;
  ShortestDigits(value, &digits, &point);
  double abs = std::fabs(value);
  std::string sign = value < 0 ? "-" : "";
  if (abs < 1e-6 || abs >= 1e21) return sign + Exponential(digits, point, false);
  return sign + Fixed(digits, point);
}

void AppendJsonString(const std::string& s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        *out += "\\\"";
        continue;
      case '\\':
        *out += "\\\\";
        continue;
      case '\n':
        *out += "\\n";
        continue;
      case '\r':
        *out += "\\r";
        continue;
      case '\t':
        *out += "\\t";
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
      *out += "\\u00";
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xf]);
    } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) & 0xfe) == 0xa8) {
      // U+2028 and U+2029, which Go escapes for JavaScript's sake.
      *out += (static_cast<unsigned char>(s[i + 2]) == 0xa8) ? "\\u2028" : "\\u2029";
      i += 2;
    } else {
      out->push_back(static_cast<char>(c));
    }
  }
  out->push_back('"');
}

void AppendJson(const Json& v, const std::string& indent, int depth, std::string* out) {
  auto newline = [&](int d) {
    if (indent.empty()) return;
    out->push_back('\n');
    for (int i = 0; i < d; ++i) *out += indent;
  };
  switch (v.type()) {
    case Json::value_t::null:
      *out += "null";
      return;
    case Json::value_t::boolean:
      *out += v.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_integer:
      *out += std::to_string(v.get<int64_t>());
      return;
    case Json::value_t::number_unsigned:
      *out += std::to_string(v.get<uint64_t>());
      return;
    case Json::value_t::number_float:
      *out += GoFloatJson(v.get<double>());
      return;
    case Json::value_t::string:
      AppendJsonString(v.get_ref<const std::string&>(), out);
      return;
    case Json::value_t::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& e : v) {
        if (!first) out->push_back(',');
        first = false;
        newline(depth + 1);
        AppendJson(e, indent, depth + 1, out);
      }
      if (!v.empty()) newline(depth);
      out->push_back(']');
      return;
    }
    case Json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, e] : v.items()) {
        if (!first) out->push_back(',');
        first = false;
        newline(depth + 1);
        AppendJsonString(key, out);
        *out += indent.empty() ? ":" : ": ";
        AppendJson(e, indent, depth + 1, out);
      }
      if (!v.empty()) newline(depth);
      out->push_back('}');
      return;
    }
    default:
      *out += "null";
      return;
  }
}

}  // namespace

std::string GoJson(const Json& value) {
  std::string out;
  AppendJson(value, "", 0, &out);
  return out;
}

std::string GoJsonIndent(const Json& value) {
  std::string out;
  AppendJson(value, "  ", 0, &out);
  return out;
}

std::string GoFloatV(double value) {
  if (!std::isfinite(value)) return SpecialFloat(value);
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  std::string digits;
  int point;
  ShortestDigits(value, &digits, &point);
  std::string sign = value < 0 ? "-" : "";
  int exp = point - 1;
  if (exp < -4 || exp >= 6) return sign + Exponential(digits, point, true);
  return sign + Fixed(digits, point);
}

std::string GoString(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "<nil>";
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
      return std::to_string(value.get<int64_t>());
    case Json::value_t::number_unsigned:
      return std::to_string(value.get<uint64_t>());
    case Json::value_t::number_float:
      return GoFloatV(value.get<double>());
    case Json::value_t::string:
      return value.get<std::string>();
    case Json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < value.size(); ++i) {
        if (i) out += " ";
        out += GoString(value[i]);
      }
      return out + "]";
    }
    case Json::value_t::object: {
      std::string out = "map[";
      bool first = true;
      for (const auto& [key, e] : value.items()) {
        if (!first) out += " ";
        first = false;
        out += key + ":" + GoString(e);
      }
      return out + "]";
    }
    default:
      return "<nil>";
  }
}

std::string TypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "nil";
    case Json::value_t::boolean:
      return "bool";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "int";
    case Json::value_t::number_float:
      return "float";
    case Json::value_t::string:
      return "string";
    case Json::value_t::array:
      return "array";
    case Json::value_t::object:
      return "map";
    default:
      return "unknown";
  }
}

}  // namespace loom::expr
