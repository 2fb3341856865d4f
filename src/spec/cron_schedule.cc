// robfig/cron v3's ParseStandard and SpecSchedule.Next. Next() is a
// line-by-line port because its behaviour around daylight saving changes
// comes from how Go's time package normalizes wall-clock times (time.Date,
// AddDate), which GoClock (time_zone.h) mirrors.
#include "spec/cron_schedule.h"

#include <fmt/format.h>

#include <utility>
#include <vector>

#include "spec/go_duration.h"
#include "spec/time_zone.h"

namespace loom::spec {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using Seconds = std::chrono::sys_seconds;

constexpr uint64_t kStarBit = uint64_t{1} << 63;

struct Bounds {
  const char* field;  // for messages
  unsigned min, max;
  std::vector<std::pair<std::string_view, unsigned>> names;
};

const Bounds kMinutes{"minute", 0, 59, {}};
const Bounds kHours{"hour", 0, 23, {}};
const Bounds kDaysOfMonth{"day-of-month", 1, 31, {}};
const Bounds kMonths{"month",
                     1,
                     12,
                     {{"jan", 1},
                      {"feb", 2},
                      {"mar", 3},
                      {"apr", 4},
                      {"may", 5},
                      {"jun", 6},
                      {"jul", 7},
                      {"aug", 8},
                      {"sep", 9},
                      {"oct", 10},
                      {"nov", 11},
                      {"dec", 12}}};
const Bounds kDaysOfWeek{
    "day-of-week",
    0,
    6,
    {{"sun", 0}, {"mon", 1}, {"tue", 2}, {"wed", 3}, {"thu", 4}, {"fri", 5}, {"sat", 6}}};

// strings.Split: n+1 pieces for n separators, empty ones kept.
std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = text.find(separator); i != std::string_view::npos;
       i = text.find(separator, start)) {
    out.push_back(text.substr(start, i - start));
    start = i + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// strings.Fields.
std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && IsSpace(text[i])) ++i;
    size_t start = i;
    while (i < text.size() && !IsSpace(text[i])) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// robfig's mustParseInt, over strconv.Atoi.
