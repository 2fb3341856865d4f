// One suite for every backend: each test runs against SQLite (a file in a
// fresh folder) and against a real PostgreSQL server (a fresh schema on the
// server that ctest's `postgres` fixture starts; see CMakeLists.txt).
#include "store/store.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>
#include <tuple>

#include "store/pg_conn.h"
#include "store/postgres_test_url.h"
#include "store/sqlite_db.h"

namespace loom::store {
namespace {

namespace fs = std::filesystem;

WorkflowHeader Header(const std::string& name, Millis created_at,
                      const std::string& namespace_ = "default") {
  WorkflowHeader header;
  header.uid = "uid-" + namespace_ + "-" + name;
  header.namespace_ = namespace_;
  header.name = name;
  header.phase = "Running";
  header.created_at = created_at;
  header.document = {{"apiVersion", "argoproj.io/v1alpha1"},
                     {"kind", "Workflow"},
                     {"metadata", {{"name", name}, {"namespace", namespace_}}},
                     {"spec", {{"entrypoint", "main"}}}};
  header.status = {{"phase", "Running"}, {"startedAt", "2026-12-02T10:00:00Z"}};
  return header;
}

// A node as Argo's NodeStatus; `version` tells its successive states apart.
Json NodeJson(const std::string& id, int version) {
  return {{"id", id},
          {"name", "wf.step(" + id + ")"},
          {"type", "Pod"},
          {"phase", version % 2 ? "Running" : "Succeeded"},
          {"version", version},
          {"outputs", {{"parameters", Json::array({{{"name", "v"}, {"value", "ü€"}}})}}}};
}

std::vector<std::string> Names(const Result<std::vector<WorkflowHeader>>& headers) {
  std::vector<std::string> names;
  if (!headers.ok()) {
    ADD_FAILURE() << headers.error();
    return names;
  }
  for (const WorkflowHeader& header : *headers) names.push_back(header.name);
  return names;
}

using NameList = std::vector<std::string>;

StoredObject Template(const std::string& name, const std::string& namespace_ = "default",
                      const std::string& kind = "WorkflowTemplate") {
  StoredObject object;
  object.kind = kind;
  object.namespace_ = namespace_;
  object.name = name;
  object.uid = "uid-" + kind + "-" + namespace_ + "-" + name;
  object.created_at = 1700000000456;
  object.document = {{"apiVersion", "argoproj.io/v1alpha1"},
                     {"kind", kind},
                     {"metadata", {{"name", name}, {"namespace", namespace_}}},
                     {"spec", {{"entrypoint", "main"}, {"note", "ünïcode \"quoted\""}}}};
  return object;
}

std::vector<std::string> ObjectKeys(const Result<std::vector<StoredObject>>& objects) {
  std::vector<std::string> keys;
  if (!objects.ok()) {
    ADD_FAILURE() << objects.error();
    return keys;
  }
  for (const StoredObject& object : *objects) keys.push_back(object.namespace_ + "/" + object.name);
  return keys;
}

class StoreTest : public testing::TestWithParam<std::string> {
 protected:
  bool postgres() const { return GetParam() == "postgres"; }

  void SetUp() override {
    if (postgres()) {
      std::string base = PostgresTestUrl();
      ASSERT_FALSE(base.empty());
      // A schema of its own per test, so tests can run at once and leave nothing behind.
      std::string test = testing::UnitTest::GetInstance()->current_test_info()->name();
      schema_ = "t_" + std::to_string(getpid()) + "_";
      for (char c : test.substr(0, test.find('/')))
        schema_ += std::isalnum(c) ? std::tolower(c) : '_';
      auto admin = PgConn::Connect(base);
      ASSERT_TRUE(admin.ok()) << admin.error();
      ASSERT_TRUE((*admin)->Exec("CREATE SCHEMA " + schema_).ok());
      url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
             schema_;
      admin_url_ = base;
    } else {
      std::string pattern = (fs::temp_directory_path() / "loom-store-test.XXXXXX").string();
      ASSERT_NE(mkdtemp(pattern.data()), nullptr);
      dir_ = pattern;
      url_ = "sqlite:" + dir_ + "/nested/loom.db";  // Open creates the folder
    }
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
  }

