// The cron loop under test: a fresh SQLite store in a temp $LOOM_HOME, a real
// Controller that runs the workflows (steps as plain processes), and a
// CronController driven by hand with a clock the test sets.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "engine/status_json.h"
#include "server/controller.h"
#include "server/cron_controller.h"
#include "server/cron_store.h"
#include "server/cron_workflow.h"
#include "store/store.h"

namespace loom::server {

class FakeClock : public CronClock {
 public:
  spec::TimePoint Now() const override { return now_; }
  // "2030-01-01T10:01:00Z" plus `extra_ms`.
  void Set(const std::string& rfc3339, int extra_ms = 0) {
    now_ =
        std::chrono::time_point_cast<std::chrono::milliseconds>(*engine::ParseTimestamp(rfc3339)) +
        std::chrono::milliseconds(extra_ms);
  }

 private:
  spec::TimePoint now_;
};

class CronTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/loom-cron-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    home_ = pattern;
    setenv("LOOM_HOME", home_.c_str(), 1);
    auto opened = store::Open(home_ + "/loom.db");
    ASSERT_TRUE(opened.ok()) << opened.error();
    store_ = std::move(*opened);
    ControllerOptions options;
    options.capacity = scheduler::DetectCapacity();
    options.capacity.slots = 4;
    options.isolation = executor::Isolation::kNone;
    options.work_dir = home_ + "/work";
    controller_ = std::make_unique<Controller>(*store_, metrics_, options);
    Status started = controller_->Start();
    ASSERT_TRUE(started.ok()) << started.message();
    Restart();
  }
  void TearDown() override {
    cron_.reset();
    controller_.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(home_, ignored);
  }

  // A new cron loop, knowing nothing, as after a server restart.
  void Restart() { cron_ = std::make_unique<CronController>(*store_, *controller_, clock_); }
  std::optional<spec::TimePoint> Turn() { return cron_->RunOnce(); }

  // A CronWorkflow named `name` on `schedule` whose one step runs `script`
  // (or, for "HOLD", a suspend template: a run that stays Running); `extra`
  // goes into its spec.
  static Json Cron(const std::string& name, const std::string& schedule, const std::string& script,
                   Json extra = Json::object()) {
    Json main = script == "HOLD"
                    ? Json{{"name", "main"}, {"suspend", Json::object()}}
                    : Json{{"name", "main"},
                           {"container", {{"image", "debian"}, {"command", {"sh", "-c", script}}}}};
    Json spec = {{"schedule", schedule},
                 {"timezone", "UTC"},
                 {"workflowSpec", {{"entrypoint", "main"}, {"templates", Json::array({main})}}}};
    for (const auto& [key, value] : extra.items()) spec[key] = value;
    return {{"apiVersion", "argoproj.io/v1alpha1"},
            {"kind", "CronWorkflow"},
            {"metadata", {{"name", name}}},
            {"spec", spec}};
  }

  void Create(const Json& cron) {
    auto created = CronStore(*store_).Create("default", cron);
    ASSERT_TRUE(created.ok()) << created.error().message;
  }
  Json Get(const std::string& name) {
    auto cron = CronStore(*store_).Get("default", name);
    EXPECT_TRUE(cron.ok()) << cron.error().message;
    return cron.ok() ? *cron : Json();
  }
  // Names of the workflows of `cron`, oldest first (a name ends in its due time).
  std::vector<std::string> Runs(const std::string& cron) {
    store::ListFilter filter;
    filter.labels[kCronWorkflowLabel] = cron;
    auto headers = store_->List(filter);
    EXPECT_TRUE(headers.ok());
    std::vector<std::string> names;
    if (headers.ok()) {
      for (const store::WorkflowHeader& header : *headers) names.push_back(header.name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  // The name of the run of `cron` due at `rfc3339`.
  static std::string RunAt(const std::string& cron, const std::string& rfc3339) {
    return ScheduledRunName(cron, std::chrono::time_point_cast<std::chrono::milliseconds>(
                                      *engine::ParseTimestamp(rfc3339)));
  }
  std::optional<store::StoredWorkflow> Workflow(const std::string& name) {
    auto stored = store_->Get("default", name);
    EXPECT_TRUE(stored.ok());
    return stored.ok() ? std::move(*stored) : std::nullopt;
  }
  // Waits (real time) until the workflow has finished; returns its phase.
  std::string WaitFinished(const std::string& name) {
    auto end = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < end) {
      auto stored = Workflow(name);
      if (stored && stored->header.finished_at) return stored->header.phase;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << name << " did not finish";
    return "";
  }
  static std::vector<std::string> ActiveNames(const Json& cron) {
    std::vector<std::string> names;
    for (const Json& ref : cron["status"].value("active", Json::array())) {
      names.push_back(ref.value("name", ""));
    }
    return names;
  }

  std::string home_;
  std::unique_ptr<store::Store> store_;
  Metrics metrics_;
  std::unique_ptr<Controller> controller_;
  FakeClock clock_;
  std::unique_ptr<CronController> cron_;
};

}  // namespace loom::server
