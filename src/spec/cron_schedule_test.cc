// CronSchedule against robfig/cron v3's own tables (spec_test.go TestNext and
// TestActivation, parser_test.go), rewritten for the five-field standard
// parser Argo uses, plus Argo-facing cases: field-naming errors, @every, and
// daylight saving changes in America/New_York.
#include "spec/cron_schedule.h"

#include <date/date.h>
#include <date/tz.h>
#include <gtest/gtest.h>

#include <cstdio>

#include "spec/go_duration.h"
#include "spec/time_zone.h"

namespace loom::spec {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const date::time_zone* Zone(const char* name) { return date::locate_zone(name); }

// Seconds since the epoch of a wall time read as UTC.
date::sys_seconds Civil(int y, int mo, int d, int h, int mi, int s) {
  return date::sys_days{date::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         seconds{s};
}

// "2012-03-11T00:00:00-0500" (an instant with its offset), or "" for none.
std::optional<TimePoint> At(const std::string& text) {
  if (text.empty()) return std::nullopt;
  int y, mo, d, h, mi, s, oh, om;
  char sign;
  int n = std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d%c%2d%2d", &y, &mo, &d, &h, &mi, &s, &sign,
                      &oh, &om);
  EXPECT_EQ(n, 9) << text;
  seconds offset = std::chrono::hours{oh} + std::chrono::minutes{om};
  return TimePoint{Civil(y, mo, d, h, mi, s) - (sign == '-' ? -offset : offset)};
}

// "2012-07-09 14:45:00" as wall time in UTC.
TimePoint Utc(const std::string& text) {
  int y, mo, d, h, mi, s;
  EXPECT_EQ(std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s), 6) << text;
  return TimePoint{Civil(y, mo, d, h, mi, s)};
}

std::string Show(std::optional<TimePoint> t) {
  if (!t) return "never";
  return date::format("%FT%T%z",
                      date::make_zoned(Zone("America/New_York"), std::chrono::floor<seconds>(*t)));
}

CronSchedule MustParse(const std::string& text, const date::time_zone* zone) {
  Result<CronSchedule> parsed = CronSchedule::Parse(text, zone);
  EXPECT_TRUE(parsed.ok()) << text << ": " << parsed.error();
  return parsed.ok() ? *parsed : *CronSchedule::Parse("* * * * *", zone);
}

struct NextCase {
  const char* after;
  const char* schedule;
  const char* expected;  // "" = never
};

TEST(CronSchedule, RobfigNextInUtc) {
  const NextCase cases[] = {
      {"2012-07-09 14:45:00", "0/15 * * * *", "2012-07-09 15:00:00"},
      {"2012-07-09 14:59:00", "0/15 * * * *", "2012-07-09 15:00:00"},
      {"2012-07-09 14:59:59", "0/15 * * * *", "2012-07-09 15:00:00"},
      {"2012-07-09 15:45:00", "20-35/15 * * * *", "2012-07-09 16:20:00"},  // wrap hours
      {"2012-07-09 23:46:00", "*/15 * * * *", "2012-07-10 00:00:00"},      // wrap days
      {"2012-07-09 23:45:00", "20-35/15 * * * *", "2012-07-10 00:20:00"},
      {"2012-07-09 23:35:51", "20-35/15 1/2 * * *", "2012-07-10 01:20:00"},
      {"2012-07-09 23:35:51", "20-35/15 10-12 * * *", "2012-07-10 10:20:00"},
      {"2012-07-09 23:35:51", "20-35/15 1/2 */2 * *", "2012-07-11 01:20:00"},
      {"2012-07-09 23:35:51", "20-35/15 * 9-20 * *", "2012-07-10 00:20:00"},
      {"2012-07-09 23:35:51", "20-35/15 * 9-20 Jul *", "2012-07-10 00:20:00"},
      {"2012-07-09 23:35:00", "0 0 9 Apr-Oct ?", "2012-08-09 00:00:00"},  // wrap months
      // */5 is not a star (its step clears robfig's star bit), so either day may match.
      {"2012-07-09 23:35:00", "0 0 */5 Apr,Aug,Oct Mon", "2012-08-01 00:00:00"},
      {"2012-07-09 23:35:00", "0 0 */5 Oct Mon", "2012-10-01 00:00:00"},
      {"2012-07-09 23:35:00", "0 0 * Feb Mon", "2013-02-04 00:00:00"},  // wrap years
      {"2012-07-09 23:35:00", "0 0 * Feb Mon/2", "2013-02-01 00:00:00"},
      {"2012-12-31 23:59:45", "* * * * *", "2013-01-01 00:00:00"},
      {"2012-07-09 23:35:00", "0 0 29 Feb ?", "2016-02-29 00:00:00"},  // leap year
  };
  const date::time_zone* utc = Zone("Etc/UTC");
  for (const NextCase& c : cases) {
    std::optional<TimePoint> next = MustParse(c.schedule, utc).Next(Utc(c.after));
    ASSERT_TRUE(next) << c.schedule;
    EXPECT_EQ(*next, Utc(c.expected)) << c.after << " \"" << c.schedule << "\"";
  }
}

