// Time zones of the system's tz database (Debian's tzdata, read through
// Howard Hinnant's date library), found by name as Go finds them, and Go's
// rules for turning a wall-clock time in a zone into an instant.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace date {
class time_zone;
}

namespace loom::spec {

// A zone by name, as Go's time.LoadLocation: "" and "UTC" are UTC, "Local" is
// LocalZone(); else a tz database name, or an error `unknown time zone NAME`.
Result<const date::time_zone*> FindTimeZone(std::string_view name);

// This machine's local time zone, as Go's time.Local: $TZ when set (""
// means UTC), else /etc/localtime; UTC when neither names a known zone.
const date::time_zone* LocalZone();

// Go's time package, as far as robfig/cron's Next() uses it: the wall-clock
// fields of an instant in a zone, and time.Date's normalization of a wall
// time (out-of-range months and days carry over; a time that a zone change
// skips or repeats maps to an instant the way Go maps it).
class GoClock {
 public:
  using Seconds = std::chrono::sys_seconds;
  struct Fields {
    int year;
    unsigned month, day, hour, minute, second;
    unsigned weekday;  // 0 = Sunday
  };

  explicit GoClock(const date::time_zone* zone) : zone_(zone) {}

  Fields Of(Seconds t) const;
  // time.Date(year, month, day, hour, minute, second, 0, zone).
  Seconds Date(int64_t year, int64_t month, int64_t day, int64_t hour, int64_t minute,
               int64_t second) const;
  // t.AddDate(0, months, days).
  Seconds AddDate(Seconds t, int months, int days) const;

 private:
  const date::time_zone* zone_;
};

}  // namespace loom::spec