Result<uint64_t> ParseNumber(std::string_view text) {
  std::string_view digits = text;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  bool syntax = !digits.empty();
  uint64_t value = 0;
  bool overflow = false;
  for (char c : digits) {
    if (c < '0' || c > '9') {
      syntax = false;
      break;
    }
    overflow = overflow || value > (uint64_t{1} << 63) / 10;
    if (!overflow) value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  if (!syntax || overflow || value > (uint64_t{1} << 63) - (negative ? 0 : 1)) {
    return Status::Error(
        fmt::format("failed to parse int from {0}: strconv.Atoi: parsing \"{0}\": {1}", text,
                    syntax ? "value out of range" : "invalid syntax"));
  }
  if (negative && value != 0) {
    return Status::Error(fmt::format("negative number (-{}) not allowed: {}", value, text));
  }
  return value;
}

Result<uint64_t> ParseNumberOrName(std::string_view text, const Bounds& bounds) {
  std::string lower = Lower(text);
  for (const auto& [name, value] : bounds.names) {
    if (lower == name) return uint64_t{value};
  }
  return ParseNumber(text);
}

uint64_t Bits(uint64_t min, uint64_t max, uint64_t step) {
  uint64_t bits = 0;
  for (uint64_t i = min; i <= max; i += step) bits |= uint64_t{1} << i;
  return bits;
}

uint64_t All(const Bounds& bounds) { return Bits(bounds.min, bounds.max, 1) | kStarBit; }

// robfig's getRange: number | number "-" number [ "/" number ].
Result<uint64_t> ParseRange(std::string_view expr, const Bounds& bounds) {
  std::vector<std::string_view> range_and_step = Split(expr, '/');
  std::vector<std::string_view> low_and_high = Split(range_and_step[0], '-');
  bool single = low_and_high.size() == 1;
  uint64_t start = 0, end = 0, step = 1, extra = 0;
  if (low_and_high[0] == "*" || low_and_high[0] == "?") {
    start = bounds.min;
    end = bounds.max;
    extra = kStarBit;
  } else {
    Result<uint64_t> low = ParseNumberOrName(low_and_high[0], bounds);
    if (!low) return low.status();
    start = end = *low;
    if (low_and_high.size() == 2) {
      Result<uint64_t> high = ParseNumberOrName(low_and_high[1], bounds);
      if (!high) return high.status();
      end = *high;
    } else if (low_and_high.size() > 2) {
      return Status::Error(fmt::format("too many hyphens: {}", expr));
    }
  }
  if (range_and_step.size() == 2) {
    Result<uint64_t> parsed = ParseNumber(range_and_step[1]);
    if (!parsed) return parsed.status();
    step = *parsed;
    if (single) end = bounds.max;  // "N/step" means "N-max/step"
    if (step > 1) extra = 0;
  } else if (range_and_step.size() > 2) {
    return Status::Error(fmt::format("too many slashes: {}", expr));
  }
  if (start < bounds.min) {
    return Status::Error(
        fmt::format("beginning of range ({}) below minimum ({}): {}", start, bounds.min, expr));
  }
  if (end > bounds.max) {
    return Status::Error(
        fmt::format("end of range ({}) above maximum ({}): {}", end, bounds.max, expr));
  }
  if (start > end) {
    return Status::Error(
        fmt::format("beginning of range ({}) beyond end of range ({}): {}", start, end, expr));
  }
  if (step == 0)
    return Status::Error(fmt::format("step of range should be a positive number: {}", expr));
  return Bits(start, end, step) | extra;
}

// robfig's getField: a comma-separated list of ranges (empty items skipped).
Result<uint64_t> ParseField(std::string_view field, const Bounds& bounds) {
  uint64_t bits = 0;
  for (std::string_view expr : Split(field, ',')) {
    if (expr.empty()) continue;
    Result<uint64_t> range = ParseRange(expr, bounds);
    if (!range) {
      return Status::Error(fmt::format("{} field \"{}\": {}", bounds.field, field, range.error()));
    }
    bits |= *range;
  }
  return bits;
}

// t.Truncate(time.Minute): Go truncates the absolute time (since year 1, a whole
// number of minutes before the Unix epoch), not the wall-clock time.
Seconds TruncateToMinute(Seconds t) { return std::chrono::floor<minutes>(t); }

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view text,
                                         const date::time_zone* default_zone) {
  if (text.empty()) return Status::Error("empty spec string");
  CronSchedule schedule;
  schedule.zone_ = default_zone;
  if (text.substr(0, 3) == "TZ=" || text.substr(0, 8) == "CRON_TZ=") {
    size_t space = text.find(' ');
    size_t eq = text.find('=');
    if (space == std::string_view::npos) {
      return Status::Error(fmt::format("no schedule after the time zone: {}", text));
    }
    std::string_view name = text.substr(eq + 1, space - eq - 1);
    Result<const date::time_zone*> zone = FindTimeZone(name);
    if (!zone)
      return Status::Error(fmt::format("provided bad location {}: {}", name, zone.error()));
    schedule.zone_ = *zone;
    text = TrimSpace(text.substr(space));
  }

  if (!text.empty() && text[0] == '@') {
    constexpr std::string_view kEvery = "@every ";
    const uint64_t zero = uint64_t{1} << 0;  // the bit of value 0
    if (text == "@yearly" || text == "@annually") {
      schedule.minute_ = schedule.hour_ = zero;
      schedule.day_of_month_ = schedule.month_ = uint64_t{1} << 1;
      schedule.day_of_week_ = All(kDaysOfWeek);
    } else if (text == "@monthly") {
      schedule.minute_ = schedule.hour_ = zero;
      schedule.day_of_month_ = uint64_t{1} << 1;
      schedule.month_ = All(kMonths);
      schedule.day_of_week_ = All(kDaysOfWeek);
    } else if (text == "@weekly") {
      schedule.minute_ = schedule.hour_ = zero;
      schedule.day_of_month_ = All(kDaysOfMonth);
      schedule.month_ = All(kMonths);
      schedule.day_of_week_ = uint64_t{1} << 0;
    } else if (text == "@daily" || text == "@midnight") {
      schedule.minute_ = schedule.hour_ = zero;
      schedule.day_of_month_ = All(kDaysOfMonth);
      schedule.month_ = All(kMonths);
      schedule.day_of_week_ = All(kDaysOfWeek);
    } else if (text == "@hourly") {
      schedule.minute_ = zero;
      schedule.hour_ = All(kHours);
      schedule.day_of_month_ = All(kDaysOfMonth);
      schedule.month_ = All(kMonths);
      schedule.day_of_week_ = All(kDaysOfWeek);
    } else if (text.substr(0, kEvery.size()) == kEvery) {
      Result<std::chrono::nanoseconds> every = ParseGoDuration(text.substr(kEvery.size()));
      if (!every) {
        return Status::Error(fmt::format("failed to parse duration {}: {}", text, every.error()));
      }
      // robfig's Every(): under a second becomes a second; the rest is truncated.
      schedule.every_ = std::max(floor<seconds>(*every), seconds{1});
    } else {
      return Status::Error(fmt::format("unrecognized descriptor: {}", text));
    }
    return schedule;
  }

  std::vector<std::string_view> fields = Words(text);
  if (fields.size() != 5) {
    std::string listed;
    for (std::string_view f : fields) listed += (listed.empty() ? "" : " ") + std::string(f);
    return Status::Error(
        fmt::format("expected exactly 5 fields, found {}: [{}]", fields.size(), listed));
  }
  std::pair<uint64_t*, const Bounds*> targets[] = {{&schedule.minute_, &kMinutes},
                                                   {&schedule.hour_, &kHours},
                                                   {&schedule.day_of_month_, &kDaysOfMonth},
                                                   {&schedule.month_, &kMonths},
                                                   {&schedule.day_of_week_, &kDaysOfWeek}};
  for (size_t i = 0; i < 5; ++i) {
    Result<uint64_t> bits = ParseField(fields[i], *targets[i].second);
    if (!bits) return bits.status();
    *targets[i].first = *bits;
  }
  return schedule;
}

