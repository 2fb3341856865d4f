// Go's time.ParseDuration grammar plus Argo's "bare number means seconds".
#include "spec/duration.h"

#include <fmt/format.h>

#include <cctype>
#include <string>

namespace loom::spec {
namespace {

double UnitSeconds(std::string_view unit) {
  static constexpr struct {
    const char* name;
    double seconds;
  } kUnits[] = {{"ns", 1e-9}, {"us", 1e-6}, {"µs", 1e-6}, {"ms", 1e-3},
                {"s", 1},     {"m", 60},    {"h", 3600}};
  for (const auto& u : kUnits) {
    if (unit == u.name) return u.seconds;
  }
  return -1;
}

}  // namespace

Result<double> ParseDurationSeconds(std::string_view text) {
  auto invalid = [&](std::string_view why) {
    return Status::Error(fmt::format("invalid duration '{}': {}", text, why));
  };
  if (text.empty()) return invalid("empty");
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && std::isdigit(static_cast<unsigned char>(c));
  if (all_digits) return std::stod(std::string(text));

  size_t i = 0;
  if (text[0] == '+' || text[0] == '-') {
    if (text[0] == '-') return invalid("must not be negative");
    ++i;
  }
  if (text.substr(i) == "0") return 0.0;
  double total = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
      ++i;
    if (i == start) return invalid("expected a number such as 30s, 5m or 1h30m");
    double number = std::stod(std::string(text.substr(start, i - start)));
    size_t unit_start = i;
    while (i < text.size() && !std::isdigit(static_cast<unsigned char>(text[i])) && text[i] != '.')
      ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    if (unit.empty()) return invalid("missing unit (use ns, us, ms, s, m or h)");
    double seconds = UnitSeconds(unit);
    if (seconds < 0)
      return invalid(fmt::format("unknown unit '{}' (use ns, us, ms, s, m or h)", unit));
    total += number * seconds;
  }
  return total;
}

}  // namespace loom::spec
