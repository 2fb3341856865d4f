// A Go layout formatter covering the tokens workflows use.
#include "expr/go_time.h"

#include <cstdio>
#include <ctime>

namespace loom::expr {

std::string FormatGoTime(std::string_view layout, std::chrono::system_clock::time_point time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  static const char* kLongMonths[] = {"January",   "February", "March",    "April",
                                      "May",       "June",     "July",     "August",
                                      "September", "October",  "November", "December"};
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kLongDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                    "Thursday", "Friday", "Saturday"};
  struct Token {
    std::string_view text;
    std::string (*render)(const std::tm&);
  };
  auto num = [](int value, int width) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%0*d", width, value);
    return std::string(buffer);
  };
  std::string out;
  size_t i = 0;
  auto starts = [&](std::string_view token) { return layout.substr(i, token.size()) == token; };
  while (i < layout.size()) {
    if (starts("2006")) {
      out += num(tm.tm_year + 1900, 4);
      i += 4;
    } else if (starts("January")) {
      out += kLongMonths[tm.tm_mon];
      i += 7;
    } else if (starts("Jan")) {
      out += kMonths[tm.tm_mon];
      i += 3;
    } else if (starts("Monday")) {
      out += kLongDays[tm.tm_wday];
      i += 6;
    } else if (starts("Mon")) {
      out += kDays[tm.tm_wday];
      i += 3;
    } else if (starts("MST")) {
      out += "UTC";
      i += 3;
    } else if (starts("Z07:00")) {
      out += "Z";
      i += 6;
    } else if (starts("-07:00")) {
      out += "+00:00";
      i += 6;
    } else if (starts("-0700")) {
      out += "+0000";
      i += 5;
    } else if (starts("01")) {
      out += num(tm.tm_mon + 1, 2);
      i += 2;
    } else if (starts("02")) {
      out += num(tm.tm_mday, 2);
      i += 2;
    } else if (starts("06")) {
      out += num(tm.tm_year % 100, 2);
      i += 2;
    } else if (starts("15")) {
      out += num(tm.tm_hour, 2);
      i += 2;
    } else if (starts("03")) {
      out += num(tm.tm_hour % 12 == 0 ? 12 : tm.tm_hour % 12, 2);
      i += 2;
    } else if (starts("04")) {
      out += num(tm.tm_min, 2);
      i += 2;
    } else if (starts("05")) {
      out += num(tm.tm_sec, 2);
      i += 2;
    } else if (starts("PM")) {
      out += tm.tm_hour >= 12 ? "PM" : "AM";
      i += 2;
    } else if (starts("1")) {
      out += std::to_string(tm.tm_mon + 1);
      i += 1;
    } else if (starts("2")) {
      out += std::to_string(tm.tm_mday);
      i += 1;
    } else {
      out += layout[i];
      i += 1;
    }
  }
  return out;
}

std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  char z = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 ||
      z != 'Z') {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

}  // namespace loom::expr
