// The lock table: admission at the front of the queues, Argo's order of
// waiters (priority, then creation time), several locks at once, restored
// holders, and errors for semaphores without a limit.
#include "scheduler/locks.h"

#include <gtest/gtest.h>

namespace loom::scheduler {
namespace {

using State = LockTable::Outcome::State;
using std::chrono::seconds;

const LockTable::TimePoint kT0 = std::chrono::system_clock::from_time_t(1700000000);

LockName Mutex(const std::string& name) {
  return LockName{LockName::Kind::kMutex, "default", name, ""};
}
LockName Semaphore(const std::string& key) {
  return LockName{LockName::Kind::kSemaphore, "default", "my-config", key};
}

// Limits: "two" -> 2, "one" -> 1; anything else has no limit.
LockTable Table() {
  return LockTable([](const LockName& lock) -> Result<int> {
    if (lock.key == "two") return 2;
    if (lock.key == "one") return 1;
    return Result<int>::Error("no key '" + lock.key + "'");
  });
}

Holder Node(const std::string& workflow, const std::string& node) {
  return Holder{"default/" + workflow, node};
}

std::vector<std::string> Keys(const std::vector<Holder>& holders) {
  std::vector<std::string> keys;
  for (const Holder& h : holders) keys.push_back(h.Key());
  return keys;
}

TEST(LockNames, AreWrittenAsArgoWritesThem) {
  EXPECT_EQ(Mutex("welcome").ToString(), "default/Mutex/welcome");
  EXPECT_EQ(Semaphore("template").ToString(), "default/ConfigMap/my-config/template");
  auto parsed = LockName::Parse("ns/ConfigMap/cm/key");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, LockName::Kind::kSemaphore);
  EXPECT_EQ(parsed->name, "cm");
  EXPECT_EQ(parsed->key, "key");
  EXPECT_EQ(LockName::Parse("ns/Mutex/m")->name, "m");
  EXPECT_FALSE(LockName::Parse("ns/Mutex"));
  EXPECT_FALSE(LockName::Parse("ns/ConfigMap/cm"));
  EXPECT_FALSE(LockName::Parse("ns/Database/x"));
  EXPECT_EQ(Holder::Parse("default/wf/wf-123")->node, "wf-123");
  EXPECT_EQ(Holder::Parse("default/wf")->workflow, "default/wf");
  EXPECT_FALSE(Holder::Parse("wf"));
}

TEST(LockTable, MutexAdmitsOneAndHandsOverOnRelease) {
  LockTable table = Table();
  EXPECT_EQ(table.Acquire(Node("a", "1"), {Mutex("m")}, 0, kT0).state, State::kAcquired);
  auto waiting = table.Acquire(Node("b", "2"), {Mutex("m")}, 0, kT0);
  EXPECT_EQ(waiting.state, State::kWaiting);
  EXPECT_EQ(waiting.message, "Waiting for default/Mutex/m lock. Lock status: 0/1");
  EXPECT_EQ(waiting.lock, "default/Mutex/m");
  EXPECT_EQ(waiting.holders, std::vector<std::string>{"default/a/1"});
  EXPECT_TRUE(table.TakeGranted().empty());
  table.Release(Node("a", "1"));
  EXPECT_EQ(Keys(table.TakeGranted()), std::vector<std::string>{"default/b/2"});
  EXPECT_EQ(table.Holders("default/Mutex/m"), std::vector<std::string>{"default/b/2"});
  EXPECT_EQ(table.waiting(), 0u);
}

TEST(LockTable, SemaphoreAdmitsUpToItsLimit) {
  LockTable table = Table();
  EXPECT_EQ(table.Acquire(Node("a", "1"), {Semaphore("two")}, 0, kT0).state, State::kAcquired);
  EXPECT_EQ(table.Acquire(Node("a", "2"), {Semaphore("two")}, 0, kT0).state, State::kAcquired);
  auto third = table.Acquire(Node("a", "3"), {Semaphore("two")}, 0, kT0);
  EXPECT_EQ(third.state, State::kWaiting);
  EXPECT_EQ(third.message, "Waiting for default/ConfigMap/my-config/two lock. Lock status: 0/2");
  // Asking again while holding is not a second place.
  EXPECT_EQ(table.Acquire(Node("a", "1"), {Semaphore("two")}, 0, kT0).state, State::kAcquired);
  EXPECT_EQ(table.Holders("default/ConfigMap/my-config/two").size(), 2u);
  table.Release(Node("a", "2"));
  EXPECT_EQ(Keys(table.TakeGranted()), std::vector<std::string>{"default/a/3"});
}

TEST(LockTable, WaitersGoByPriorityThenCreationThenArrival) {
  LockTable table = Table();
  table.Acquire(Node("holder", ""), {Mutex("m")}, 0, kT0);
  table.Acquire(Node("late", ""), {Mutex("m")}, 0, kT0 + seconds(20));
  table.Acquire(Node("early", ""), {Mutex("m")}, 0, kT0 + seconds(10));
  table.Acquire(Node("urgent", ""), {Mutex("m")}, 5, kT0 + seconds(30));
  table.Acquire(Node("early-too", ""), {Mutex("m")}, 0, kT0 + seconds(10));
  std::vector<std::string> order;
  std::string current = "default/holder";
  for (int i = 0; i < 4; ++i) {
    table.Release(*Holder::Parse(current));
    auto granted = table.TakeGranted();
    ASSERT_EQ(granted.size(), 1u);
    current = granted[0].Key();
    order.push_back(current);
  }
  EXPECT_EQ(order, (std::vector<std::string>{"default/urgent", "default/early", "default/early-too",
                                             "default/late"}));
}

TEST(LockTable, HolderOfSeveralLocksNeedsAllAndBlocksThoseBehindIt) {
  LockTable table = Table();
  table.Acquire(Node("a", ""), {Mutex("alpha")}, 0, kT0);
  // b needs alpha and beta: beta is free, but b takes nothing until alpha is.
  auto b = table.Acquire(Node("b", ""), {Mutex("beta"), Mutex("alpha")}, 0, kT0 + seconds(1));
  EXPECT_EQ(b.state, State::kWaiting);
  EXPECT_EQ(b.lock, "default/Mutex/alpha");
  EXPECT_TRUE(table.Holders("default/Mutex/beta").empty());
  // c wants only beta, but b is before it in beta's queue.
  auto c = table.Acquire(Node("c", ""), {Mutex("beta")}, 0, kT0 + seconds(2));
  EXPECT_EQ(c.state, State::kWaiting);
  EXPECT_EQ(c.message, "Waiting for default/Mutex/beta lock. Lock status: 1/1");
  table.Release(Node("a", ""));
  EXPECT_EQ(Keys(table.TakeGranted()), std::vector<std::string>{"default/b"});
  EXPECT_EQ(table.Holders("default/Mutex/beta"), std::vector<std::string>{"default/b"});
  table.Release(Node("b", ""));
  EXPECT_EQ(Keys(table.TakeGranted()), std::vector<std::string>{"default/c"});
}

TEST(LockTable, SemaphoreWithoutLimitIsAnErrorAndTakesNothing) {
  LockTable table = Table();
  auto outcome = table.Acquire(Node("a", "1"), {Mutex("m"), Semaphore("missing")}, 0, kT0);
  EXPECT_EQ(outcome.state, State::kError);
  EXPECT_EQ(outcome.message,
            "failed to initialize semaphore default/ConfigMap/my-config/missing with limit: no "
            "key 'missing'");
  EXPECT_EQ(outcome.lock, "default/ConfigMap/my-config/missing");
  EXPECT_TRUE(table.Holders("default/Mutex/m").empty());
  EXPECT_EQ(table.waiting(), 0u);
  EXPECT_EQ(table.Acquire(Node("b", "1"), {Mutex("m")}, 0, kT0).state, State::kAcquired);
}

TEST(LockTable, RestoredHoldersCountEvenBeyondTheLimit) {
  LockTable table = Table();
  table.Restore(Node("a", "1"), Semaphore("one"));
  table.Restore(Node("b", "1"), Semaphore("one"));
  table.Restore(Node("b", "1"), Semaphore("one"));  // twice is once
  auto c = table.Acquire(Node("c", "1"), {Semaphore("one")}, 0, kT0);
  EXPECT_EQ(c.state, State::kWaiting);
  EXPECT_EQ(c.message, "Waiting for default/ConfigMap/my-config/one lock. Lock status: 0/1");
  table.Release(Node("a", "1"));
  EXPECT_TRUE(table.TakeGranted().empty());  // b still holds it
  // The restored holder taking its lock again is already holding it.
  EXPECT_EQ(table.Acquire(Node("b", "1"), {Semaphore("one")}, 0, kT0).state, State::kAcquired);
  auto held = table.HeldBy("default/b");
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].first.node, "1");
  EXPECT_EQ(held[0].second.ToString(), "default/ConfigMap/my-config/one");
  table.Release(Node("b", "1"));
  EXPECT_EQ(Keys(table.TakeGranted()), std::vector<std::string>{"default/c/1"});
}