  void TearDown() override {
    store_.reset();
    if (!schema_.empty()) {
      auto admin = PgConn::Connect(admin_url_);
      ASSERT_TRUE(admin.ok()) << admin.error();
      EXPECT_TRUE((*admin)->Exec("DROP SCHEMA " + schema_ + " CASCADE").ok());
    }
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  std::unique_ptr<Store> OpenStore() {
    auto store = Open(url_);
    EXPECT_TRUE(store.ok()) << store.error();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Runs SQL on the database beside the store, as another client would.
  Status RawExec(const std::string& sql) {
    if (postgres()) {
      auto conn = PgConn::Connect(url_);
      if (!conn.ok()) return conn.status();
      return (*conn)->Exec(sql);
    }
    auto db = SqliteDb::Open(url_.substr(7));
    if (!db.ok()) return db.status();
    return (*db)->Exec(sql);
  }

  int64_t RawCount(const std::string& sql) {
    if (postgres()) {
      auto conn = PgConn::Connect(url_);
      EXPECT_TRUE(conn.ok()) << conn.error();
      auto result = (*conn)->Query(sql, {});
      EXPECT_TRUE(result.ok()) << result.error();
      return result.ok() ? result->Int(0, 0) : -1;
    }
    auto db = SqliteDb::Open(url_.substr(7));
    EXPECT_TRUE(db.ok()) << db.error();
    auto count = (*db)->QueryInt(sql);
    EXPECT_TRUE(count.ok()) << count.error();
    return count.ok() ? *count : -1;
  }

  std::map<std::string, Json> Nodes(const std::string& name, Store* store = nullptr) {
    auto got = (store ? store : store_.get())->Get("default", name);
    EXPECT_TRUE(got.ok()) << got.error();
    if (!got.ok() || !got->has_value()) {
      ADD_FAILURE() << "no workflow " << name;
      return {};
    }
    return (*got)->nodes;
  }

  void CreateOrFail(const WorkflowHeader& header) {
    Status created = store_->Create(header);
    ASSERT_TRUE(created.ok()) << created.message();
  }

  void SyncOrFail() {
    Status synced = store_->Sync();
    ASSERT_TRUE(synced.ok()) << synced.message();
  }

  std::string url_;
  std::string dir_;
  std::string schema_;
  std::string admin_url_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, CreateThenGetReturnsTheHeader) {
  WorkflowHeader header = Header("train", 1700000000123);
  header.labels = {{"team", "ml"}, {"example.com/fleet", "foresight"}};
  header.finished_at = 1700000009999;
  header.phase = "Succeeded";
  header.status["message"] = "all good \"quoted\" \\ ünïcode";
  CreateOrFail(header);

  auto got = store_->Get("default", "train");  // durable, so visible, without Sync()
  ASSERT_TRUE(got.ok()) << got.error();
  ASSERT_TRUE(got->has_value());
  const WorkflowHeader& read = (*got)->header;
  EXPECT_EQ(read.uid, header.uid);
  EXPECT_EQ(read.namespace_, "default");
  EXPECT_EQ(read.name, "train");
  EXPECT_EQ(read.labels, header.labels);
  EXPECT_EQ(read.phase, "Succeeded");
  EXPECT_EQ(read.created_at, 1700000000123);
  EXPECT_EQ(read.finished_at, 1700000009999);
  EXPECT_EQ(read.document, header.document);
  EXPECT_EQ(read.status, header.status);
  EXPECT_TRUE((*got)->nodes.empty());
}

TEST_P(StoreTest, GetOfAMissingWorkflowIsNothing) {
  CreateOrFail(Header("train", 1));
  auto got = store_->Get("default", "eval");
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_FALSE(got->has_value());
  got = store_->Get("other", "train");
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_FALSE(got->has_value());
}

TEST_P(StoreTest, CreateIsDurableWhenItReturns) {
  CreateOrFail(Header("train", 1));
  std::unique_ptr<Store> other = OpenStore();  // another client of the same database
  ASSERT_NE(other, nullptr);
  auto got = other->Get("default", "train");
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_TRUE(got->has_value());
}

TEST_P(StoreTest, DuplicateNameOrUidIsRejected) {
  CreateOrFail(Header("train", 1));

  WorkflowHeader same_name = Header("train", 2);
  same_name.uid = "another-uid";
  Status duplicate = store_->Create(same_name);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.message().find("workflow default/train already exists"), std::string::npos)
      << duplicate.message();

  WorkflowHeader same_uid = Header("eval", 3);
  same_uid.uid = Header("train", 1).uid;
  duplicate = store_->Create(same_uid);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.message().find("uid " + same_uid.uid + " already exists"), std::string::npos)
      << duplicate.message();

