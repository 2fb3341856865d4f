// One look of the cron loop at one CronWorkflow (Argo's cronWfOperationCtx,
// workflow/cron/operator.go): reconciling its status with the workflows it
// created, enforcing its history limits, finding the one missed run that may
// still start, and running it on a due time under its concurrencyPolicy. The
// changes to its status (and to its last-used-schedule annotation) collect
// here and are written once, by Persist().
//
// Thread safety: none; the cron loop's thread owns it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "server/controller.h"
#include "server/cron_workflow.h"
#include "spec/cron_schedule.h"
#include "store/store.h"

namespace loom::server {

class CronOperation {
 public:
  CronOperation(store::Store& store, Controller& controller, store::StoredObject object,
                spec::TimePoint now);

  const store::StoredObject& object() const { return object_; }
  const CronSettings& settings() const { return settings_; }

  // The checks of CheckCronWorkflow(); a failure becomes a SpecError condition.
  // Returns the parsed schedules, or nullopt when the spec is invalid.
  std::optional<std::vector<spec::CronSchedule>> Validate();

  // status.active against the workflows themselves: finished or deleted ones
  // leave it (finished ones count as succeeded or failed), unfinished ones
  // it lacks join it. Then the oldest finished workflows beyond
  // successfulJobsHistoryLimit / failedJobsHistoryLimit are deleted.
  void Reconcile();

  // After downtime or an edit: the latest time a schedule was due after
  // status.lastScheduledTime and before now, if startingDeadlineSeconds is
  // set and it is less than that many seconds ago. Never after the schedule
  // changed (the runs it missed were the old schedule's).
  std::optional<spec::TimePoint> MissedRun(const std::vector<spec::CronSchedule>& schedules) const;

  // The run due at `scheduled`: skipped while suspended, or under Forbid
  // while a run is active; under Replace the active runs are terminated
  // first. The Workflow goes through the Controller like an API submit; a
  // run of that time that exists already is left alone.
  void Run(spec::TimePoint scheduled);

  // What the write did: kDone (the object's version is now `version`),
  // kMissing (deleted meanwhile: the runs this look created are deleted too)
  // or kConflict (someone else wrote it first; the status went onto their
  // version, which must be looked at again).
  struct Written {
    store::ObjectWrite outcome = store::ObjectWrite::kDone;
    int64_t version = 0;
  };
  // Writes the status and annotation changes, if any.
  Result<Written> Persist();

 private:
  void SetCondition(const std::string& type, const std::string& message);
  void RemoveCondition(const std::string& type);
  void Count(const std::string& phase);
  void DeleteOldest(std::vector<store::WorkflowHeader> finished, int64_t keep);
  Written Orphaned();

  store::Store& store_;
  Controller& controller_;
  store::StoredObject object_;
  const store::StoredObject stored_;  // as read, to tell what changed
  CronSettings settings_;
  spec::TimePoint now_;
  std::vector<std::string> created_;  // runs this look submitted
};

}  // namespace loom::server