Result<CronSchedule> CronSchedule::ForCronWorkflow(std::string_view schedule,
                                                   std::string_view timezone) {
  if (timezone.empty()) return Parse(schedule, LocalZone());
  return Parse(fmt::format("CRON_TZ={} {}", timezone, schedule), LocalZone());
}

std::optional<TimePoint> CronSchedule::Next(TimePoint after) const {
  if (every_) return floor<seconds>(after) + *every_;
  return NextOfFields(after);
}

bool CronSchedule::DayMatches(unsigned day, unsigned weekday) const {
  bool dom = (day_of_month_ >> day) & 1;
  bool dow = (day_of_week_ >> weekday) & 1;
  if ((day_of_month_ & kStarBit) || (day_of_week_ & kStarBit)) return dom && dow;
  return dom || dow;
}

// SpecSchedule.Next: for month, day, hour and minute in turn, if the field
// does not match, step it (resetting the smaller fields the first time) until
// it does; a wrap into the next larger unit starts over from the month.
std::optional<TimePoint> CronSchedule::NextOfFields(TimePoint after) const {
  GoClock clock(zone_);
  Seconds t = floor<seconds>(after) + seconds{1};
  bool added = false;
  const int year_limit = clock.Of(t).year + 5;
  auto has = [](uint64_t bits, unsigned value) { return ((bits >> value) & 1) != 0; };

  for (;;) {
    GoClock::Fields f = clock.Of(t);
    if (f.year > year_limit) return std::nullopt;
    bool wrapped = false;

    while (!has(month_, f.month)) {
      if (!added) {
        added = true;
        t = clock.Date(f.year, f.month, 1, 0, 0, 0);
      }
      t = clock.AddDate(t, 1, 0);
      f = clock.Of(t);
      if (f.month == 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;

    while (!DayMatches(f.day, f.weekday)) {
      if (!added) {
        added = true;
        t = clock.Date(f.year, f.month, f.day, 0, 0, 0);
      }
      t = clock.AddDate(t, 0, 1);
      f = clock.Of(t);
      // Where midnight does not exist the day starts at 1:00 (or 23:00 the
      // day before): put it back on midnight's side, as robfig does.
      if (f.hour != 0) {
        t += f.hour > 12 ? hours{24 - f.hour} : -hours{f.hour};
        f = clock.Of(t);
      }
      if (f.day == 1) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;

    while (!has(hour_, f.hour)) {
      if (!added) {
        added = true;
        t = clock.Date(f.year, f.month, f.day, f.hour, 0, 0);
      }
      t += hours{1};
      f = clock.Of(t);
      if (f.hour == 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;

    while (!has(minute_, f.minute)) {
      if (!added) {
        added = true;
        t = TruncateToMinute(t);
      }
      t += minutes{1};
      f = clock.Of(t);
      if (f.minute == 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;

    // The standard parser's seconds field is always 0.
    while (f.second != 0) {
      added = true;
      t += seconds{1};
      f = clock.Of(t);
      if (f.second == 0) {
        wrapped = true;
        break;
      }
    }
    if (wrapped) continue;
    return TimePoint{t};
  }
}

}  // namespace loom::spec