  // The same name in another namespace is another workflow; the rejections
  // above broke nothing.
  CreateOrFail(Header("train", 4, "other"));
  SyncOrFail();
  EXPECT_EQ(Names(store_->List({})), (NameList{"train", "train"}));
}

TEST_P(StoreTest, CreateChecksItsHeader) {
  WorkflowHeader no_uid = Header("train", 1);
  no_uid.uid = "";
  EXPECT_FALSE(store_->Create(no_uid).ok());
  WorkflowHeader no_name = Header("", 1);
  EXPECT_FALSE(store_->Create(no_name).ok());
  EXPECT_TRUE(store_->Sync().ok());
}

TEST_P(StoreTest, ListFiltersOnEachFieldNewestFirst) {
  WorkflowHeader a = Header("train-a", 1000);
  a.phase = "Succeeded";
  a.labels = {{"team", "ml"}};
  a.finished_at = 1500;
  WorkflowHeader b = Header("train-b", 2000);
  b.labels = {{"team", "ml"}, {"example.com/env", "prod"}};
  WorkflowHeader c = Header("eval-c", 3000);
  c.phase = "Failed";
  c.labels = {{"team", "data"}};
  c.finished_at = 3500;
  WorkflowHeader d = Header("train-d", 4000, "other");
  d.phase = "Pending";
  for (const WorkflowHeader& header : {b, d, a, c}) CreateOrFail(header);

  EXPECT_EQ(Names(store_->List({})), (NameList{"train-d", "eval-c", "train-b", "train-a"}));
  EXPECT_EQ(Names(store_->List({.namespace_ = "other"})), (NameList{"train-d"}));
  EXPECT_EQ(Names(store_->List({.namespace_ = "default"})),
            (NameList{"eval-c", "train-b", "train-a"}));
  EXPECT_EQ(Names(store_->List({.name_prefix = "train-"})),
            (NameList{"train-d", "train-b", "train-a"}));
  EXPECT_EQ(Names(store_->List({.name_prefix = "rain"})), NameList{});
  EXPECT_EQ(Names(store_->List({.phases = {"Succeeded", "Failed"}})),
            (NameList{"eval-c", "train-a"}));
  EXPECT_EQ(Names(store_->List({.phases = {"Running"}})), (NameList{"train-b"}));
  EXPECT_EQ(Names(store_->List({.labels = {{"team", "ml"}}})), (NameList{"train-b", "train-a"}));
  EXPECT_EQ(Names(store_->List({.labels = {{"team", "ml"}, {"example.com/env", "prod"}}})),
            (NameList{"train-b"}));
  EXPECT_EQ(Names(store_->List({.labels = {{"team", "m"}}})), NameList{});
  EXPECT_EQ(Names(store_->List({.created_after = 2000})),
            (NameList{"train-d", "eval-c", "train-b"}));
  EXPECT_EQ(Names(store_->List({.completed = true})), (NameList{"eval-c", "train-a"}));
  EXPECT_EQ(Names(store_->List({.completed = false})), (NameList{"train-d", "train-b"}));
  EXPECT_EQ(Names(store_->List({.limit = 2})), (NameList{"train-d", "eval-c"}));
  EXPECT_EQ(Names(store_->List({.namespace_ = "default",
                                .name_prefix = "train",
                                .labels = {{"team", "ml"}},
                                .created_after = 1000,
                                .completed = false,
                                .limit = 5})),
            (NameList{"train-b"}));

  auto headers = store_->List({.name_prefix = "train-a"});
  ASSERT_TRUE(headers.ok()) << headers.error();
  ASSERT_EQ(headers->size(), 1u);
  EXPECT_EQ((*headers)[0].labels, a.labels);
  EXPECT_EQ((*headers)[0].finished_at, 1500);
  EXPECT_EQ((*headers)[0].status, a.status);
}

TEST_P(StoreTest, UpdateHeaderReplacesTheHeader) {
  WorkflowHeader header = Header("train", 1000);
  CreateOrFail(header);
  header.phase = "Failed";
  header.labels = {{"team", "ml"}};
  header.finished_at = 2000;
  header.status = {{"phase", "Failed"}, {"message", "child failed"}};
  ASSERT_TRUE(store_->UpdateHeader(header).ok());
  SyncOrFail();

  auto got = store_->Get("default", "train");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->header.phase, "Failed");
  EXPECT_EQ((*got)->header.labels, header.labels);
  EXPECT_EQ((*got)->header.finished_at, 2000);
  EXPECT_EQ((*got)->header.status, header.status);
  EXPECT_EQ(Names(store_->List({.phases = {"Failed"}, .completed = true})), (NameList{"train"}));
  EXPECT_EQ(Names(store_->List({.phases = {"Running"}})), NameList{});
}

TEST_P(StoreTest, ChangesToAMissingWorkflowAreReportedByTheNextSync) {
  CreateOrFail(Header("train", 1));
  WorkflowHeader renamed = Header("train", 1);
  renamed.name = "renamed";  // the uid is train's: no workflow has both
  ASSERT_TRUE(store_->UpdateHeader(renamed).ok());
  ASSERT_TRUE(store_->Append("no-such-uid", {{"n1", NodeJson("n1", 1)}}).ok());
  Status synced = store_->Sync();
  ASSERT_FALSE(synced.ok());
  EXPECT_NE(synced.message().find("no workflow default/renamed with uid uid-default-train"),
            std::string::npos)
      << synced.message();
  EXPECT_NE(synced.message().find("no workflow with uid no-such-uid, 1 node changes dropped"),
            std::string::npos)
      << synced.message();

  // Reported once; the store goes on working.
  SyncOrFail();
  ASSERT_TRUE(store_->Append(Header("train", 1).uid, {{"n1", NodeJson("n1", 1)}}).ok());
  SyncOrFail();
  EXPECT_EQ(Nodes("train").size(), 1u);
  EXPECT_EQ(Names(store_->List({})), (NameList{"train"}));
}

TEST_P(StoreTest, AppendedNodesReadBackAfterSync) {
  WorkflowHeader header = Header("train", 1);
  CreateOrFail(header);
  ASSERT_TRUE(
      store_->Append(header.uid, {{"n1", NodeJson("n1", 1)}, {"n2", NodeJson("n2", 1)}}).ok());
  ASSERT_TRUE(store_->Append(header.uid, {{"n3", NodeJson("n3", 1)}}).ok());
  SyncOrFail();
  std::map<std::string, Json> nodes = Nodes("train");
  ASSERT_EQ(nodes.size(), 3u);
  EXPECT_EQ(nodes["n1"], NodeJson("n1", 1));
  EXPECT_EQ(nodes["n3"], NodeJson("n3", 1));
  EXPECT_TRUE(store_->Append(header.uid, {}).ok());
  EXPECT_FALSE(store_->Append(header.uid, {{"", NodeJson("x", 1)}}).ok());
  EXPECT_FALSE(store_->Append("", {{"n1", NodeJson("n1", 1)}}).ok());
}

TEST_P(StoreTest, TheLatestStateOfANodeWins) {
  WorkflowHeader header = Header("train", 1);
  CreateOrFail(header);
  ASSERT_TRUE(
      store_->Append(header.uid, {{"n1", NodeJson("n1", 1)}, {"n1", NodeJson("n1", 2)}}).ok());
  ASSERT_TRUE(store_->Append(header.uid, {{"n2", NodeJson("n2", 1)}}).ok());
  ASSERT_TRUE(store_->Append(header.uid, {{"n1", NodeJson("n1", 3)}}).ok());
  SyncOrFail();
  ASSERT_TRUE(store_->Append(header.uid, {{"n2", NodeJson("n2", 4)}}).ok());
  SyncOrFail();
  std::map<std::string, Json> nodes = Nodes("train");
  ASSERT_EQ(nodes.size(), 2u);
  EXPECT_EQ(nodes["n1"], NodeJson("n1", 3));
  EXPECT_EQ(nodes["n2"], NodeJson("n2", 4));
}

TEST_P(StoreTest, InvalidUtf8InANodeIsReplacedNotAnError) {
  WorkflowHeader header = Header("train", 1);
  CreateOrFail(header);
  ASSERT_TRUE(store_->Append(header.uid, {{"n1", {{"message", "bad \xff byte"}}}}).ok());
  SyncOrFail();
  EXPECT_EQ(Nodes("train")["n1"]["message"], "bad \xEF\xBF\xBD byte");
}

// Enough changes to fold the journal into a snapshot several times; every
// load in between must still be exact.
TEST_P(StoreTest, ManyChangesAcrossSnapshotsLoadExactly) {
  WorkflowHeader header = Header("fleet", 1);
  CreateOrFail(header);
  constexpr int kNodes = 1500;
  std::map<std::string, Json> want;
  std::mt19937 random(42);
  int appended = 0;
  for (int round = 0; round < 4; ++round) {
    std::vector<int> order(kNodes);
    for (int i = 0; i < kNodes; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), random);
    for (size_t at = 0; at < order.size();) {
      size_t count = std::min(order.size() - at, size_t{1} + random() % 40);
      std::vector<NodeChange> changes;
      for (size_t i = at; i < at + count; ++i) {
        std::string id = "fleet-" + std::to_string(order[i]);
        int version = round * 10 + static_cast<int>(i % 3);
        changes.push_back({id, NodeJson(id, version)});
        want[id] = NodeJson(id, version);
      }
      appended += static_cast<int>(count);
      at += count;
      ASSERT_TRUE(store_->Append(header.uid, std::move(changes)).ok());
    }
    SyncOrFail();
    ASSERT_EQ(Nodes("fleet"), want) << "after round " << round;
  }
  // Folding happened: the journal keeps only what came after the snapshot.
  EXPECT_EQ(RawCount("SELECT count(*) FROM snapshots"), 1);
  EXPECT_EQ(RawCount("SELECT node_count FROM snapshots"), kNodes);
  EXPECT_LT(RawCount("SELECT count(*) FROM journal"), appended / 2);
}