TEST(CronSchedule, UnsatisfiableHasNoNext) {
  const date::time_zone* utc = Zone("Etc/UTC");
  EXPECT_FALSE(MustParse("0 0 30 Feb ?", utc).Next(Utc("2012-07-09 23:35:00")));
  EXPECT_FALSE(MustParse("0 0 31 Apr ?", utc).Next(Utc("2012-07-09 23:35:00")));
}

TEST(CronSchedule, RobfigActivation) {
  struct Case {
    const char* time;
    const char* schedule;
    bool fires;
  };
  const Case cases[] = {
      {"2012-07-09 15:00:00", "0/15 * * * *", true},
      {"2012-07-09 15:45:00", "0/15 * * * *", true},
      {"2012-07-09 15:40:00", "0/15 * * * *", false},
      {"2012-07-09 15:05:00", "5/15 * * * *", true},
      {"2012-07-09 15:20:00", "5/15 * * * *", true},
      {"2012-07-09 15:50:00", "5/15 * * * *", true},
      {"2012-07-15 15:00:00", "0/15 * * Jul *", true},
      {"2012-07-15 15:00:00", "0/15 * * Jun *", false},
      {"2012-07-15 08:30:00", "30 08 ? Jul Sun", true},
      {"2012-07-15 08:30:00", "30 08 15 Jul ?", true},
      {"2012-07-16 08:30:00", "30 08 ? Jul Sun", false},
      {"2012-07-16 08:30:00", "30 08 15 Jul ?", false},
      {"2012-07-09 15:00:00", "@hourly", true},
      {"2012-07-09 15:04:00", "@hourly", false},
      {"2012-07-09 15:00:00", "@daily", false},
      {"2012-07-09 00:00:00", "@daily", true},
      {"2012-07-09 00:00:00", "@midnight", true},
      {"2012-07-09 00:00:00", "@weekly", false},
      {"2012-07-08 00:00:00", "@weekly", true},
      {"2012-07-08 01:00:00", "@weekly", false},
      {"2012-07-08 00:00:00", "@monthly", false},
      {"2012-07-01 00:00:00", "@monthly", true},
      {"2012-01-01 00:00:00", "@yearly", true},
      {"2012-02-01 00:00:00", "@yearly", false},
      {"2012-01-01 00:00:00", "@annually", true},
      // Both day fields restricted: either matches (cron's OR rule).
      {"2012-07-15 00:00:00", "* * 1,15 * Sun", true},
      {"2012-06-15 00:00:00", "* * 1,15 * Sun", true},
      {"2012-08-01 00:00:00", "* * 1,15 * Sun", true},
      {"2012-07-16 00:00:00", "* * 1,15 * Sun", false},
      {"2012-07-15 00:00:00", "* * */10 * Sun", true},  // a step is no star (robfig #70)
      // One of them a star: both must match.
      {"2012-07-15 00:00:00", "* * * * Mon", false},
      {"2012-07-09 00:00:00", "* * 1,15 * *", false},
      {"2012-07-15 00:00:00", "* * 1,15 * *", true},
      {"2012-07-15 00:00:00", "* * */2 * Sun", true},
      // Names in any case, ranges of names.
      {"2012-07-13 09:00:00", "0 9 * jul-AUG mon-FRI", true},
      {"2012-07-14 09:00:00", "0 9 * jul-AUG mon-FRI", false},
  };
  const date::time_zone* utc = Zone("Etc/UTC");
  for (const Case& c : cases) {
    TimePoint at = Utc(c.time);
    std::optional<TimePoint> next = MustParse(c.schedule, utc).Next(at - seconds{1});
    EXPECT_EQ(next == at, c.fires) << c.schedule << " at " << c.time;
  }
}

