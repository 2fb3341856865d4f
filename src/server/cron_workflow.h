// CronWorkflows as the server and the CLI handle them: checking one as
// `loom lint` does, reading its settings, the Workflow each of its runs is
// (Argo's common.ConvertCronWorkflowToWorkflow*), and the CronWorkflow
// object the API serves from what the store keeps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "server/api_result.h"
#include "server/template_library.h"
#include "spec/cron_schedule.h"
#include "store/store.h"

namespace loom::server {

inline constexpr char kCronWorkflowKind[] = "CronWorkflow";
// On each Workflow a CronWorkflow creates: its name, and the time it was due.
inline constexpr char kCronWorkflowLabel[] = "workflows.argoproj.io/cron-workflow";
inline constexpr char kScheduledTimeAnnotation[] = "workflows.argoproj.io/scheduled-time";
// On the CronWorkflow: the schedule its last run used, so that a changed
// schedule does not catch up runs the old one missed (Argo's IsUsingNewSchedule).
inline constexpr char kLastUsedScheduleAnnotation[] =
    "cronworkflows.argoproj.io/last-used-schedule";

// A CronWorkflow's spec fields other than workflowSpec, with Argo's defaults.
struct CronSettings {
  std::vector<std::string> schedules;  // spec.schedule, or spec.schedules
  std::string timezone;                // "" = the server's local time
  std::string concurrency_policy;      // "Allow" (also ""), "Forbid" or "Replace"
  std::optional<int64_t> starting_deadline_seconds;
  int64_t successful_jobs_history_limit = 3;
  int64_t failed_jobs_history_limit = 1;
  bool suspend = false;

  // Argo's GetScheduleString: each schedule with its CRON_TZ= prefix, joined by ",".
  std::string ScheduleString() const;
  // Every schedule parsed in its time zone; an error if one does not parse.
  Result<std::vector<spec::CronSchedule>> ParseSchedules() const;
};

// Reads the settings of a CronWorkflow document (or object). Fields of the
// wrong type read as unset: CheckCronWorkflow() rejects them beforehand.
CronSettings ReadCronSettings(const Json& cron);

// Checks a CronWorkflow as `loom lint` and a submit check it, its
// templateRefs and workflowTemplateRef resolved in `templates`: 400 with one
// `cronWorkflow:LINE:COL: error: ...` line per problem, lines and columns
// counted in the object pretty-printed with two-space indentation. Returns
// the document with apiVersion and kind filled in when absent.
ApiResult<Json> CheckCronWorkflow(Json cron, const TemplateLookup& templates);

// The name of the run due at `scheduled`: <cron name>-<Unix seconds>, the
// same on every server, so a run created twice is refused the second time.
std::string ScheduledRunName(const std::string& cron_name, spec::TimePoint scheduled);

// The Workflow that runs `cron` (a stored CronWorkflow object, with
// metadata.uid): spec from spec.workflowSpec, labels and annotations from
// spec.workflowMetadata, the cron-workflow label, an ownerReference to the
// CronWorkflow, and the scheduled-time annotation. With `scheduled` (a run
// the schedule made) it is named ScheduledRunName(); without (a manual
// submit, `--from cronworkflow/NAME`) it gets generateName `<cron>-` and the
// annotation says `now`.
Json CronWorkflowToWorkflow(const Json& cron, std::optional<spec::TimePoint> scheduled,
                            spec::TimePoint now);

// The workflows `cron_uid` (the CronWorkflow named `cron_name`) created:
// those with its cron-workflow label and, where they have one, its
// ownerReference. Newest first.
Result<std::vector<store::WorkflowHeader>> ListCronRuns(store::Store& store,
                                                        const std::string& namespace_,
                                                        const std::string& cron_name,
                                                        const std::string& cron_uid);

// Argo's CronWorkflow object for a stored one: the document, with
// metadata.namespace, uid, creationTimestamp and resourceVersion (the
// object's version), and its status.
Json CronObject(const store::StoredObject& object);

}  // namespace loom::server