TEST_P(StoreTest, DeleteRemovesTheWorkflowAndItsNodes) {
  WorkflowHeader header = Header("train", 1);
  CreateOrFail(header);
  std::vector<NodeChange> changes;
  for (int i = 0; i < 3000; ++i)
    changes.push_back({"n" + std::to_string(i % 1200), NodeJson("n", i)});
  ASSERT_TRUE(store_->Append(header.uid, std::move(changes)).ok());
  CreateOrFail(Header("eval", 2));
  SyncOrFail();
  ASSERT_GT(RawCount("SELECT count(*) FROM snapshot_nodes"), 0);

  ASSERT_TRUE(store_->Delete(header.uid).ok());
  auto got = store_->Get("default", "train");
  ASSERT_TRUE(got.ok()) << got.error();
  EXPECT_FALSE(got->has_value());
  EXPECT_EQ(Names(store_->List({})), (NameList{"eval"}));
  for (const char* table : {"journal", "snapshots", "snapshot_nodes"}) {
    EXPECT_EQ(RawCount(std::string("SELECT count(*) FROM ") + table), 0) << table;
  }

  // The name is free again, and the new workflow starts with no nodes.
  WorkflowHeader again = Header("train", 3);
  again.uid = "uid-train-again";
  CreateOrFail(again);
  EXPECT_TRUE(Nodes("train").empty());
  EXPECT_TRUE(store_->Delete("no-such-uid").ok());
}

TEST_P(StoreTest, AppendsQueuedBeforeADeleteAreDeletedToo) {
  WorkflowHeader header = Header("train", 1);
  CreateOrFail(header);
  ASSERT_TRUE(store_->Append(header.uid, {{"n1", NodeJson("n1", 1)}}).ok());
  ASSERT_TRUE(store_->Delete(header.uid).ok());
  SyncOrFail();
  EXPECT_EQ(RawCount("SELECT count(*) FROM journal"), 0);
}

TEST_P(StoreTest, ReplaceSwapsAWorkflowForANewOneUnderItsName) {
  WorkflowHeader old = Header("train", 1);
  CreateOrFail(old);
  ASSERT_TRUE(store_->Append(old.uid, {{"a", NodeJson("a", 1)}, {"b", NodeJson("b", 2)}}).ok());
  WorkflowHeader retried = Header("train", 1);
  retried.uid = "uid-train-retried";
  retried.phase = "Pending";
  Status replaced = store_->Replace(old.uid, retried, {{"a", NodeJson("a", 1)}});
  ASSERT_TRUE(replaced.ok()) << replaced.message();

  auto reopened = OpenStore();
  ASSERT_NE(reopened, nullptr);
  for (Store* store : {store_.get(), reopened.get()}) {
    auto got = store->Get("default", "train");
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->header.uid, "uid-train-retried");
    EXPECT_EQ((*got)->header.phase, "Pending");
    ASSERT_EQ((*got)->nodes.size(), 1u);
    EXPECT_EQ((*got)->nodes.at("a"), NodeJson("a", 1));
  }
  EXPECT_EQ(RawCount("SELECT count(*) FROM workflows"), 1);
  // The new run's changes go on from the nodes it was given.
  ASSERT_TRUE(store_->Append(retried.uid, {{"b", NodeJson("b", 3)}}).ok());
  SyncOrFail();
  EXPECT_EQ(Nodes("train").size(), 2u);
  EXPECT_EQ(Nodes("train").at("b"), NodeJson("b", 3));
}