// America/New_York: 2012-03-11 02:00 EST jumps to 03:00 EDT; 2012-11-04
// 02:00 EDT falls back to 01:00 EST. Cases from robfig's TestNext.
TEST(CronSchedule, DaylightSavingInNewYork) {
  const NextCase cases[] = {
      // A time in the skipped hour does not happen that day (nor that year here).
      {"2012-03-11T00:00:00-0500", "30 2 11 Mar ?", "2013-03-11T02:30:00-0400"},
      {"2012-03-11T00:00:00-0500", "0 * * * *", "2012-03-11T01:00:00-0500"},
      {"2012-03-11T01:00:00-0500", "0 * * * *", "2012-03-11T03:00:00-0400"},
      {"2012-03-11T03:00:00-0400", "0 * * * *", "2012-03-11T04:00:00-0400"},
      {"2012-03-11T00:00:00-0500", "0 1 * * ?", "2012-03-11T01:00:00-0500"},
      {"2012-03-11T01:00:00-0500", "0 1 * * ?", "2012-03-12T01:00:00-0400"},
      {"2012-03-11T00:00:00-0500", "0 2 * * ?", "2012-03-12T02:00:00-0400"},
      // The repeated hour runs twice.
      {"2012-11-04T00:00:00-0400", "30 2 04 Nov ?", "2012-11-04T02:30:00-0500"},
      {"2012-11-04T01:45:00-0400", "30 1 04 Nov ?", "2012-11-04T01:30:00-0500"},
      {"2012-11-04T00:00:00-0400", "0 * * * *", "2012-11-04T01:00:00-0400"},
      {"2012-11-04T01:00:00-0400", "0 * * * *", "2012-11-04T01:00:00-0500"},
      {"2012-11-04T01:00:00-0500", "0 * * * *", "2012-11-04T02:00:00-0500"},
      {"2012-11-04T00:00:00-0400", "0 1 * * ?", "2012-11-04T01:00:00-0400"},
      {"2012-11-04T01:00:00-0400", "0 1 * * ?", "2012-11-04T01:00:00-0500"},
      {"2012-11-04T01:00:00-0500", "0 1 * * ?", "2012-11-05T01:00:00-0500"},
      {"2012-11-04T00:00:00-0400", "0 2 * * ?", "2012-11-04T02:00:00-0500"},
      {"2012-11-04T02:00:00-0500", "0 2 * * ?", "2012-11-05T02:00:00-0500"},
      {"2012-11-04T00:00:00-0400", "0 3 * * ?", "2012-11-04T03:00:00-0500"},
      {"2012-11-04T03:00:00-0500", "0 3 * * ?", "2012-11-05T03:00:00-0500"},
      {"2012-11-04T00:00:00-0400", "0 3 3 * ?", "2012-12-03T03:00:00-0500"},
  };
  for (const std::string prefix : {"TZ=America/New_York ", "CRON_TZ=America/New_York "}) {
    for (const NextCase& c : cases) {
      // The zone comes from the prefix, not from the default (UTC here).
      CronSchedule schedule = MustParse(prefix + c.schedule, Zone("Etc/UTC"));
      std::optional<TimePoint> next = schedule.Next(*At(c.after));
      EXPECT_EQ(Show(next), Show(At(c.expected))) << c.after << " \"" << c.schedule << "\"";
    }
  }
  // Without a prefix the default zone applies.
  EXPECT_EQ(
      Show(MustParse("0 2 * * ?", Zone("America/New_York")).Next(*At("2012-03-11T00:00:00-0500"))),
      "2012-03-12T02:00:00-0400");
}

