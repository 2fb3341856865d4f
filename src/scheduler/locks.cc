// The lock table: queues in one order, admission at the front, releases
// that admit the next waiters.
#include "scheduler/locks.h"

#include <algorithm>

namespace loom::scheduler {

namespace {

constexpr std::string_view kConfigMap = "ConfigMap";
constexpr std::string_view kMutex = "Mutex";

std::vector<std::string_view> Split(std::string_view text, size_t max_parts) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < max_parts) {
    size_t slash = text.find('/');
    if (slash == std::string_view::npos) break;
    parts.push_back(text.substr(0, slash));
    text.remove_prefix(slash + 1);
  }
  parts.push_back(text);
  return parts;
}

}  // namespace

std::string LockName::ToString() const {
  if (kind == Kind::kMutex) return namespace_ + "/" + std::string(kMutex) + "/" + name;
  return namespace_ + "/" + std::string(kConfigMap) + "/" + name + "/" + key;
}

std::optional<LockName> LockName::Parse(std::string_view text) {
  std::vector<std::string_view> parts = Split(text, 4);
  LockName lock;
  if (parts.size() == 3 && parts[1] == kMutex) {
    lock.kind = Kind::kMutex;
  } else if (parts.size() == 4 && parts[1] == kConfigMap && !parts[3].empty()) {
    lock.kind = Kind::kSemaphore;
    lock.key = parts[3];
  } else {
    return std::nullopt;
  }
  if (parts[0].empty() || parts[2].empty()) return std::nullopt;
  lock.namespace_ = parts[0];
  lock.name = parts[2];
  return lock;
}

std::optional<Holder> Holder::Parse(std::string_view key) {
  std::vector<std::string_view> parts = Split(key, 3);
  if (parts.size() < 2 || parts[0].empty() || parts[1].empty()) return std::nullopt;
  Holder holder;
  holder.workflow = std::string(parts[0]) + "/" + std::string(parts[1]);
  if (parts.size() == 3) holder.node = parts[2];
  return holder;
}

LimitSource LimitsFrom(spec::SyncConfig config) {
  return [config = std::move(config)](const LockName& lock) {
    return config.SemaphoreLimit(lock.namespace_, lock.name, lock.key);
  };
}

LockTable::LockTable(LimitSource limits) : limits_(std::move(limits)) {}

Result<LockTable::Lock*> LockTable::Find(const LockName& name) {
  std::string key = name.ToString();
  auto it = locks_.find(key);
  if (it != locks_.end() && it->second.limit_known) return &it->second;
  int limit = 1;
  if (name.kind == LockName::Kind::kSemaphore) {
    Result<int> found = limits_(name);
    if (!found.ok()) {
      return Result<Lock*>::Error("failed to initialize semaphore " + key +
                                  " with limit: " + found.error());
    }
    limit = *found;
  }
  Lock& lock = locks_[key];
  lock.name = name;
  lock.limit = limit;
  lock.limit_known = true;
  return &lock;
}

std::string LockTable::WaitingMessage(const Lock& lock) const {
  int free = std::max(0, lock.limit - static_cast<int>(lock.holders.size()));
  return "Waiting for " + lock.name.ToString() + " lock. Lock status: " + std::to_string(free) +
         "/" + std::to_string(lock.limit);
}

LockTable::Outcome LockTable::Acquire(const Holder& holder, const std::vector<LockName>& locks,
                                      int priority, TimePoint created) {
  Outcome outcome;
  std::string key = holder.Key();
  std::vector<Lock*> wanted;
  for (const LockName& name : locks) {
    Result<Lock*> lock = Find(name);
    if (!lock.ok()) {
      outcome.state = Outcome::State::kError;
      outcome.message = lock.error();
      outcome.lock = name.ToString();
      return outcome;
    }
    if (!(*lock)->holders.count(key) &&
        std::find(wanted.begin(), wanted.end(), *lock) == wanted.end()) {
      wanted.push_back(*lock);
    }
  }
  if (wanted.empty()) return outcome;
  auto waiting = waiters_.find(key);
  if (waiting == waiters_.end()) {
    Waiter waiter{holder, Place{priority, created, arrivals_++}, {}};
    for (Lock* lock : wanted) {
      std::string lock_key = lock->name.ToString();
      waiter.locks.push_back(lock_key);
      lock->queue.emplace(waiter.place, key);
    }
    waiting = waiters_.emplace(key, std::move(waiter)).first;
    by_workflow_[holder.workflow].insert(key);
  }
  if (Admissible(waiting->second)) {
    std::vector<std::string> touched = waiting->second.locks;
    Admit(key);
    granted_.pop_back();  // told now, not through TakeGranted()
    Promote(std::move(touched));
    return outcome;
  }
  for (const std::string& lock_key : waiting->second.locks) {
    const Lock& lock = locks_.at(lock_key);
    bool front = lock.queue.begin()->second == key;
    if (front && static_cast<int>(lock.holders.size()) < lock.limit) continue;
    outcome.state = Outcome::State::kWaiting;
    outcome.message = WaitingMessage(lock);
    outcome.lock = lock_key;
    outcome.holders.assign(lock.holders.begin(), lock.holders.end());
    break;
  }
  return outcome;
}