TEST_P(StoreTest, ReplaceByATakenUidChangesNothing) {
  WorkflowHeader old = Header("train", 1);
  WorkflowHeader other = Header("eval", 2);
  CreateOrFail(old);
  CreateOrFail(other);
  WorkflowHeader clash = Header("train", 1);
  clash.uid = other.uid;
  Status replaced = store_->Replace(old.uid, clash, {});
  EXPECT_FALSE(replaced.ok());
  EXPECT_NE(replaced.message().find("already exists"), std::string::npos) << replaced.message();
  auto got = store_->Get("default", "train");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->header.uid, old.uid);
  // Not a failed commit: the store goes on.
  CreateOrFail(Header("more", 3));
  SyncOrFail();
}

TEST_P(StoreTest, ReopenedStoreFindsEverything) {
  WorkflowHeader header = Header("fleet", 1);
  header.labels = {{"team", "ml"}};
  CreateOrFail(header);
  std::map<std::string, Json> want;
  std::vector<NodeChange> changes;
  for (int i = 0; i < 2500; ++i) {
    std::string id = "n" + std::to_string(i % 1000);
    changes.push_back({id, NodeJson(id, i)});
    want[id] = NodeJson(id, i);
  }
  ASSERT_TRUE(store_->Append(header.uid, std::move(changes)).ok());
  header.phase = "Succeeded";
  header.finished_at = 99;
  ASSERT_TRUE(store_->UpdateHeader(header).ok());
  // No Sync(): closing the store commits what is queued.
  ASSERT_TRUE(store_->Append(header.uid, {{"late", NodeJson("late", 1)}}).ok());
  want["late"] = NodeJson("late", 1);
  store_.reset();

  store_ = OpenStore();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(Nodes("fleet"), want);
  EXPECT_EQ(Names(store_->List({.labels = {{"team", "ml"}}, .completed = true})),
            (NameList{"fleet"}));

  // Later changes of the reopened store still win over what came before.
  ASSERT_TRUE(store_->Append(header.uid, {{"n5", NodeJson("n5", 7777)}}).ok());
  SyncOrFail();
  want["n5"] = NodeJson("n5", 7777);
  EXPECT_EQ(Nodes("fleet"), want);
}

TEST_P(StoreTest, ConcurrentAppendsFromSeveralThreads) {
  WorkflowHeader shared = Header("shared", 1);
  CreateOrFail(shared);
  constexpr int kThreads = 4;
  constexpr int kChanges = 400;
  std::vector<std::thread> threads;
  std::vector<std::string> errors(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      WorkflowHeader own = Header("own-" + std::to_string(t), 10 + t);
      if (Status s = store_->Create(own); !s) errors[t] = s.message();
      for (int k = 0; k < kChanges; ++k) {
        std::string id = "t" + std::to_string(t) + "-" + std::to_string(k % 50);
        Status s = store_->Append(shared.uid, {{id, NodeJson(id, k)}});
        if (s.ok()) s = store_->Append(own.uid, {{id, NodeJson(id, k)}});
        if (s.ok() && k % 50 == 49) s = store_->Sync();
        if (!s.ok() && errors[t].empty()) errors[t] = s.message();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& error : errors) EXPECT_EQ(error, "");
  SyncOrFail();

  std::map<std::string, Json> want_shared;
  for (int t = 0; t < kThreads; ++t) {
    std::map<std::string, Json> want_own;
    for (int k = kChanges - 50; k < kChanges; ++k) {
      std::string id = "t" + std::to_string(t) + "-" + std::to_string(k % 50);
      want_own[id] = want_shared[id] = NodeJson(id, k);
    }
    EXPECT_EQ(Nodes("own-" + std::to_string(t)), want_own);
  }
  EXPECT_EQ(Nodes("shared"), want_shared);
}

// A commit that fails loses writes that callers were told were queued: from
// then on every write and Sync() says so.
TEST_P(StoreTest, AFailedCommitIsReportedByEveryLaterWrite) {
  WorkflowHeader header = Header("train", 1);
  CreateOrFail(header);
  std::string trigger =
      postgres()
          ? "CREATE FUNCTION fail() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$; "
            "CREATE TRIGGER fail BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION fail()"
          : "CREATE TRIGGER fail BEFORE INSERT ON journal "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END";
  ASSERT_TRUE(RawExec(trigger).ok());

  ASSERT_TRUE(store_->Append(header.uid, {{"n1", NodeJson("n1", 1)}}).ok());
  Status synced = store_->Sync();
  ASSERT_FALSE(synced.ok());
  EXPECT_NE(synced.message().find("injected failure"), std::string::npos) << synced.message();
  EXPECT_NE(synced.message().find("commit failed"), std::string::npos) << synced.message();

  EXPECT_EQ(store_->Sync().message(), synced.message());
  EXPECT_EQ(store_->Append(header.uid, {{"n2", NodeJson("n2", 1)}}).message(), synced.message());
  EXPECT_EQ(store_->UpdateHeader(header).message(), synced.message());
  EXPECT_EQ(store_->Create(Header("eval", 2)).message(), synced.message());
  EXPECT_EQ(store_->Delete(header.uid).message(), synced.message());
  EXPECT_EQ(store_->CreateObject(Template("build")).error(), synced.message());
  EXPECT_EQ(store_->DeleteObject("WorkflowTemplate", "default", "build").error(), synced.message());
  // Reads still show what was committed.
  EXPECT_TRUE(Nodes("train").empty());
}

TEST_P(StoreTest, ANewerSchemaIsRefused) {
  store_.reset();
  ASSERT_TRUE(RawExec(postgres() ? "UPDATE loom_meta SET value = '99' WHERE key = 'schema_version'"
                                 : "PRAGMA user_version = 99")
                  .ok());
  auto store = Open(url_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("schema version 99, newer than this Loom knows"), std::string::npos)
      << store.error();
}

TEST_P(StoreTest, CreatedObjectReadsBackWithVersionOne) {
  StoredObject object = Template("build");
  object.version = 42;  // CreateObject sets 1
  object.status = {{"lastScheduledTime", "2026-12-02T10:00:00Z"}};
  auto created = store_->CreateObject(object);
  ASSERT_TRUE(created.ok()) << created.error();
  EXPECT_EQ(*created, ObjectWrite::kDone);

  std::unique_ptr<Store> other = OpenStore();  // durable on return: another client sees it
  ASSERT_NE(other, nullptr);
  auto got = other->GetObject("WorkflowTemplate", "default", "build");
  ASSERT_TRUE(got.ok()) << got.error();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->kind, "WorkflowTemplate");
  EXPECT_EQ((*got)->namespace_, "default");
  EXPECT_EQ((*got)->name, "build");
  EXPECT_EQ((*got)->uid, object.uid);
  EXPECT_EQ((*got)->created_at, 1700000000456);
  EXPECT_EQ((*got)->version, 1);
  EXPECT_EQ((*got)->document, object.document);
  EXPECT_EQ((*got)->status, object.status);
}