TEST(CronSchedule, MidnightThatDoesNotExist) {
  // America/Sao_Paulo skipped 2018-11-04 00:00 (robfig issue 157).
  const NextCase cases[] = {
      {"2018-10-17T05:00:00-0400", "0 9 10 * ?", "2018-11-10T06:00:00-0500"},
      {"2018-02-14T05:00:00-0500", "0 9 22 * ?", "2018-02-22T07:00:00-0500"},
  };
  for (const NextCase& c : cases) {
    std::optional<TimePoint> next =
        MustParse(std::string("TZ=America/Sao_Paulo ") + c.schedule, Zone("Etc/UTC"))
            .Next(*At(c.after));
    EXPECT_EQ(Show(next), Show(At(c.expected))) << c.schedule;
  }
}

TEST(CronSchedule, ForCronWorkflowPrefixesTheTimezone) {
  Result<CronSchedule> schedule = CronSchedule::ForCronWorkflow("0 2 * * *", "America/New_York");
  ASSERT_TRUE(schedule.ok()) << schedule.error();
  EXPECT_EQ(Show(schedule->Next(*At("2012-11-04T00:00:00-0400"))), "2012-11-04T02:00:00-0500");

  Result<CronSchedule> bad = CronSchedule::ForCronWorkflow("0 2 * * *", "Mars/Olympus_Mons");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(),
            "provided bad location Mars/Olympus_Mons: unknown time zone Mars/Olympus_Mons");
  // A schedule with its own prefix and a timezone too: Argo's string has two
  // prefixes, and robfig reads the second as a sixth field.
  EXPECT_FALSE(CronSchedule::ForCronWorkflow("CRON_TZ=UTC 0 2 * * *", "UTC").ok());
}

TEST(CronSchedule, EveryRoundsToWholeSeconds) {
  const date::time_zone* utc = Zone("Etc/UTC");
  TimePoint at = *At("2024-05-01T10:00:00+0000") + milliseconds{500};
  auto next = [&](const char* text) { return MustParse(text, utc).Next(at); };
  EXPECT_EQ(next("@every 2s"), At("2024-05-01T10:00:02+0000"));
  EXPECT_EQ(next("@every 1m30s"), At("2024-05-01T10:01:30+0000"));
  EXPECT_EQ(next("@every 1.9s"), At("2024-05-01T10:00:01+0000"));   // truncated
  EXPECT_EQ(next("@every 500ms"), At("2024-05-01T10:00:01+0000"));  // at least a second
  EXPECT_EQ(next("@every -5m"), At("2024-05-01T10:00:01+0000"));
  EXPECT_EQ(next("TZ=Asia/Tokyo @every 1h"), At("2024-05-01T11:00:00+0000"));
  EXPECT_EQ(next("CRON_TZ=UTC   @midnight"), At("2024-05-02T00:00:00+0000"));
}

