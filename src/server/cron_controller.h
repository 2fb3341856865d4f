// The cron loop of `loom server`: runs every stored CronWorkflow on its
// schedules with Argo's semantics (workflow/cron/controller.go and
// operator.go). A CronWorkflow seen for the first time (at start, or
// created) or changed by someone else is validated, gets its one missed run
// if startingDeadlineSeconds allows it, and is scheduled from now on; at
// each due time its run goes through CronOperation::Run. Its status
// (active, lastScheduledTime, conditions, succeeded, failed, phase) is kept
// in the store with the object; edits racing with it are caught by the
// store's expected-version check.
//
// Timing: the loop thread sleeps until the earliest due time, a Notify()
// (the API changed a CronWorkflow, or a workflow one created ended) or a
// resync a minute later (edits made to the store by `loom cron` without a
// server). Every decision reads the injected CronClock, so tests drive
// RunOnce() with a fake clock and no thread.
//
// After a restart nothing runs twice: a run's name is derived from its due
// time (CronWorkflow name + Unix seconds), so a second create of it fails
// and is ignored.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "server/controller.h"
#include "spec/cron_schedule.h"
#include "store/store.h"

namespace loom::server {

class CronClock {
 public:
  virtual ~CronClock() = default;
  virtual spec::TimePoint Now() const = 0;
};

// The system clock.
class SystemCronClock : public CronClock {
 public:
  spec::TimePoint Now() const override;
};

class CronController {
 public:
  CronController(store::Store& store, Controller& controller, const CronClock& clock);
  ~CronController();  // Stop()
  CronController(const CronController&) = delete;
  CronController& operator=(const CronController&) = delete;

  // Starts the loop thread; Stop() ends it.
  void Start();
  void Stop();

  // Look again now: a CronWorkflow was created, changed or deleted, or a
  // workflow one of them created has ended.
  void Notify();

  // One turn at clock.Now(): every CronWorkflow new or changed since the
  // last turn is (re)scheduled, every due run is run, and statuses are
  // reconciled with the workflows. Returns the earliest next due time
  // (nullopt: nothing is scheduled).
  std::optional<spec::TimePoint> RunOnce();

 private:
  // What the loop knows of one CronWorkflow between turns.
  struct Entry {
    std::string uid;
    int64_t version = -1;  // the version last seen or written by the loop
    std::vector<spec::CronSchedule> schedules;
    std::vector<std::optional<spec::TimePoint>> next;  // per schedule
  };

  void Look(const store::StoredObject& object, Entry& entry, spec::TimePoint now);
  void Loop();

  store::Store& store_;
  Controller& controller_;
  const CronClock& clock_;
  std::map<std::string, Entry> entries_;  // by "<namespace>/<name>"; RunOnce's caller only

  std::mutex mutex_;  // guards the flags below
  std::condition_variable wake_;
  bool notified_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace loom::server
