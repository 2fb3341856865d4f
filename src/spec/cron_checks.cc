// CronWorkflow field checks, each reported at the field it is about.
#include "spec/cron_checks.h"

#include <fmt/format.h>

#include <cstdlib>
#include <optional>

#include "spec/cron_schedule.h"
#include "spec/suggest.h"
#include "spec/time_zone.h"
#include "spec/yaml_util.h"

namespace loom::spec {
namespace {

// Workflows made from a CronWorkflow are named <name>-<unix time>, and
// Kubernetes names are at most 63 characters.
constexpr size_t kMaxNameLength = 52;

class CronChecker {
 public:
  CronChecker(const std::string& file, Diagnostics& out) : file_(file), out_(out) {}

  void Error(const YAML::Node& at, std::string message) {
    out_.push_back({file_, PosOf(at), std::move(message)});
  }

  void CheckSchedules(const YAML::Node& spec);
  void CheckInteger(const YAML::Node& spec, const char* key, bool non_negative);
  void CheckBool(const YAML::Node& spec, const char* key);

 private:
  const std::string& file_;
  Diagnostics& out_;
};

void CronChecker::CheckSchedules(const YAML::Node& spec) {
  const YAML::Node schedule = Get(spec, "schedule");
  const YAML::Node schedules = Get(spec, "schedules");
  if (!IsUnset(schedule) && IsList(schedules) && schedules.size() > 0) {
    Error(schedules, "spec.schedule and spec.schedules cannot both be set");
  }
  std::string timezone;
  const YAML::Node zone_node = Get(spec, "timezone");
  if (!IsUnset(zone_node)) {
    timezone = ScalarText(zone_node);
    Result<const date::time_zone*> zone = FindTimeZone(timezone);
    if (!zone) {
      Error(zone_node, fmt::format("invalid timezone '{}': {}", timezone, zone.error()));
      timezone.clear();  // check the schedules themselves in local time
    }
  }
  auto check = [&](const YAML::Node& node) {
    std::string text = ScalarText(node);
    Result<CronSchedule> parsed = CronSchedule::ForCronWorkflow(text, timezone);
    if (!parsed)
      Error(node, fmt::format("cron schedule '{}' is malformed: {}", text, parsed.error()));
  };
  if (!IsUnset(schedule)) check(schedule);
  if (IsList(schedules)) {
    for (const YAML::Node& s : schedules) check(s);
  }
}

void CronChecker::CheckInteger(const YAML::Node& spec, const char* key, bool non_negative) {
  const YAML::Node node = Get(spec, key);
  if (IsUnset(node)) return;
  std::string text = ScalarText(node);
  char* end = nullptr;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') {
    Error(node, fmt::format("spec.{} must be an integer, not '{}'", key, text));
  } else if (non_negative && value < 0) {
    Error(node, fmt::format("spec.{} must not be negative", key));
  }
}

void CronChecker::CheckBool(const YAML::Node& spec, const char* key) {
  const YAML::Node node = Get(spec, key);
  if (IsUnset(node)) return;
  std::string text = ScalarText(node);
  if (text != "true" && text != "false") {
    Error(node, fmt::format("spec.{} must be true or false, not '{}'", key, text));
  }
}

}  // namespace

void CheckCronWorkflow(const YAML::Node& doc, const std::string& file, Diagnostics& out) {
  CronChecker checker(file, out);
  const YAML::Node name = Get(Get(doc, "metadata"), "name");
  if (!IsUnset(name) && ScalarText(name).size() > kMaxNameLength) {
    checker.Error(name, fmt::format("cron workflow name '{}' must not be more than {} characters "
                                    "long (currently {})",
                                    ScalarText(name), kMaxNameLength, ScalarText(name).size()));
  }
  const YAML::Node spec = Get(doc, "spec");
  checker.CheckSchedules(spec);
  const YAML::Node policy = Get(spec, "concurrencyPolicy");
  if (!IsUnset(policy)) {
    std::string text = ScalarText(policy);
    if (text != "Allow" && text != "Forbid" && text != "Replace" && !text.empty()) {
      checker.Error(policy, fmt::format("'{}' is not a valid concurrencyPolicy (Allow, Forbid or "
                                        "Replace){}",
                                        text, DidYouMean(text, {"Allow", "Forbid", "Replace"})));
    }
  }
  checker.CheckInteger(spec, "startingDeadlineSeconds", true);
  checker.CheckInteger(spec, "successfulJobsHistoryLimit", false);
  checker.CheckInteger(spec, "failedJobsHistoryLimit", false);
  checker.CheckBool(spec, "suspend");
}

}  // namespace loom::spec