TEST_P(StoreTest, ACreatedObjectsKeyCannotBeTakenAgain) {
  ASSERT_EQ(*store_->CreateObject(Template("build")), ObjectWrite::kDone);
  StoredObject again = Template("build");
  again.uid = "another-uid";
  again.document["spec"]["entrypoint"] = "other";
  auto created = store_->CreateObject(again);
  ASSERT_TRUE(created.ok()) << created.error();
  EXPECT_EQ(*created, ObjectWrite::kExists);
  auto got = store_->GetObject("WorkflowTemplate", "default", "build");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->uid, Template("build").uid);  // the first one is untouched
  EXPECT_EQ((*got)->document, Template("build").document);

  // The key is kind, namespace and name: change any one and it is another object.
  EXPECT_EQ(*store_->CreateObject(Template("build", "other")), ObjectWrite::kDone);
  EXPECT_EQ(*store_->CreateObject(Template("build", "", "ClusterWorkflowTemplate")),
            ObjectWrite::kDone);
  EXPECT_EQ(*store_->CreateObject(Template("build", "default", "CronWorkflow")),
            ObjectWrite::kDone);
  // Objects are not workflows.
  EXPECT_EQ(Names(store_->List({})), NameList{});
}

TEST_P(StoreTest, ObjectWritesCheckTheirKey) {
  StoredObject no_kind = Template("build");
  no_kind.kind = "";
  EXPECT_FALSE(store_->CreateObject(no_kind).ok());
  EXPECT_FALSE(store_->CreateObject(Template("")).ok());
  StoredObject no_uid = Template("build");
  no_uid.uid = "";
  EXPECT_FALSE(store_->CreateObject(no_uid).ok());
  EXPECT_FALSE(store_->UpdateObject(Template(""), std::nullopt).ok());
  EXPECT_FALSE(store_->DeleteObject("", "default", "build").ok());
  EXPECT_TRUE(ObjectKeys(store_->ListObjects("WorkflowTemplate", "")).empty());
  EXPECT_TRUE(store_->Sync().ok());  // the refusals broke nothing
}

TEST_P(StoreTest, GetOfAMissingObjectIsNothing) {
  ASSERT_EQ(*store_->CreateObject(Template("build")), ObjectWrite::kDone);
  for (auto [kind, namespace_, name] :
       {std::tuple{"WorkflowTemplate", "default", "test"},
        std::tuple{"WorkflowTemplate", "other", "build"},
        std::tuple{"ClusterWorkflowTemplate", "default", "build"}}) {
    auto got = store_->GetObject(kind, namespace_, name);
    ASSERT_TRUE(got.ok()) << got.error();
    EXPECT_FALSE(got->has_value()) << kind << " " << namespace_ << "/" << name;
  }
}

TEST_P(StoreTest, ListObjectsByKindAndNamespaceInNameOrder) {
  for (auto [name, namespace_] :
       {std::pair{"zeta", "default"}, std::pair{"alpha", "default"}, std::pair{"Beta", "default"},
        std::pair{"alpha", "ml"}, std::pair{"mid", "ml"}}) {
    ASSERT_EQ(*store_->CreateObject(Template(name, namespace_)), ObjectWrite::kDone);
  }
  ASSERT_EQ(*store_->CreateObject(Template("alpha", "", "ClusterWorkflowTemplate")),
            ObjectWrite::kDone);
  ASSERT_EQ(*store_->CreateObject(Template("cron", "default", "CronWorkflow")), ObjectWrite::kDone);

  // Names in byte order (upper case first) whatever the database's collation.
  EXPECT_EQ(ObjectKeys(store_->ListObjects("WorkflowTemplate", "default")),
            (NameList{"default/Beta", "default/alpha", "default/zeta"}));
  EXPECT_EQ(ObjectKeys(store_->ListObjects("WorkflowTemplate", "ml")),
            (NameList{"ml/alpha", "ml/mid"}));
  EXPECT_EQ(ObjectKeys(store_->ListObjects("WorkflowTemplate", "")),
            (NameList{"default/Beta", "default/alpha", "ml/alpha", "ml/mid", "default/zeta"}));
  EXPECT_EQ(ObjectKeys(store_->ListObjects("ClusterWorkflowTemplate", "")), (NameList{"/alpha"}));
  EXPECT_EQ(ObjectKeys(store_->ListObjects("CronWorkflow", "")), (NameList{"default/cron"}));
  EXPECT_EQ(ObjectKeys(store_->ListObjects("WorkflowTemplate", "nowhere")), NameList{});
  EXPECT_EQ(ObjectKeys(store_->ListObjects("Unknown", "")), NameList{});

  auto listed = store_->ListObjects("WorkflowTemplate", "ml");
  ASSERT_TRUE(listed.ok()) << listed.error();
  EXPECT_EQ(listed->at(1).document, Template("mid", "ml").document);
  EXPECT_EQ(listed->at(1).version, 1);
}

