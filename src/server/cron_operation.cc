// Argo's cron operator for one CronWorkflow, over the store and the Controller.
#include "server/cron_operation.h"

#include <algorithm>
#include <iostream>

#include "engine/status_json.h"

namespace loom::server {

namespace {

engine::TimePoint ToEngineTime(spec::TimePoint t) {
  return std::chrono::time_point_cast<engine::TimePoint::duration>(t);
}

bool Completed(const store::WorkflowHeader& header) { return header.finished_at.has_value(); }

Json Reference(const store::WorkflowHeader& header) {
  return {{"kind", "Workflow"},
          {"apiVersion", header.document.value("apiVersion", "argoproj.io/v1alpha1")},
          {"name", header.name},
          {"namespace", header.namespace_},
          {"uid", header.uid}};
}

}  // namespace

CronOperation::CronOperation(store::Store& store, Controller& controller,
                             store::StoredObject object, spec::TimePoint now)
    : store_(store),
      controller_(controller),
      object_(std::move(object)),
      stored_(object_),
      settings_(ReadCronSettings(object_.document)),
      now_(now) {
  if (!object_.status.is_object()) object_.status = Json::object();
}

std::optional<std::vector<spec::CronSchedule>> CronOperation::Validate() {
  auto checked = CheckCronWorkflow(object_.document, StoredTemplates(store_, object_.namespace_));
  auto schedules = settings_.ParseSchedules();
  if (!checked.ok() || !schedules.ok()) {
    SetCondition("SpecError", checked.ok() ? schedules.error() : checked.error().message);
    return std::nullopt;
  }
  RemoveCondition("SpecError");
  return std::move(*schedules);
}

void CronOperation::Reconcile() {
  auto runs = ListCronRuns(store_, object_.namespace_, object_.name, object_.uid);
  if (!runs.ok()) {
    std::cerr << "loom server: cron workflow " << object_.name << ": " << runs.error() << "\n";
    return;
  }
  Json& status = object_.status;
  Json active = status.value("active", Json::array());
  if (!active.is_array()) active = Json::array();
  auto listed = [&](const std::string& uid) {
    return std::any_of(active.begin(), active.end(),
                       [&](const Json& ref) { return ref.value("uid", "") == uid; });
  };
  for (const store::WorkflowHeader& run : *runs) {
    if (!Completed(run) && !listed(run.uid)) active.push_back(Reference(run));
  }
  Json still = Json::array();
  for (const Json& ref : active) {
    auto run = std::find_if(runs->begin(), runs->end(), [&](const store::WorkflowHeader& h) {
      return h.uid == ref.value("uid", "");
    });
    if (run == runs->end()) continue;  // deleted
    if (Completed(*run)) {
      Count(run->phase);
    } else {
      still.push_back(ref);
    }
  }
  if (!still.empty() || status.contains("active")) status["active"] = std::move(still);

  std::vector<store::WorkflowHeader> succeeded, failed;
  for (store::WorkflowHeader& run : *runs) {
    if (!Completed(run)) continue;
    (run.phase == "Succeeded" ? succeeded : failed).push_back(std::move(run));
  }
  DeleteOldest(std::move(succeeded), settings_.successful_jobs_history_limit);
  DeleteOldest(std::move(failed), settings_.failed_jobs_history_limit);
}

void CronOperation::DeleteOldest(std::vector<store::WorkflowHeader> finished, int64_t keep) {
  if (static_cast<int64_t>(finished.size()) <= keep) return;
  std::stable_sort(finished.begin(), finished.end(), [](const auto& a, const auto& b) {
    return a.finished_at.value_or(0) > b.finished_at.value_or(0);
  });
  for (size_t i = static_cast<size_t>(keep); i < finished.size(); ++i) {
    auto deleted = controller_.Delete(finished[i].namespace_, finished[i].name);
    if (!deleted.ok() && deleted.error().code != 404) {
      std::cerr << "loom server: cron workflow " << object_.name << ": cannot delete "
                << finished[i].name << ": " << deleted.error().message << "\n";
    }
  }
}

void CronOperation::Count(const std::string& phase) {
  Json& status = object_.status;
  if (phase == "Succeeded") status["succeeded"] = status.value("succeeded", 0) + 1;
  if (phase == "Failed" || phase == "Error") status["failed"] = status.value("failed", 0) + 1;
}

std::optional<spec::TimePoint> CronOperation::MissedRun(
    const std::vector<spec::CronSchedule>& schedules) const {
  const Json annotations =
      object_.document.value("metadata", Json::object()).value("annotations", Json::object());
  if (annotations.value(kLastUsedScheduleAnnotation, "") != settings_.ScheduleString()) {
    return std::nullopt;
  }
  auto last = engine::ParseTimestamp(object_.status.value("lastScheduledTime", ""));
  if (!last || !settings_.starting_deadline_seconds) return std::nullopt;
  const std::chrono::seconds deadline(*settings_.starting_deadline_seconds);
  // Argo takes the latest due time before now and runs it only if it is
  // within the deadline; due times before now - deadline can never qualify,
  // so the walk starts there (a long downtime must not mean a long walk).
  spec::TimePoint from =
      std::max(std::chrono::time_point_cast<std::chrono::milliseconds>(*last), now_ - deadline);
  for (const spec::CronSchedule& schedule : schedules) {
    std::optional<spec::TimePoint> missed;
    for (auto next = schedule.Next(from); next && *next < now_; next = schedule.Next(*next)) {
      missed = next;
    }
    if (missed && now_ < *missed + deadline) return missed;
  }
  return std::nullopt;
}

void CronOperation::Run(spec::TimePoint scheduled) {
  Json& annotations = object_.document["metadata"]["annotations"];
  if (!annotations.is_object()) annotations = Json::object();
  annotations[kLastUsedScheduleAnnotation] = settings_.ScheduleString();
  if (settings_.suspend) return;
  Json& status = object_.status;
  const Json active = status.value("active", Json::array());
  if (settings_.concurrency_policy == "Forbid" && !active.empty()) return;
  if (settings_.concurrency_policy == "Replace") {
    for (const Json& ref : active) {
      auto stopped = controller_.Act(object_.namespace_, ref.value("name", ""), Action::kTerminate);
      // Gone or already finished: nothing to replace.
      if (!stopped.ok() && stopped.error().code != 404 && stopped.error().code != 409) {
        SetCondition("SubmissionError", "run policy error: error stopping workflow " +
                                            ref.value("name", "") + ": " + stopped.error().message);
        Count("Failed");
        return;
      }
    }
  }
  Json workflow = CronWorkflowToWorkflow(CronObject(object_), scheduled, now_);
  auto created = controller_.Submit(object_.namespace_, std::move(workflow), false);
  if (!created.ok()) {
    if (created.error().code == 409) return;  // this run exists: a second create is harmless
    SetCondition("SubmissionError", "Failed to submit Workflow: " + created.error().message);
    Count("Failed");
    return;
  }
  const Json& metadata = (*created)["metadata"];
  created_.push_back(metadata.value("name", ""));
  Json ref = {{"kind", "Workflow"},
              {"apiVersion", created->value("apiVersion", "argoproj.io/v1alpha1")},
              {"name", metadata.value("name", "")},
              {"namespace", metadata.value("namespace", "")},
              {"uid", metadata.value("uid", "")}};
  Json list = status.value("active", Json::array());
  list.push_back(std::move(ref));
  status["active"] = std::move(list);
  status["phase"] = "Active";
  status["lastScheduledTime"] = engine::Timestamp(ToEngineTime(scheduled));
  RemoveCondition("SubmissionError");
}

void CronOperation::SetCondition(const std::string& type, const std::string& message) {
  Json conditions = object_.status.value("conditions", Json::array());
  if (!conditions.is_array()) conditions = Json::array();
  Json condition = {{"type", type}, {"status", "True"}, {"message", message}};
  auto same = std::find_if(conditions.begin(), conditions.end(),
                           [&](const Json& c) { return c.value("type", "") == type; });
  if (same != conditions.end()) {
    *same = std::move(condition);
  } else {
    conditions.push_back(std::move(condition));
  }
  object_.status["conditions"] = std::move(conditions);
}

void CronOperation::RemoveCondition(const std::string& type) {
  Json conditions = object_.status.value("conditions", Json::array());
  if (!conditions.is_array()) return;
  Json kept = Json::array();
  for (const Json& c : conditions) {
    if (c.value("type", "") != type) kept.push_back(c);
  }
  if (kept.empty()) {
    object_.status.erase("conditions");
  } else {
    object_.status["conditions"] = std::move(kept);
  }
}

Result<CronOperation::Written> CronOperation::Persist() {
  if (object_.status == stored_.status && object_.document == stored_.document) {
    return Written{store::ObjectWrite::kDone, object_.version};
  }
  auto written = store_.UpdateObject(object_, object_.version);
  if (!written.ok()) return written.status();
  if (*written == store::ObjectWrite::kMissing) return Orphaned();
  if (*written == store::ObjectWrite::kDone) return Written{*written, object_.version + 1};
  // Someone replaced the spec meanwhile: the status is ours, the document
  // theirs; the caller looks at their version again.
  auto fresh = store_.GetObject(object_.kind, object_.namespace_, object_.name);
  if (!fresh.ok()) return fresh.status();
  if (!fresh->has_value() || (*fresh)->uid != object_.uid) return Orphaned();
  store::StoredObject theirs = std::move(**fresh);
  theirs.status = object_.status;
  auto again = store_.UpdateObject(theirs, theirs.version);
  if (!again.ok()) return again.status();
  return Written{store::ObjectWrite::kConflict, theirs.version + 1};
}

CronOperation::Written CronOperation::Orphaned() {
  // The CronWorkflow was deleted while this look ran: what it created now
  // goes too, as the delete took the rest.
  for (const std::string& name : created_) {
    auto deleted = controller_.Delete(object_.namespace_, name);
    if (!deleted.ok() && deleted.error().code != 404) {
      std::cerr << "loom server: cannot delete " << name << " of deleted cron workflow "
                << object_.name << ": " << deleted.error().message << "\n";
    }
  }
  return Written{store::ObjectWrite::kMissing, 0};
}

}  // namespace loom::server
