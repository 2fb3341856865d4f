// The lock table behind Argo's `synchronization`: semaphores (a limit read
// from a ConfigMap key) and mutexes (a semaphore of one), shared by every
// workflow that runs in this process, so a mutex keeps two workflows apart as
// well as two steps of one workflow.
//
// A holder is a workflow (workflow-level synchronization) or one node of it
// (template-level). It asks for all the locks it needs at once and gets all
// of them or waits. Waiters form one order, the same in every lock's queue:
// higher workflow priority first, then the workflow created earlier, then the
// one that asked first. A waiter is admitted only when it is at the front of
// the queue of every lock it waits for and each has a free place, as Argo's
// "workflows can only acquire a lock if they are at the front of the queue";
// because the order is one order, the first waiter of all is at the front of
// each of its queues, so the table never deadlocks.
//
// Pure logic: no clock, no I/O. Admissions caused by a release are queued
// for TakeGranted(), never called back, so whoever released (an engine in the
// middle of an event) is never re-entered.
//
// Thread safety: none; one thread (the run loop) owns the table.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "spec/sync_config.h"

namespace loom::scheduler {

// A lock's name, written as Argo writes lock keys:
// "<namespace>/ConfigMap/<configmap>/<key>" or "<namespace>/Mutex/<name>".
struct LockName {
  enum class Kind { kSemaphore, kMutex };
  Kind kind = Kind::kMutex;
  std::string namespace_;
  std::string name;  // the ConfigMap's (semaphore) or the mutex's
  std::string key;   // semaphore: the ConfigMap key holding the limit

  std::string ToString() const;
  // The inverse of ToString(); nullopt for anything else.
  static std::optional<LockName> Parse(std::string_view text);
};

// Who holds or waits: a workflow ("<namespace>/<name>") or one of its nodes.
struct Holder {
  std::string workflow;
  std::string node;  // "" = the workflow itself

  // Argo's holder key: "<namespace>/<name>" or "<namespace>/<name>/<node id>".
  std::string Key() const { return node.empty() ? workflow : workflow + "/" + node; }
  // The inverse of Key(); nullopt for a text with fewer than two parts.
  static std::optional<Holder> Parse(std::string_view key);
  bool operator==(const Holder&) const = default;
};

// The limit of a semaphore, or why it has none (its ConfigMap or key is missing).
using LimitSource = std::function<Result<int>(const LockName&)>;

// The limits the ConfigMaps of `config` give.
LimitSource LimitsFrom(spec::SyncConfig config);

class LockTable {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  explicit LockTable(LimitSource limits);

  struct Outcome {
    enum class State { kAcquired, kWaiting, kError };
    State state = State::kAcquired;
    // kWaiting: "Waiting for <lock> lock. Lock status: <free>/<limit>";
    // kError: why a semaphore has no limit.
    std::string message;
    std::string lock;  // kWaiting: the first lock it cannot take; kError: the bad one
    std::vector<std::string> holders;  // kWaiting: that lock's holders (keys)
  };

  // `holder` needs every lock of `locks`. Returns kAcquired when it holds
  // them all now (also when it already held them), kWaiting when it joined
  // the queues (it is admitted later, through TakeGranted()), kError when a
  // semaphore has no limit; then nothing was taken or queued.
  Outcome Acquire(const Holder& holder, const std::vector<LockName>& locks, int priority,
                  TimePoint created);

  // Records a holder that the store shows holding `lock` (after a restart),
  // before anyone waits: it is taken even beyond the limit (a limit lowered
  // since), and nobody is admitted until the holders are below it again.
  void Restore(const Holder& holder, const LockName& lock);

  // Frees what `holder` holds and takes it out of every queue it is in.
  void Release(const Holder& holder);
  // Release() of every holder of the workflow (finished, stopped, deleted).
  void ReleaseWorkflow(const std::string& workflow);

  // Waiters admitted since the last call, in the order they were admitted.
  std::vector<Holder> TakeGranted();

  // The locks held by holders of `workflow`, by holder (an engine taking
  // over a run continued after a restart).
  std::vector<std::pair<Holder, LockName>> HeldBy(const std::string& workflow) const;

  // Holder keys of `lock`, sorted; and the number of holders waiting anywhere.
  std::vector<std::string> Holders(const std::string& lock) const;
  size_t waiting() const { return waiters_.size(); }
  // How many times a holder has taken locks (acquired, admitted, restored),
  // so a caller can tell that holdings changed since it last looked.
  uint64_t acquisitions() const { return acquisitions_; }

 private:
  // The one order of waiters: priority (higher first), created, then arrival.
  struct Place {
    int priority = 0;
    TimePoint created;
    uint64_t arrival = 0;
    bool operator<(const Place& o) const {
      if (priority != o.priority) return priority > o.priority;
      if (created != o.created) return created < o.created;
      return arrival < o.arrival;
    }
  };
  struct Lock {
    LockName name;
    int limit = 0;
    bool limit_known = true;             // false: restored while its ConfigMap was missing
    std::set<std::string> holders;       // holder keys
    std::map<Place, std::string> queue;  // waiting holder keys, front first
  };
  struct Waiter {
    Holder holder;
    Place place;
    std::vector<std::string> locks;  // the locks it waits for (not those it holds)
  };

  // The lock named `name`, created (with its limit) on first use.
  Result<Lock*> Find(const LockName& name);
  bool Admissible(const Waiter& waiter) const;
  // Admits the front waiters of `locks` (and of the locks those waiters
  // wanted, in turn) while they are admissible.
  void Promote(std::vector<std::string> locks);
  void Admit(const std::string& holder_key);
  std::string WaitingMessage(const Lock& lock) const;
  // Takes `holder` out of the table, adding the locks it held or waited for to `touched`.
  void Drop(const Holder& holder, std::vector<std::string>* touched);

  LimitSource limits_;
  std::unordered_map<std::string, Lock> locks_;                         // by lock key
  std::unordered_map<std::string, Waiter> waiters_;                     // by holder key
  std::unordered_map<std::string, std::vector<std::string>> held_;      // holder key -> lock keys
  std::unordered_map<std::string, std::set<std::string>> by_workflow_;  // -> holder keys
  std::vector<Holder> granted_;
  uint64_t arrivals_ = 0;
  uint64_t acquisitions_ = 0;
};

}  // namespace loom::scheduler