TEST_P(StoreTest, UpdateObjectReplacesDocumentAndStatusAndCountsVersions) {
  StoredObject object = Template("build");
  ASSERT_EQ(*store_->CreateObject(object), ObjectWrite::kDone);

  StoredObject changed = object;
  changed.uid = "ignored";  // uid and created_at are the created object's for good
  changed.created_at = 5;
  changed.document["spec"]["entrypoint"] = "second";
  changed.status = {{"active", Json::array({"wf-1"})}};
  auto updated = store_->UpdateObject(changed, std::nullopt);
  ASSERT_TRUE(updated.ok()) << updated.error();
  EXPECT_EQ(*updated, ObjectWrite::kDone);
  changed.document["spec"]["entrypoint"] = "third";
  updated = store_->UpdateObject(changed, 2);
  ASSERT_TRUE(updated.ok()) << updated.error();
  EXPECT_EQ(*updated, ObjectWrite::kDone);

  auto got = store_->GetObject("WorkflowTemplate", "default", "build");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 3);
  EXPECT_EQ((*got)->document["spec"]["entrypoint"], "third");
  EXPECT_EQ((*got)->status, changed.status);
  EXPECT_EQ((*got)->uid, object.uid);
  EXPECT_EQ((*got)->created_at, object.created_at);
}

TEST_P(StoreTest, AnUpdateFromAStaleVersionConflictsAndChangesNothing) {
  ASSERT_EQ(*store_->CreateObject(Template("cron", "default", "CronWorkflow")), ObjectWrite::kDone);
  auto read = store_->GetObject("CronWorkflow", "default", "cron");
  ASSERT_TRUE(read.ok() && read->has_value());

  // Another writer comes first...
  StoredObject first = **read;
  first.status = {{"lastScheduledTime", "2026-12-02T10:00:00Z"}};
  ASSERT_EQ(*store_->UpdateObject(first, first.version), ObjectWrite::kDone);
  // ...so a write based on the same read conflicts.
  StoredObject second = **read;
  second.document["spec"]["schedule"] = "* * * * *";
  auto updated = store_->UpdateObject(second, second.version);
  ASSERT_TRUE(updated.ok()) << updated.error();
  EXPECT_EQ(*updated, ObjectWrite::kConflict);
  EXPECT_EQ(*store_->UpdateObject(second, 99), ObjectWrite::kConflict);

  auto got = store_->GetObject("CronWorkflow", "default", "cron");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 2);
  EXPECT_EQ((*got)->status, first.status);
  EXPECT_EQ((*got)->document, first.document);
}

TEST_P(StoreTest, UpdateOrDeleteOfAMissingObjectSaysMissing) {
  ASSERT_EQ(*store_->CreateObject(Template("build")), ObjectWrite::kDone);
  auto updated = store_->UpdateObject(Template("test"), std::nullopt);
  ASSERT_TRUE(updated.ok()) << updated.error();
  EXPECT_EQ(*updated, ObjectWrite::kMissing);
  EXPECT_EQ(*store_->UpdateObject(Template("test"), 1), ObjectWrite::kMissing);
  auto deleted = store_->DeleteObject("WorkflowTemplate", "other", "build");
  ASSERT_TRUE(deleted.ok()) << deleted.error();
  EXPECT_EQ(*deleted, ObjectWrite::kMissing);
  EXPECT_EQ(ObjectKeys(store_->ListObjects("WorkflowTemplate", "")), (NameList{"default/build"}));
}

TEST_P(StoreTest, DeleteObjectRemovesJustThatObject) {
  ASSERT_EQ(*store_->CreateObject(Template("build")), ObjectWrite::kDone);
  ASSERT_EQ(*store_->CreateObject(Template("test")), ObjectWrite::kDone);
  ASSERT_EQ(*store_->CreateObject(Template("build", "", "ClusterWorkflowTemplate")),
            ObjectWrite::kDone);
  auto deleted = store_->DeleteObject("WorkflowTemplate", "default", "build");
  ASSERT_TRUE(deleted.ok()) << deleted.error();
  EXPECT_EQ(*deleted, ObjectWrite::kDone);
  EXPECT_EQ(*store_->DeleteObject("WorkflowTemplate", "default", "build"), ObjectWrite::kMissing);

  std::unique_ptr<Store> other = OpenStore();  // durable on return
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(ObjectKeys(other->ListObjects("WorkflowTemplate", "")), (NameList{"default/test"}));
  EXPECT_EQ(ObjectKeys(other->ListObjects("ClusterWorkflowTemplate", "")), (NameList{"/build"}));
  // The name is free again, and starts over at version 1.
  ASSERT_EQ(*store_->CreateObject(Template("build")), ObjectWrite::kDone);
  auto got = store_->GetObject("WorkflowTemplate", "default", "build");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 1);
}