TEST(LockTable, RestoredLockWhoseConfigMapIsGoneAdmitsNobody) {
  LockTable table = Table();
  table.Restore(Node("a", "1"), Semaphore("gone"));
  EXPECT_EQ(table.Holders("default/ConfigMap/my-config/gone").size(), 1u);
  EXPECT_EQ(table.Acquire(Node("b", "1"), {Semaphore("gone")}, 0, kT0).state, State::kError);
}

TEST(LockTable, ReleaseWorkflowFreesItsHoldersAndWaiters) {
  LockTable table = Table();
  table.Acquire(Node("a", "1"), {Mutex("m")}, 0, kT0);
  table.Acquire(Node("a", ""), {Mutex("n")}, 0, kT0);
  table.Acquire(Node("a", "2"), {Mutex("m")}, 0, kT0);  // waits behind a/1
  table.Acquire(Node("b", "1"), {Mutex("m")}, 0, kT0 + seconds(1));
  EXPECT_EQ(table.waiting(), 2u);
  table.ReleaseWorkflow("default/a");
  EXPECT_EQ(Keys(table.TakeGranted()), std::vector<std::string>{"default/b/1"});
  EXPECT_TRUE(table.Holders("default/Mutex/n").empty());
  EXPECT_TRUE(table.HeldBy("default/a").empty());
  EXPECT_EQ(table.waiting(), 0u);
}

TEST(LockTable, ReleasingAWaiterLetsTheNextOneIn) {
  LockTable table = Table();
  table.Acquire(Node("a", ""), {Semaphore("two")}, 0, kT0);
  // b waits for m (held by c), so it blocks the free place of "two" for d.
  table.Acquire(Node("c", ""), {Mutex("m")}, 0, kT0);
  table.Acquire(Node("b", ""), {Semaphore("two"), Mutex("m")}, 0, kT0 + seconds(1));
  EXPECT_EQ(table.Acquire(Node("d", ""), {Semaphore("two")}, 0, kT0 + seconds(2)).state,
            State::kWaiting);
  table.Release(Node("b", ""));  // b gives up waiting (stopped)
  EXPECT_EQ(Keys(table.TakeGranted()), std::vector<std::string>{"default/d"});
}

}  // namespace
}  // namespace loom::scheduler
