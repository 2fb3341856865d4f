// Synchronization in the engine: a workflow or template with
// `synchronization` takes its locks from the lock table before it runs, and
// waits Pending (with Argo's message and synchronizationStatus) while the
// table says so; what a node holds goes back when it completes, whatever its
// phase. Each retry attempt is a node of its own, so a retry takes the
// locks again. Bookkeeping is per node and per lock, never per workflow.
#include <algorithm>

#include "engine/frames.h"
#include "engine/workflow_run.h"
#include "expr/template.h"

namespace loom::engine {

namespace {

using scheduler::LockName;

Result<std::string> Resolve(const std::string& text, const expr::Scope& scope, const char* what) {
  auto resolved = expr::Substitute(text, scope);
  if (!resolved.ok()) return Result<std::string>::Error("synchronization: " + resolved.error());
  if (resolved->empty()) {
    return Result<std::string>::Error(std::string("synchronization: ") + what + " '" + text +
                                      "' is empty");
  }
  return *resolved;
}

// The lock names of `sync`, `{{...}}` resolved in `scope`; a lock without a
// namespace is in the workflow's.
Result<std::vector<LockName>> ResolveLocks(const spec::Synchronization& sync,
                                           const expr::Scope& scope,
                                           const std::string& namespace_) {
  using R = Result<std::vector<LockName>>;
  std::vector<LockName> locks;
  auto in = [&](const std::string& written) -> Result<std::string> {
    return written.empty() ? Result<std::string>(namespace_) : Resolve(written, scope, "namespace");
  };
  for (const spec::SemaphoreRef& s : sync.semaphores) {
    auto name = Resolve(s.config_map, scope, "ConfigMap name");
    auto key = Resolve(s.key, scope, "ConfigMap key");
    auto ns = in(s.namespace_);
    for (const auto* r : {&name, &key, &ns}) {
      if (!r->ok()) return R::Error(r->error());
    }
    locks.push_back({LockName::Kind::kSemaphore, *ns, *name, *key});
  }
  for (const spec::MutexRef& m : sync.mutexes) {
    auto name = Resolve(m.name, scope, "mutex name");
    auto ns = in(m.namespace_);
    if (!name.ok()) return R::Error(name.error());
    if (!ns.ok()) return R::Error(ns.error());
    locks.push_back({LockName::Kind::kMutex, *ns, *name, ""});
  }
  return locks;
}

std::vector<LockHolding>& Holding(SynchronizationStatus& sync, LockName::Kind kind) {
  return kind == LockName::Kind::kMutex ? sync.mutex_holding : sync.semaphore_holding;
}

std::vector<LockHolding>& Waiting(SynchronizationStatus& sync, LockName::Kind kind) {
  return kind == LockName::Kind::kMutex ? sync.mutex_waiting : sync.semaphore_waiting;
}

std::vector<LockHolding>::iterator Entry(std::vector<LockHolding>& list, const std::string& lock) {
  return std::find_if(list.begin(), list.end(),
                      [&](const LockHolding& entry) { return entry.lock == lock; });
}

}  // namespace

scheduler::Holder WorkflowRun::HolderOf(const std::string& node_id) const {
  return {status_.namespace_ + "/" + status_.name, node_id};
}

bool WorkflowRun::TakeLocks(const Invocation& invocation, const std::string& node_id,
                            std::unique_ptr<expr::Scope>& scope) {
  auto resolved = ResolveLocks(*invocation.tmpl->synchronization, *scope, status_.namespace_);
  if (!resolved.ok()) {
    Complete(node_id, NodePhase::kError, resolved.error());
    return false;
  }
  auto outcome = locks().Acquire(HolderOf(node_id), *resolved, Priority(), *options_.created);
  switch (outcome.state) {
    case scheduler::LockTable::Outcome::State::kAcquired:
      Held(node_id, *resolved);
      return true;
    case scheduler::LockTable::Outcome::State::kError:
      Complete(node_id, NodePhase::kError, outcome.message);
      return false;
    case scheduler::LockTable::Outcome::State::kWaiting:
      break;
  }
  Node& waiting = node(node_id);
  waiting.phase = NodePhase::kPending;
  waiting.message = outcome.message;
  waiting.waiting_for_lock = outcome.lock;
  MarkChanged(node_id);
  Waits(node_id, outcome);
  lock_waits_[node_id] = LockWait{invocation, std::move(scope), std::move(*resolved)};
  return false;
}

bool WorkflowRun::TakeWorkflowLocks() {
  auto resolved = ResolveLocks(*workflow_.spec.synchronization, global_scope_, status_.namespace_);
  if (!resolved.ok()) {
    Finish(WorkflowPhase::kFailed,
           "Failed to acquire the synchronization lock. " + resolved.error());
    return false;
  }
  workflow_locks_ = std::move(*resolved);
  auto outcome = locks().Acquire(HolderOf(""), workflow_locks_, Priority(), *options_.created);
  switch (outcome.state) {
    case scheduler::LockTable::Outcome::State::kAcquired:
      Held("", workflow_locks_);
      return true;
    case scheduler::LockTable::Outcome::State::kError:
      Finish(WorkflowPhase::kFailed,
             "Failed to acquire the synchronization lock. " + outcome.message);
      return false;
    case scheduler::LockTable::Outcome::State::kWaiting:
      break;
  }
  // Argo keeps a workflow that waits for its lock Pending, saying why.
  status_.phase = WorkflowPhase::kPending;
  status_.message = outcome.message;
  waiting_for_workflow_locks_ = true;
  Waits("", outcome);
  return false;
}

void WorkflowRun::LockGranted(const std::string& node_id) {
  Admit(node_id);
  Drain();
}

void WorkflowRun::Admit(const std::string& node_id) {
  if (done_) return;
  if (node_id.empty()) {
    if (!waiting_for_workflow_locks_) return;
    waiting_for_workflow_locks_ = false;
    StopWaiting("");
    Held("", workflow_locks_);
    status_.phase = WorkflowPhase::kRunning;
    status_.message.clear();
    status_.started_at = Now();
    Begin();
    return;
  }
  auto it = lock_waits_.find(node_id);
  if (it == lock_waits_.end()) return;
  LockWait wait = std::move(it->second);
  lock_waits_.erase(it);
  StopWaiting(node_id);
  Held(node_id, wait.locks);
  Node& admitted = node(node_id);
  admitted.message.clear();
  admitted.waiting_for_lock.clear();
  if (admitted.type != NodeType::kPod) admitted.phase = NodePhase::kRunning;
  MarkChanged(node_id);
  RunTemplate(*this, wait.invocation, node_id, std::move(wait.scope));
}

void WorkflowRun::Held(const std::string& node_id, const std::vector<LockName>& locks) {
  std::vector<LockName>& held = held_[node_id];
  std::string holder = HolderOf(node_id).Key();
  for (const LockName& lock : locks) {
    std::string key = lock.ToString();
    auto same = [&](const LockName& l) { return l.ToString() == key; };
    if (std::any_of(held.begin(), held.end(), same)) continue;
    held.push_back(lock);
    std::vector<LockHolding>& list = Holding(status_.synchronization, lock.kind);
    auto entry = Entry(list, key);
    if (entry == list.end()) entry = list.insert(list.end(), LockHolding{key, {}});
    entry->holders.push_back(holder);
  }
}

void WorkflowRun::Waits(const std::string& node_id, const scheduler::LockTable::Outcome& outcome) {
  waits_for_[node_id] = outcome.lock;
  ++waiters_of_[outcome.lock];
  auto lock = LockName::Parse(outcome.lock);
  if (!lock) return;
  std::vector<LockHolding>& list = Waiting(status_.synchronization, lock->kind);
  auto entry = Entry(list, outcome.lock);
  if (entry == list.end()) entry = list.insert(list.end(), LockHolding{outcome.lock, {}});
  entry->holders = outcome.holders;
}

void WorkflowRun::StopWaiting(const std::string& node_id) {
  auto it = waits_for_.find(node_id);
  if (it == waits_for_.end()) return;
  std::string key = it->second;
  waits_for_.erase(it);
  if (--waiters_of_[key] > 0) return;
  waiters_of_.erase(key);
  auto lock = LockName::Parse(key);
  if (!lock) return;
  std::vector<LockHolding>& list = Waiting(status_.synchronization, lock->kind);
  auto entry = Entry(list, key);
  if (entry != list.end()) list.erase(entry);
}

void WorkflowRun::ReleaseLocks(const std::string& node_id) {
  if (auto wait = lock_waits_.find(node_id); wait != lock_waits_.end()) {
    lock_waits_.erase(wait);
    StopWaiting(node_id);
    node(node_id).waiting_for_lock.clear();
    locks().Release(HolderOf(node_id));
    return;
  }
  auto held = held_.find(node_id);
  if (held == held_.end()) return;
  std::string holder = HolderOf(node_id).Key();
  for (const LockName& lock : held->second) {
    std::vector<LockHolding>& list = Holding(status_.synchronization, lock.kind);
    auto entry = Entry(list, lock.ToString());
    if (entry == list.end()) continue;
    auto& holders = entry->holders;
    holders.erase(std::remove(holders.begin(), holders.end(), holder), holders.end());
    if (holders.empty()) list.erase(entry);
  }
  held_.erase(held);
  locks().Release(HolderOf(node_id));
}

void WorkflowRun::AdoptRestoredLocks() {
  std::map<std::string, std::vector<LockName>> by_node;
  for (auto& [holder, lock] : locks().HeldBy(HolderOf("").workflow)) {
    by_node[holder.node].push_back(std::move(lock));
  }
  for (const auto& [node_id, restored] : by_node) Held(node_id, restored);
}

}  // namespace loom::engine