TEST_P(StoreTest, ObjectsSurviveReopen) {
  ASSERT_EQ(*store_->CreateObject(Template("build")), ObjectWrite::kDone);
  StoredObject changed = Template("build");
  changed.status = {{"n", 1}};
  ASSERT_EQ(*store_->UpdateObject(changed, 1), ObjectWrite::kDone);
  ASSERT_EQ(*store_->CreateObject(Template("base", "", "ClusterWorkflowTemplate")),
            ObjectWrite::kDone);
  store_.reset();

  store_ = OpenStore();
  ASSERT_NE(store_, nullptr);
  auto got = store_->GetObject("WorkflowTemplate", "default", "build");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 2);
  EXPECT_EQ((*got)->status, changed.status);
  EXPECT_EQ((*got)->document, changed.document);
  EXPECT_EQ(ObjectKeys(store_->ListObjects("ClusterWorkflowTemplate", "")), (NameList{"/base"}));
  EXPECT_EQ(*store_->UpdateObject(changed, 2), ObjectWrite::kDone);  // the version counts on
}

TEST_P(StoreTest, ObjectWritesAreOrderedWithQueuedWorkflowWrites) {
  WorkflowHeader header = Header("train", 1);
  CreateOrFail(header);
  ASSERT_TRUE(store_->Append(header.uid, {{"n1", NodeJson("n1", 1)}}).ok());
  header.phase = "Succeeded";
  ASSERT_TRUE(store_->UpdateHeader(header).ok());
  // The object write waits for its commit, and the queued writes before it
  // are in that commit or an earlier one.
  ASSERT_EQ(*store_->CreateObject(Template("build")), ObjectWrite::kDone);
  auto got = store_->Get("default", "train");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->header.phase, "Succeeded");
  EXPECT_EQ((*got)->nodes.size(), 1u);
}

// A database made by a Loom from before objects gets their table on open,
// keeping its workflows.
TEST_P(StoreTest, ASchemaFromBeforeObjectsIsMigrated) {
  CreateOrFail(Header("train", 1));
  store_.reset();
  ASSERT_TRUE(RawExec(postgres() ? "DROP TABLE objects; "
                                   "UPDATE loom_meta SET value = '1' WHERE key = 'schema_version'"
                                 : "DROP TABLE objects; PRAGMA user_version = 1")
                  .ok());
  store_ = OpenStore();
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(Names(store_->List({})), (NameList{"train"}));
  ASSERT_EQ(*store_->CreateObject(Template("build")), ObjectWrite::kDone);
  EXPECT_EQ(ObjectKeys(store_->ListObjects("WorkflowTemplate", "")), (NameList{"default/build"}));
  EXPECT_EQ(RawCount(postgres() ? "SELECT value::bigint FROM loom_meta WHERE key = 'schema_version'"
                                : "PRAGMA user_version"),
            2);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, testing::Values("sqlite", "postgres"),
                         [](const testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

class StoreOpenTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "loom-store-open.XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(StoreOpenTest, UnreachablePostgresSaysWhichUrlAndWhyWithoutThePassword) {
  auto store = Open("postgres://loom:hunter2@127.0.0.1:1/loom?sslmode=disable");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.error().find("cannot open store postgres://loom:***@127.0.0.1:1/loom"),
            std::string::npos)
      << store.error();
  EXPECT_NE(store.error().find("Connection refused"), std::string::npos) << store.error();
  EXPECT_EQ(store.error().find("hunter2"), std::string::npos) << store.error();
}

TEST_F(StoreOpenTest, UnknownSchemesAndEmptyUrlsAreErrors) {
  auto mysql = Open("mysql://root:pw@localhost/loom");
  ASSERT_FALSE(mysql.ok());
  EXPECT_NE(mysql.error().find("unknown scheme mysql"), std::string::npos) << mysql.error();
  EXPECT_EQ(mysql.error().find(":pw@"), std::string::npos) << mysql.error();
  EXPECT_FALSE(Open("").ok());
  EXPECT_FALSE(Open("sqlite:").ok());
}

TEST_F(StoreOpenTest, SqliteErrorsNameTheFile) {
  std::ofstream(dir_ + "/file") << "x";
  auto under_a_file = Open(dir_ + "/file/loom.db");
  ASSERT_FALSE(under_a_file.ok());
  EXPECT_NE(under_a_file.error().find("cannot open store " + dir_ + "/file/loom.db"),
            std::string::npos)
      << under_a_file.error();

  std::ofstream(dir_ + "/junk.db") << std::string(8192, 'j');
  auto junk = Open("sqlite:" + dir_ + "/junk.db");
  ASSERT_FALSE(junk.ok());
  EXPECT_NE(junk.error().find("not a database"), std::string::npos) << junk.error();
}

TEST_F(StoreOpenTest, PlainPathsAndSqliteUrlsOpenTheSameFile) {
  {
    auto store = Open(dir_ + "/loom.db");
    ASSERT_TRUE(store.ok()) << store.error();
    ASSERT_TRUE((*store)->Create(Header("train", 1)).ok());
  }
  auto store = Open("sqlite:" + dir_ + "/loom.db");
  ASSERT_TRUE(store.ok()) << store.error();
  EXPECT_EQ(Names((*store)->List({})), (NameList{"train"}));
}

}  // namespace
}  // namespace loom::store