bool LockTable::Admissible(const Waiter& waiter) const {
  std::string key = waiter.holder.Key();
  for (const std::string& lock_key : waiter.locks) {
    const Lock& lock = locks_.at(lock_key);
    if (lock.queue.begin()->second != key) return false;
    if (static_cast<int>(lock.holders.size()) >= lock.limit) return false;
  }
  return true;
}

void LockTable::Admit(const std::string& holder_key) {
  auto it = waiters_.find(holder_key);
  Waiter waiter = std::move(it->second);
  waiters_.erase(it);
  std::vector<std::string>& held = held_[holder_key];
  for (const std::string& lock_key : waiter.locks) {
    Lock& lock = locks_.at(lock_key);
    lock.queue.erase(waiter.place);
    lock.holders.insert(holder_key);
    held.push_back(lock_key);
  }
  granted_.push_back(std::move(waiter.holder));
  ++acquisitions_;
}

void LockTable::Promote(std::vector<std::string> locks) {
  while (!locks.empty()) {
    std::string lock_key = std::move(locks.back());
    locks.pop_back();
    const Lock& lock = locks_.at(lock_key);
    if (lock.queue.empty()) continue;
    const Waiter& front = waiters_.at(lock.queue.begin()->second);
    if (!Admissible(front)) continue;
    std::vector<std::string> touched = front.locks;
    Admit(front.holder.Key());
    locks.insert(locks.end(), touched.begin(), touched.end());
  }
}

void LockTable::Restore(const Holder& holder, const LockName& lock) {
  Result<Lock*> found = Find(lock);
  Lock* target = nullptr;
  if (found.ok()) {
    target = *found;
  } else {
    // Its ConfigMap is gone since: hold it anyway, with no room for others.
    target = &locks_[lock.ToString()];
    target->name = lock;
    target->limit_known = false;
  }
  std::string key = holder.Key();
  if (!target->holders.insert(key).second) return;
  ++acquisitions_;
  held_[key].push_back(lock.ToString());
  by_workflow_[holder.workflow].insert(key);
}

void LockTable::Release(const Holder& holder) {
  std::vector<std::string> touched;
  Drop(holder, &touched);
  Promote(std::move(touched));
}

void LockTable::ReleaseWorkflow(const std::string& workflow) {
  auto it = by_workflow_.find(workflow);
  if (it == by_workflow_.end()) return;
  std::set<std::string> keys = it->second;
  // All of them go before anyone is admitted: none of its own waiters is.
  std::vector<std::string> touched;
  for (const std::string& key : keys) {
    if (auto holder = Holder::Parse(key)) Drop(*holder, &touched);
  }
  Promote(std::move(touched));
}

void LockTable::Drop(const Holder& holder, std::vector<std::string>* touched) {
  std::string key = holder.Key();
  if (auto held = held_.find(key); held != held_.end()) {
    for (const std::string& lock_key : held->second) {
      locks_.at(lock_key).holders.erase(key);
      touched->push_back(lock_key);
    }
    held_.erase(held);
  }
  if (auto waiting = waiters_.find(key); waiting != waiters_.end()) {
    for (const std::string& lock_key : waiting->second.locks) {
      locks_.at(lock_key).queue.erase(waiting->second.place);
      touched->push_back(lock_key);
    }
    waiters_.erase(waiting);
  }
  auto workflow = by_workflow_.find(holder.workflow);
  if (workflow == by_workflow_.end()) return;
  workflow->second.erase(key);
  if (workflow->second.empty()) by_workflow_.erase(workflow);
}

std::vector<Holder> LockTable::TakeGranted() {
  std::vector<Holder> out;
  out.swap(granted_);
  return out;
}

std::vector<std::pair<Holder, LockName>> LockTable::HeldBy(const std::string& workflow) const {
  std::vector<std::pair<Holder, LockName>> out;
  auto it = by_workflow_.find(workflow);
  if (it == by_workflow_.end()) return out;
  for (const std::string& key : it->second) {
    auto held = held_.find(key);
    if (held == held_.end()) continue;
    std::optional<Holder> holder = Holder::Parse(key);
    if (!holder) continue;
    for (const std::string& lock_key : held->second) {
      out.emplace_back(*holder, locks_.at(lock_key).name);
    }
  }
  return out;
}

std::vector<std::string> LockTable::Holders(const std::string& lock) const {
  auto it = locks_.find(lock);
  if (it == locks_.end()) return {};
  return {it->second.holders.begin(), it->second.holders.end()};
}

}  // namespace loom::scheduler
