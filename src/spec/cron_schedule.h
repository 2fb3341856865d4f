// A CronWorkflow's schedule, read and stepped the way Argo reads it: with
// robfig/cron v3's standard parser (cron.ParseStandard) and its Next().
//
// Syntax: five fields, minute hour day-of-month month day-of-week, each a
// comma-separated list of `*` or `?`, N, N-M, with an optional /STEP (`N/STEP`
// means N to the field's maximum); months JAN-DEC and days SUN-SAT by name
// (any case); day-of-week 0-6 (7 is not Sunday here, as in robfig). When
// neither day field is `*` or `?`, a day matches if either does (cron's OR
// rule); otherwise both must. Also @yearly @annually @monthly @weekly @daily
// @midnight @hourly, `@every DURATION` (Go's duration syntax, rounded down to
// whole seconds, at least 1s), and a `CRON_TZ=ZONE ` or `TZ=ZONE ` prefix.
//
// Time zones are the system's tz database (Debian's tzdata). Next() walks
// wall-clock time as robfig does with Go's time package, so around daylight
// saving changes it does what Argo does: a time inside a skipped hour never
// fires that day, and a time inside a repeated hour fires twice.
//
// Pure logic; thread-safe once constructed.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace date {
class time_zone;
}

namespace loom::spec {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

class CronSchedule {
 public:
  // Parses `text` (robfig's ParseStandard). A schedule without a time zone
  // prefix is in `default_zone` (Argo: the controller's local time). Errors
  // name the field that is wrong.
  static Result<CronSchedule> Parse(std::string_view text, const date::time_zone* default_zone);

  // A CronWorkflow's schedule as Argo builds it: with `timezone` set, the
  // schedule is prefixed with CRON_TZ=<timezone>; without, it is local time.
  static Result<CronSchedule> ForCronWorkflow(std::string_view schedule, std::string_view timezone);

  // The first activation strictly after `after` (whole seconds), or nullopt
  // if there is none within five years (e.g. February 30th).
  std::optional<TimePoint> Next(TimePoint after) const;

 private:
  CronSchedule() = default;
  std::optional<TimePoint> NextOfFields(TimePoint after) const;
  bool DayMatches(unsigned day, unsigned weekday) const;

  const date::time_zone* zone_ = nullptr;
  // One bit per allowed value; bit 63 marks a field written as `*` or `?`.
  uint64_t minute_ = 0, hour_ = 0, day_of_month_ = 0, month_ = 0, day_of_week_ = 0;
  std::optional<std::chrono::seconds> every_;  // `@every`
};

}  // namespace loom::spec
