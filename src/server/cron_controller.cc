// The cron loop: which CronWorkflows changed, what is due, and sleeping
// until the next of it.
#include "server/cron_controller.h"

#include <algorithm>
#include <iostream>
#include <set>

#include "server/cron_operation.h"
#include "server/cron_workflow.h"

namespace loom::server {

namespace {

// Edits made to the store without this server (`loom cron` on the embedded
// store) are noticed this long after, at the latest.
constexpr std::chrono::seconds kResync(60);
// After a failed store read, the next try.
constexpr std::chrono::seconds kRetry(5);

}  // namespace

spec::TimePoint SystemCronClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

CronController::CronController(store::Store& store, Controller& controller, const CronClock& clock)
    : store_(store), controller_(controller), clock_(clock) {}

CronController::~CronController() { Stop(); }

void CronController::Start() {
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void CronController::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CronController::Notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

void CronController::Loop() {
  for (;;) {
    std::optional<spec::TimePoint> next = RunOnce();
    spec::TimePoint now = clock_.Now();
    spec::TimePoint until = std::min(next.value_or(now + kResync), now + kResync);
    std::unique_lock lock(mutex_);
    // A due time is reached at its millisecond, not a little before it.
    wake_.wait_for(lock, until - now + std::chrono::milliseconds(1),
                   [this] { return notified_ || stopping_; });
    if (stopping_) return;
    notified_ = false;
  }
}

std::optional<spec::TimePoint> CronController::RunOnce() {
  spec::TimePoint now = clock_.Now();
  auto objects = store_.ListObjects(kCronWorkflowKind, "");
  if (!objects.ok()) {
    std::cerr << "loom server: cannot read cron workflows: " << objects.error() << "\n";
    return now + kRetry;
  }
  std::set<std::string> present;
  for (const store::StoredObject& object : *objects) {
    std::string key = object.namespace_ + "/" + object.name;
    present.insert(key);
    Look(object, entries_[key], now);
  }
  std::optional<spec::TimePoint> earliest;
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (!present.count(it->first) || it->second.uid.empty()) {
      it = entries_.erase(it);
      continue;
    }
    for (const auto& next : it->second.next) {
      if (next && (!earliest || *next < *earliest)) earliest = next;
    }
    ++it;
  }
  return earliest;
}

void CronController::Look(const store::StoredObject& object, Entry& entry, spec::TimePoint now) {
  CronOperation operation(store_, controller_, object, now);
  if (entry.uid != object.uid || entry.version != object.version) {
    // New to this loop, or edited by someone else: Argo's processNextCronItem.
    entry.uid = object.uid;
    entry.schedules.clear();
    entry.next.clear();
    if (auto schedules = operation.Validate()) {
      operation.Reconcile();
      if (auto missed = operation.MissedRun(*schedules)) operation.Run(*missed);
      entry.schedules = std::move(*schedules);
      for (const spec::CronSchedule& schedule : entry.schedules) {
        entry.next.push_back(schedule.Next(now));
      }
    }
  } else {
    operation.Reconcile();
    for (size_t i = 0; i < entry.schedules.size(); ++i) {
      if (!entry.next[i] || *entry.next[i] > now) continue;
      operation.Run(*entry.next[i]);
      entry.next[i] = entry.schedules[i].Next(now);
    }
  }
  auto written = operation.Persist();
  if (!written.ok()) {
    std::cerr << "loom server: cannot store the status of cron workflow " << object.name << ": "
              << written.error() << "\n";
    entry.version = -1;  // read it again next turn
    return;
  }
  switch (written->outcome) {
    case store::ObjectWrite::kMissing:
      entry.uid.clear();  // deleted meanwhile: forgotten below
      break;
    case store::ObjectWrite::kConflict:
      entry.version = -1;  // edited meanwhile: look at the edit at once
      Notify();
      break;
    default:
      entry.version = written->version;
  }
}

}  // namespace loom::server