TEST(CronSchedule, ErrorsNameTheField) {
  const struct {
    const char* schedule;
    const char* error;
  } cases[] = {
      {"", "empty spec string"},
      {"60 * * * *", "minute field \"60\": end of range (60) above maximum (59): 60"},
      {"* 24 * * *", "hour field \"24\": end of range (24) above maximum (23): 24"},
      {"* * 0 * *", "day-of-month field \"0\": beginning of range (0) below minimum (1): 0"},
      {"* * * 13 *", "month field \"13\": end of range (13) above maximum (12): 13"},
      {"* * * * 7", "day-of-week field \"7\": end of range (7) above maximum (6): 7"},
      {"5 j * * *",
       "hour field \"j\": failed to parse int from j: strconv.Atoi: parsing \"j\": invalid syntax"},
      {"* * * * XYZ",
       "day-of-week field \"XYZ\": failed to parse int from XYZ: strconv.Atoi: parsing \"XYZ\": "
       "invalid syntax"},
      {"5--5 * * * *", "minute field \"5--5\": too many hyphens: 5--5"},
      {"*/2/3 * * * *", "minute field \"*/2/3\": too many slashes: */2/3"},
      {"* 5-3 * * *", "hour field \"5-3\": beginning of range (5) beyond end of range (3): 5-3"},
      {"15/0 * * * *", "minute field \"15/0\": step of range should be a positive number: 15/0"},
      {"*/-12 * * * *", "minute field \"*/-12\": negative number (-12) not allowed: -12"},
      {"1,99 * * * *", "minute field \"1,99\": end of range (99) above maximum (59): 99"},
      {"* * * *", "expected exactly 5 fields, found 4: [* * * *]"},
      {"0 0 * * * *", "expected exactly 5 fields, found 6: [0 0 * * * *]"},
      {"@unrecognized", "unrecognized descriptor: @unrecognized"},
      {"@every Xm", "failed to parse duration @every Xm: time: invalid duration \"Xm\""},
      {"@every 5", "failed to parse duration @every 5: time: missing unit in duration \"5\""},
      {"TZ=Nowhere/Town 0 * * * *",
       "provided bad location Nowhere/Town: unknown time zone Nowhere/Town"},
      {"CRON_TZ=UTC", "no schedule after the time zone: CRON_TZ=UTC"},
  };
  for (const auto& c : cases) {
    Result<CronSchedule> parsed = CronSchedule::Parse(c.schedule, Zone("Etc/UTC"));
    ASSERT_FALSE(parsed.ok()) << c.schedule;
    EXPECT_EQ(parsed.error(), c.error);
  }
}

TEST(GoDuration, ParsesAsGoDoes) {
  using std::chrono::nanoseconds;
  auto ns = [](const char* text) { return ParseGoDuration(text); };
  EXPECT_EQ(*ns("0"), nanoseconds{0});
  EXPECT_EQ(*ns("-0"), nanoseconds{0});
  EXPECT_EQ(*ns("1h30m"), std::chrono::minutes{90});
  EXPECT_EQ(*ns("1.5h"), std::chrono::minutes{90});
  EXPECT_EQ(*ns(".5s"), milliseconds{500});
  EXPECT_EQ(*ns("+3s"), seconds{3});
  EXPECT_EQ(*ns("-1m"), -std::chrono::minutes{1});
  EXPECT_EQ(*ns("1h2m3s4ms5us6ns"), std::chrono::hours{1} + std::chrono::minutes{2} + seconds{3} +
                                        milliseconds{4} + std::chrono::microseconds{5} +
                                        nanoseconds{6});
  EXPECT_EQ(*ns("3\xc2\xb5s"), std::chrono::microseconds{3});
  EXPECT_EQ(ns("").error(), "time: invalid duration \"\"");
  EXPECT_EQ(ns(".s").error(), "time: invalid duration \".s\"");
  EXPECT_EQ(ns("1").error(), "time: missing unit in duration \"1\"");
  EXPECT_EQ(ns("1e3s").error(), "time: unknown unit \"e\" in duration \"1e3s\"");
  EXPECT_EQ(ns("9999999999999999999h").error(), "time: invalid duration \"9999999999999999999h\"");
  EXPECT_EQ(ns("3000000h").error(), "time: invalid duration \"3000000h\"");  // > 2^63 ns
}

TEST(TimeZone, FindsZonesAsGoDoes) {
  EXPECT_EQ(*FindTimeZone(""), Zone("Etc/UTC"));
  EXPECT_EQ(*FindTimeZone("UTC"), Zone("Etc/UTC"));
  EXPECT_EQ(*FindTimeZone("Local"), LocalZone());
  EXPECT_EQ((*FindTimeZone("America/New_York"))->name(), "America/New_York");
  EXPECT_EQ(FindTimeZone("Mars/Olympus").error(), "unknown time zone Mars/Olympus");
  EXPECT_EQ(FindTimeZone("../../etc/passwd").error(), "time: invalid location name");
  EXPECT_EQ(FindTimeZone("/etc/localtime").error(), "time: invalid location name");
}

}  // namespace
}  // namespace loom::spec
