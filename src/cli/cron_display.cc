// Table and detail views of CronWorkflow objects.
#include "cli/cron_display.h"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "cli/display.h"
#include "engine/status_json.h"
#include "server/cron_workflow.h"

namespace loom::cli {

namespace {

std::optional<Clock::time_point> Time(const Json& object, const char* key) {
  return engine::ParseTimestamp(object.value(key, ""));
}

// The earliest next due time of any schedule, after `now`.
std::optional<Clock::time_point> NextRun(const Json& cron, Clock::time_point now) {
  auto schedules = server::ReadCronSettings(cron).ParseSchedules();
  if (!schedules.ok()) return std::nullopt;
  std::optional<Clock::time_point> earliest;
  auto from = std::chrono::time_point_cast<std::chrono::milliseconds>(now);
  for (const spec::CronSchedule& schedule : *schedules) {
    auto next = schedule.Next(from);
    if (next && (!earliest || *next < *earliest)) earliest = Clock::time_point(*next);
  }
  return earliest;
}

std::string Relative(std::optional<Clock::time_point> at, Clock::time_point now) {
  if (!at) return "N/A";
  return ShortDuration(*at > now ? *at - now : now - *at);
}

// "Mon May 06 10:00:00 +0000 (5m00s ago)", as Argo's humanize.Timestamp.
std::string Stamp(Clock::time_point at, Clock::time_point now) {
  std::string when = at > now ? "in " + ShortDuration(at - now) : ShortDuration(now - at) + " ago";
  return LocalTime(at, "%a %b %d %H:%M:%S %z") + " (" + when + ")";
}

std::string Schedules(const Json& cron) {
  std::string text;
  for (const std::string& s : server::ReadCronSettings(cron).schedules) {
    text += (text.empty() ? "" : ",") + s;
  }
  return text;
}

}  // namespace

void PrintCronTable(std::ostream& out, const std::vector<Json>& crons, bool namespaces,
                    Clock::time_point now) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> heading = {"NAME",     "AGE",      "LAST RUN", "NEXT RUN",
                                      "SCHEDULE", "TIMEZONE", "SUSPENDED"};
  if (namespaces) heading.insert(heading.begin(), "NAMESPACE");
  rows.push_back(heading);
  for (const Json& cron : crons) {
    const Json metadata = cron.value("metadata", Json::object());
    const Json status = cron.value("status", Json::object());
    server::CronSettings settings = server::ReadCronSettings(cron);
    std::vector<std::string> row = {metadata.value("name", ""),
                                    Relative(Time(metadata, "creationTimestamp"), now),
                                    Relative(Time(status, "lastScheduledTime"), now),
                                    Relative(NextRun(cron, now), now),
                                    Schedules(cron),
                                    settings.timezone,
                                    settings.suspend ? "true" : "false"};
    if (namespaces) row.insert(row.begin(), metadata.value("namespace", ""));
    rows.push_back(std::move(row));
  }
  std::vector<size_t> widths(heading.size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - DisplayWidth(row[i]) + 3, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

void PrintCronDetails(std::ostream& out, const Json& cron, Clock::time_point now) {
  auto field = [&](const std::string& name, const std::string& value) {
    out << fmt::format("{:<30} {}\n", name + ":", value);
  };
  const Json metadata = cron.value("metadata", Json::object());
  const Json status = cron.value("status", Json::object());
  server::CronSettings settings = server::ReadCronSettings(cron);
  field("Name", metadata.value("name", ""));
  field("Namespace", metadata.value("namespace", ""));
  if (auto created = Time(metadata, "creationTimestamp")) field("Created", Stamp(*created, now));
  field("Schedules", settings.ScheduleString());
  field("Suspended", settings.suspend ? "true" : "false");
  if (!settings.timezone.empty()) field("Timezone", settings.timezone);
  if (settings.starting_deadline_seconds) {
    field("StartingDeadlineSeconds", std::to_string(*settings.starting_deadline_seconds));
  }
  if (!settings.concurrency_policy.empty()) field("ConcurrencyPolicy", settings.concurrency_policy);
  if (auto last = Time(status, "lastScheduledTime")) field("LastScheduledTime", Stamp(*last, now));
  if (auto next = NextRun(cron, now)) field("NextScheduledTime", Stamp(*next, now));
  std::string active;
  for (const Json& ref : status.value("active", Json::array())) {
    active += (active.empty() ? "" : ", ") + ref.value("name", "");
  }
  if (!active.empty()) field("Active Workflows", active);
  if (status.contains("succeeded") || status.contains("failed")) {
    field("Succeeded", std::to_string(status.value("succeeded", 0)));
    field("Failed", std::to_string(status.value("failed", 0)));
  }
  const Json conditions = status.value("conditions", Json::array());
  if (conditions.is_array() && !conditions.empty()) {
    field("Conditions", "");
    for (const Json& c : conditions) {
      out << "✖ " << c.value("type", "") << "\t" << c.value("message", "") << "\n";
    }
  }
  const Json parameters = cron.value("spec", Json::object())
                              .value("workflowSpec", Json::object())
                              .value("arguments", Json::object())
                              .value("parameters", Json::array());
  if (parameters.is_array() && !parameters.empty()) {
    field("Workflow Parameters", "");
    for (const Json& p : parameters) {
      if (p.contains("value") && p["value"].is_string()) {
        field("  " + p.value("name", ""), p["value"].get<std::string>());
      }
    }
  }
}

}  // namespace loom::cli
