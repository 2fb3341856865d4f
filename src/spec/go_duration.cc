// A port of Go's time.ParseDuration (src/time/format.go), overflow checks
// included, so that a schedule Argo accepts is accepted here and vice versa.
#include "spec/go_duration.h"

#include <cstdint>
#include <string>
#include <utility>

namespace loom::spec {
namespace {

std::string GoQuote(std::string_view text) { return "\"" + std::string(text) + "\""; }

// Go's leadingInt: digits as an integer; false on overflow.
bool LeadingInt(std::string_view& s, uint64_t& x) {
  size_t i = 0;
  x = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (x > (uint64_t{1} << 63) / 10) return false;
    x = x * 10 + static_cast<uint64_t>(s[i] - '0');
    if (x > (uint64_t{1} << 63)) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Go's leadingFraction: digits after the point as f / scale.
void LeadingFraction(std::string_view& s, uint64_t& f, double& scale) {
  size_t i = 0;
  f = 0;
  scale = 1;
  bool overflow = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (overflow) continue;
    if (f > ((uint64_t{1} << 63) - 1) / 10) {
      overflow = true;
      continue;
    }
    uint64_t y = f * 10 + static_cast<uint64_t>(s[i] - '0');
    if (y > (uint64_t{1} << 63)) {
      overflow = true;
      continue;
    }
    f = y;
    scale *= 10;
  }
  s.remove_prefix(i);
}

uint64_t UnitNanos(std::string_view unit) {
  static constexpr std::pair<std::string_view, uint64_t> kUnits[] = {
      {"ns", 1},           {"us", 1000},      {"\xc2\xb5s", 1000},  // U+00B5 micro sign
      {"\xce\xbcs", 1000},                                          // U+03BC Greek letter mu
      {"ms", 1000000},     {"s", 1000000000}, {"m", 60000000000},  {"h", 3600000000000}};
  for (const auto& [name, nanos] : kUnits) {
    if (unit == name) return nanos;
  }
  return 0;
}

}  // namespace

Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view text) {
  std::string_view s = text;
  auto invalid = [&] { return Status::Error("time: invalid duration " + GoQuote(text)); };
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds{0};
  if (s.empty()) return invalid();
  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid();
    size_t before = s.size();
    uint64_t v = 0;
    if (!LeadingInt(s, v)) return invalid();
    bool pre = before != s.size();
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t at = s.size();
      LeadingFraction(s, f, scale);
      post = at != s.size();
    }
    if (!pre && !post) return invalid();
    size_t i = 0;
    while (i < s.size() && s[i] != '.' && !(s[i] >= '0' && s[i] <= '9')) ++i;
    if (i == 0) return Status::Error("time: missing unit in duration " + GoQuote(text));
    std::string_view unit_name = s.substr(0, i);
    s.remove_prefix(i);
    uint64_t unit = UnitNanos(unit_name);
    if (unit == 0) {
      return Status::Error("time: unknown unit " + GoQuote(unit_name) + " in duration " +
                           GoQuote(text));
    }
    if (v > (uint64_t{1} << 63) / unit) return invalid();
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > (uint64_t{1} << 63)) return invalid();
    }
    total += v;
    if (total > (uint64_t{1} << 63)) return invalid();
  }
  if (negative) return std::chrono::nanoseconds{static_cast<int64_t>(0 - total)};
  if (total > (uint64_t{1} << 63) - 1) return invalid();
  return std::chrono::nanoseconds{static_cast<int64_t>(total)};
}

}  // namespace loom::spec
