// Zones by name and Go's wall-clock arithmetic over date::time_zone.
#include "spec/time_zone.h"

#include <date/tz.h>
#include <fmt/format.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace loom::spec {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const date::time_zone* Utc() {
  static const date::time_zone* utc = date::locate_zone("Etc/UTC");
  return utc;
}

const date::time_zone* ComputeLocalZone() {
  const char* tz = std::getenv("TZ");
  try {
    if (tz == nullptr) return date::current_zone();
    std::string_view name = tz;
    if (!name.empty() && name[0] == ':') name.remove_prefix(1);
    constexpr std::string_view kZoneinfo = "/usr/share/zoneinfo/";
    if (name.substr(0, kZoneinfo.size()) == kZoneinfo) name.remove_prefix(kZoneinfo.size());
    if (name == "/etc/localtime") return date::current_zone();
    if (name.empty() || name == "UTC") return Utc();
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return Utc();  // Go falls back to UTC too
  }
}

}  // namespace

Result<const date::time_zone*> FindTimeZone(std::string_view name) {
  if (name.empty() || name == "UTC") return Utc();
  if (name == "Local") return LocalZone();
  if (name.find("..") != std::string_view::npos || name[0] == '/' || name[0] == '\\') {
    return Status::Error("time: invalid location name");
  }
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return Status::Error(fmt::format("unknown time zone {}", name));
  }
}

const date::time_zone* LocalZone() {
  static const date::time_zone* zone = ComputeLocalZone();
  return zone;
}

GoClock::Fields GoClock::Of(Seconds t) const {
  auto local = zone_->to_local(t);
  auto day = floor<days>(local);
  date::year_month_day ymd{day};
  auto of_day = local - day;
  return {static_cast<int>(ymd.year()),
          static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()),
          static_cast<unsigned>(floor<hours>(of_day).count()),
          static_cast<unsigned>(floor<minutes>(of_day).count() % 60),
          static_cast<unsigned>(of_day.count() % 60),
          date::weekday{day}.c_encoding()};
}

GoClock::Seconds GoClock::Date(int64_t year, int64_t month, int64_t day, int64_t hour,
                               int64_t minute, int64_t second) const {
  int64_t month0 = month - 1;
  int64_t carry = month0 >= 0 ? month0 / 12 : -((11 - month0) / 12);
  year += carry;
  month0 -= 12 * carry;
  date::sys_days first{date::year{static_cast<int>(year)} /
                       date::month{static_cast<unsigned>(month0 + 1)} / 1};
  Seconds wall = first + days{day - 1} + hours{hour} + minutes{minute} + seconds{second};
  // Go looks up the offset in force at the wall time read as if it were
  // UTC; if the instant that offset gives lies outside that offset's period,
  // it takes the offset in force at that instant instead. So a skipped wall
  // time lands an hour early or late, and a repeated one on its first pass
  // (in zones west of Greenwich).
  date::sys_info info = zone_->get_info(wall);
  Seconds utc = wall - info.offset;
  if (utc < info.begin || utc >= info.end) info = zone_->get_info(utc);
  return wall - info.offset;
}

GoClock::Seconds GoClock::AddDate(Seconds t, int months, int days_) const {
  Fields f = Of(t);
  return Date(f.year, int64_t{f.month} + months, int64_t{f.day} + days_, f.hour, f.minute,
              f.second);
}

}  // namespace loom::spec
