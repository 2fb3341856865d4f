// Kubernetes quantity parsing in exact integer arithmetic: a quantity is
// mantissa * 10^exponent * 2^binary_shift, converted to the caller's unit with
// rounding up, as Kubernetes rounds requests.
#include "spec/quantity.h"

#include <fmt/format.h>

#include <cctype>
#include <string>

namespace loom::spec {
namespace {

// Wide enough that mantissa * 10 never overflows before the check against kLimit.
__extension__ typedef __int128 Wide;

struct Decomposed {
  Wide mantissa = 0;
  int decimal_exponent = 0;
  int binary_shift = 0;
};

constexpr Wide kLimit = static_cast<Wide>(INT64_MAX);

Status Invalid(std::string_view text, std::string_view why) {
  return Status::Error(fmt::format("invalid quantity '{}': {}", text, why));
}

// Reads the suffix into decimal/binary scale; false when it is not a suffix.
bool ReadSuffix(std::string_view suffix, Decomposed& q) {
  static constexpr struct {
    const char* text;
    int decimal;
    int binary;
  } kSuffixes[] = {{"", 0, 0},    {"m", -3, 0},  {"k", 3, 0},   {"M", 6, 0},   {"G", 9, 0},
                   {"T", 12, 0},  {"P", 15, 0},  {"E", 18, 0},  {"Ki", 0, 10}, {"Mi", 0, 20},
                   {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50}, {"Ei", 0, 60}};
  for (const auto& s : kSuffixes) {
    if (suffix == s.text) {
      q.decimal_exponent += s.decimal;
      q.binary_shift = s.binary;
      return true;
    }
  }
  // A decimal exponent: "e3", "E-2".
  if (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    size_t i = 1;
    bool negative = false;
    if (suffix[i] == '+' || suffix[i] == '-') negative = suffix[i++] == '-';
    if (i >= suffix.size() || suffix.size() - i > 3) return false;
    int exponent = 0;
    for (; i < suffix.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(suffix[i]))) return false;
      exponent = exponent * 10 + (suffix[i] - '0');
    }
    q.decimal_exponent += negative ? -exponent : exponent;
    return true;
  }
  return false;
}

Result<Decomposed> Decompose(std::string_view text) {
  if (text.empty()) return Invalid(text, "empty");
  size_t i = 0;
  if (text[0] == '+') ++i;
  if (i < text.size() && text[i] == '-') return Invalid(text, "must not be negative");
  Decomposed q;
  int digits = 0;
  bool seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !seen_point) {
      seen_point = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      if (q.mantissa >= kLimit) return Invalid(text, "too large");
      q.mantissa = q.mantissa * 10 + (c - '0');
      if (seen_point) --q.decimal_exponent;
      ++digits;
    } else {
      break;
    }
  }
  if (digits == 0) return Invalid(text, "expected a number such as 500m, 2 or 1.5Gi");
  if (!ReadSuffix(text.substr(i), q)) {
    return Invalid(
        text, fmt::format("unknown suffix '{}' (use m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)",
                          text.substr(i)));
  }
  return q;
}

// The quantity in units of 10^unit_exponent, rounded up.
Result<int64_t> Convert(std::string_view text, int unit_exponent) {
  Result<Decomposed> parsed = Decompose(text);
  if (!parsed.ok()) return parsed.status();
  Decomposed q = *parsed;
  int exponent = q.decimal_exponent - unit_exponent;
  Wide value = q.mantissa;
  for (int i = 0; i < q.binary_shift; ++i) {
    value *= 2;
    if (value > kLimit) return Invalid(text, "too large");
  }
  for (; exponent > 0; --exponent) {
    value *= 10;
    if (value > kLimit) return Invalid(text, "too large");
  }
  Wide divisor = 1;
  for (; exponent < 0; ++exponent) {
    divisor *= 10;
    // Anything this small rounds up to one unit (or stays zero).
    if (divisor > kLimit) return static_cast<int64_t>(value > 0 ? 1 : 0);
  }
  return static_cast<int64_t>((value + divisor - 1) / divisor);
}

}  // namespace

Result<int64_t> ParseCpuMillis(std::string_view quantity) { return Convert(quantity, -3); }

Result<int64_t> ParseBytes(std::string_view quantity) { return Convert(quantity, 0); }

Result<int64_t> ParseCount(std::string_view quantity) {
  Result<int64_t> millis = Convert(quantity, -3);
  if (!millis.ok()) return millis;
  if (*millis % 1000 != 0) {
    return Status::Error(fmt::format("invalid quantity '{}': must be a whole number", quantity));
  }
  return *millis / 1000;
}

}  // namespace loom::spec
