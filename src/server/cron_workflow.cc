// CronWorkflow documents: settings, checks and the Workflow of a run.
#include "server/cron_workflow.h"

#include <fmt/format.h>

#include <cstdlib>

#include "engine/status_json.h"

namespace loom::server {

namespace {

// Labels Argo copies from a CronWorkflow to the Workflows it schedules.
constexpr const char* kPropagatedLabels[] = {"workflows.argoproj.io/creator",
                                             "workflows.argoproj.io/creator-email",
                                             "workflows.argoproj.io/creator-preferred-username"};

std::optional<int64_t> Integer(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (!value.is_string()) return std::nullopt;
  const std::string text = value.get<std::string>();
  char* end = nullptr;
  long long parsed = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0') return std::nullopt;
  return parsed;
}

engine::TimePoint ToEngineTime(spec::TimePoint t) {
  return std::chrono::time_point_cast<engine::TimePoint::duration>(t);
}

// Copies the string values of `from` (an object, or anything else: nothing) into `to`.
void MergeStrings(Json& to, const Json& from) {
  if (!from.is_object()) return;
  for (const auto& [key, value] : from.items()) {
    if (value.is_string()) to[key] = value;
  }
}

std::string OwnerUid(const store::WorkflowHeader& header) {
  const Json owners =
      header.document.value("metadata", Json::object()).value("ownerReferences", Json::array());
  if (!owners.is_array()) return "";
  for (const Json& owner : owners) {
    if (owner.value("kind", "") == kCronWorkflowKind) return owner.value("uid", "");
  }
  return "";
}

}  // namespace

std::string CronSettings::ScheduleString() const {
  std::string out;
  for (const std::string& schedule : schedules) {
    if (!out.empty()) out += ",";
    out += timezone.empty() ? schedule : "CRON_TZ=" + timezone + " " + schedule;
  }
  return out;
}

Result<std::vector<spec::CronSchedule>> CronSettings::ParseSchedules() const {
  std::vector<spec::CronSchedule> out;
  for (const std::string& text : schedules) {
    auto parsed = spec::CronSchedule::ForCronWorkflow(text, timezone);
    if (!parsed.ok()) {
      return Status::Error(
          fmt::format("cron schedule '{}' is malformed: {}", text, parsed.error()));
    }
    out.push_back(std::move(*parsed));
  }
  return out;
}

CronSettings ReadCronSettings(const Json& cron) {
  CronSettings settings;
  const Json spec = cron.value("spec", Json::object());
  if (!spec.is_object()) return settings;
  const Json schedule = spec.value("schedule", Json(""));
  if (schedule.is_string() && !schedule.get<std::string>().empty()) {
    settings.schedules.push_back(schedule.get<std::string>());
  } else if (const Json list = spec.value("schedules", Json::array()); list.is_array()) {
    for (const Json& s : list) {
      if (s.is_string()) settings.schedules.push_back(s.get<std::string>());
    }
  }
  if (const Json tz = spec.value("timezone", Json("")); tz.is_string()) {
    settings.timezone = tz.get<std::string>();
  }
  if (const Json policy = spec.value("concurrencyPolicy", Json("")); policy.is_string()) {
    settings.concurrency_policy = policy.get<std::string>();
  }
  settings.starting_deadline_seconds = Integer(spec.value("startingDeadlineSeconds", Json()));
  // As Argo: a negative limit means the default.
  if (auto keep = Integer(spec.value("successfulJobsHistoryLimit", Json())); keep && *keep >= 0) {
    settings.successful_jobs_history_limit = *keep;
  }
  if (auto keep = Integer(spec.value("failedJobsHistoryLimit", Json())); keep && *keep >= 0) {
    settings.failed_jobs_history_limit = *keep;
  }
  const Json suspend = spec.value("suspend", Json(false));
  settings.suspend = suspend == Json(true) || suspend == Json("true");
  return settings;
}

ApiResult<Json> CheckCronWorkflow(Json cron, const TemplateLookup& templates) {
  return CheckStoredDocument(std::move(cron), spec::Kind::kCronWorkflow, "cronWorkflow", templates);
}

std::string ScheduledRunName(const std::string& cron_name, spec::TimePoint scheduled) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(scheduled.time_since_epoch()).count();
  return fmt::format("{}-{}", cron_name, seconds);
}

Json CronWorkflowToWorkflow(const Json& cron, std::optional<spec::TimePoint> scheduled,
                            spec::TimePoint now) {
  const Json metadata = cron.value("metadata", Json::object());
  const std::string name = metadata.value("name", "");
  const std::string api_version = cron.value("apiVersion", "argoproj.io/v1alpha1");
  Json labels = Json::object();
  if (scheduled) {
    const Json cron_labels = metadata.value("labels", Json::object());
    for (const char* key : kPropagatedLabels) {
      if (cron_labels.contains(key)) labels[key] = cron_labels[key];
    }
  }
  labels[kCronWorkflowLabel] = name;
  Json annotations = {
      {kScheduledTimeAnnotation, engine::Timestamp(ToEngineTime(scheduled.value_or(now)))}};
  const Json spec = cron.value("spec", Json::object());
  const Json extra = spec.value("workflowMetadata", Json::object());
  if (extra.is_object()) {
    MergeStrings(labels, extra.value("labels", Json::object()));
    MergeStrings(annotations, extra.value("annotations", Json::object()));
  }
  Json owner = {{"apiVersion", api_version},
                {"kind", kCronWorkflowKind},
                {"name", name},
                {"uid", metadata.value("uid", "")},
                {"controller", true},
                {"blockOwnerDeletion", true}};
  Json workflow_metadata = {
      {"labels", labels}, {"annotations", annotations}, {"ownerReferences", Json::array({owner})}};
  if (scheduled) {
    workflow_metadata["name"] = ScheduledRunName(name, *scheduled);
  } else {
    workflow_metadata["generateName"] = name + "-";
  }
  return {{"apiVersion", api_version},
          {"kind", "Workflow"},
          {"metadata", std::move(workflow_metadata)},
          {"spec", spec.value("workflowSpec", Json::object())}};
}

Result<std::vector<store::WorkflowHeader>> ListCronRuns(store::Store& store,
                                                        const std::string& namespace_,
                                                        const std::string& cron_name,
                                                        const std::string& cron_uid) {
  store::ListFilter filter;
  filter.namespace_ = namespace_;
  filter.labels[kCronWorkflowLabel] = cron_name;
  auto headers = store.List(filter);
  if (!headers.ok()) return headers.status();
  std::vector<store::WorkflowHeader> runs;
  for (store::WorkflowHeader& header : *headers) {
    std::string owner = OwnerUid(header);
    if (owner.empty() || owner == cron_uid) runs.push_back(std::move(header));
  }
  return runs;
}

Json CronObject(const store::StoredObject& object) {
  Json cron = object.document;
  Json& metadata = cron["metadata"];
  if (!metadata.is_object()) metadata = Json::object();
  metadata["name"] = object.name;
  metadata["namespace"] = object.namespace_;
  metadata["uid"] = object.uid;
  metadata["creationTimestamp"] =
      engine::Timestamp(engine::TimePoint(std::chrono::milliseconds(object.created_at)));
  metadata["resourceVersion"] = std::to_string(object.version);
  cron["status"] = object.status.is_object() ? object.status : Json::object();
  return cron;
}

}  // namespace loom::server
