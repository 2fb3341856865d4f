// `loom cron` end to end: against a real `loom server` on loopback (once on
// SQLite, once on PostgreSQL, as server_verbs_test.cc) a CronWorkflow of
// `@every 1s` makes labelled workflows, keeps only its history limit of
// them, stops while suspended and takes its workflows along when deleted;
// without a server the verbs edit the embedded store, and lint and create
// refuse bad files with file:line:col.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include "base/json.h"
#include "tests/loom_process.h"
#include "tests/loom_server.h"

namespace loom {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;
using std::chrono::seconds;

const char* kOften = R"(apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: often, labels: {team: ml}}
spec:
  schedule: "@every 1s"
  successfulJobsHistoryLimit: 2
  workflowSpec:
    entrypoint: main
    templates:
    - name: main
      container: {image: debian, command: [sh, -c, "echo {{workflow.scheduledTime}}"]}
)";

const char* kGreet = R"(apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: greet}
spec:
  entrypoint: hello
  templates:
  - name: hello
    container: {image: debian, command: [echo, hello]}
)";

const char* kNightly = R"(apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: nightly}
spec:
  schedule: "0 2 * * *"
  workflowSpec:
    workflowTemplateRef: {name: greet}
)";

class CronVerbs : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : test) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    dir_ = fs::temp_directory_path() / ("loom-cron-verbs-" + std::to_string(getpid()) + test);
    fs::remove_all(dir_);
    home_ = (dir_ / "home").string();
    fs::create_directories(home_);
    file_ = (dir_ / "often.yaml").string();
    std::ofstream(file_) << kOften;
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "--- the server's log:\n" << server_->log();
    server_.reset();
    unsetenv("LOOM_TOKEN");
    fs::remove_all(dir_);
  }

  void StartServer() {
    std::string error;
    std::vector<std::string> args = StoreArgs(backend_, "c" + std::to_string(getpid()), &error);
    ASSERT_EQ(error, "");
    args.insert(args.end(), {"--isolation", "none"});
    server_ = std::make_unique<LoomServer>(home_, args);
    ASSERT_TRUE(server_->ok()) << server_->log();
    std::ifstream token(home_ + "/server.token");
    std::string text;
    std::getline(token, text);
    setenv("LOOM_TOKEN", text.c_str(), 1);
  }

  // `loom ARGS...` (with --server after the verb's words when a server runs).
  LoomResult Loom(std::vector<std::string> args, size_t words = 2) {
    if (server_) args.insert(args.begin() + words, {"--server", server_->url()});
    return RunLoomIn(home_, args, 60);
  }
  // The workflows of `often`: name -> phase.
  std::map<std::string, std::string> Runs() {
    LoomResult list =
        Loom({"list", "-l", "workflows.argoproj.io/cron-workflow=often", "-o", "json"}, 1);
    EXPECT_EQ(list.exit_code, 0) << list.stderr_text;
    std::map<std::string, std::string> runs;
    Json items = Json::parse(list.stdout_text, nullptr, false);
    if (!items.is_array()) return runs;
    for (const Json& wf : items) {
      runs[wf["metadata"].value("name", "")] = wf["status"].value("phase", "Pending");
    }
    return runs;
  }
  // Waits (at most 20 s) until `done` holds of the runs.
  template <typename Done>
  std::map<std::string, std::string> WaitForRuns(Done done) {
    auto end = std::chrono::steady_clock::now() + seconds(20);
    std::map<std::string, std::string> runs = Runs();
    while (!done(runs) && std::chrono::steady_clock::now() < end) {
      std::this_thread::sleep_for(milliseconds(200));
      runs = Runs();
    }
    return runs;
  }
  static size_t Count(const std::map<std::string, std::string>& runs, const std::string& phase) {
    size_t n = 0;
    for (const auto& [name, p] : runs) n += p == phase;
    return n;
  }

  // A CronWorkflow built on a stored WorkflowTemplate is refused until the
  // template exists, then created and run once with `submit --from`.
  void CheckACronWorkflowRunsAStoredTemplate() {
    std::string greet = (dir_ / "greet.yaml").string();
    std::ofstream(greet) << kGreet;
    std::string nightly = (dir_ / "nightly.yaml").string();
    std::ofstream(nightly) << kNightly;
    LoomResult early = Loom({"cron", "create", nightly});
    EXPECT_EQ(early.exit_code, 2);
    EXPECT_NE(
        early.stderr_text.find(
            nightly + ":7:26: error: workflowTemplateRef: WorkflowTemplate 'greet' not found"),
        std::string::npos)
        << early.stderr_text;

    ASSERT_EQ(Loom({"template", "create", greet}).exit_code, 0);
    LoomResult lint = Loom({"cron", "lint", nightly});
    EXPECT_EQ(lint.exit_code, 0) << lint.stderr_text;
    LoomResult created = Loom({"cron", "create", nightly, "-o", "name"});
    ASSERT_EQ(created.exit_code, 0) << created.stderr_text;
    EXPECT_EQ(created.stdout_text, "nightly\n");
    LoomResult once = Loom({"submit", "--from", "cronworkflow/nightly", "--wait", "-o", "json"}, 1);
    ASSERT_EQ(once.exit_code, 0) << once.stderr_text;
    Json run = Json::parse(once.stdout_text, nullptr, false);
    ASSERT_TRUE(run.is_object()) << once.stdout_text;
    EXPECT_EQ(run["status"]["phase"], "Succeeded") << once.stdout_text;
  }

  std::string backend_ = "sqlite";  // the server's store
  fs::path dir_;
  std::string home_, file_;
  std::unique_ptr<LoomServer> server_;
};

// Once on SQLite, once on PostgreSQL.
class CronVerbsOnStore : public CronVerbs, public ::testing::WithParamInterface<std::string> {
 protected:
  void SetUp() override {
    backend_ = GetParam();
    CronVerbs::SetUp();
  }
};

TEST_P(CronVerbsOnStore, AServerRunsTheScheduleWithinItsHistoryLimit) {
  StartServer();
  LoomResult created = Loom({"cron", "create", file_, "-o", "name"});
  ASSERT_EQ(created.exit_code, 0) << created.stderr_text;
  EXPECT_EQ(created.stdout_text, "often\n");

  LoomResult list = Loom({"cron", "list"});
  ASSERT_EQ(list.exit_code, 0) << list.stderr_text;
  EXPECT_EQ(list.stdout_text.substr(0, list.stdout_text.find('\n')).find("NAME"), 0u)
      << list.stdout_text;
  for (const char* column : {"LAST RUN", "NEXT RUN", "SCHEDULE", "TIMEZONE", "SUSPENDED"}) {
    EXPECT_NE(list.stdout_text.find(column), std::string::npos) << list.stdout_text;
  }
  EXPECT_NE(list.stdout_text.find("@every 1s"), std::string::npos) << list.stdout_text;

  std::set<std::string> seen;
  auto runs = WaitForRuns([&](const auto& now) {
    for (const auto& [name, phase] : now) seen.insert(name);
    return seen.size() >= 5 && Count(now, "Succeeded") >= 2;
  });
  ASSERT_GE(seen.size(), 5u);
  for (const auto& [name, phase] : runs) EXPECT_EQ(name.rfind("often-", 0), 0u) << name;

  LoomResult suspend = Loom({"cron", "suspend", "often"});
  ASSERT_EQ(suspend.exit_code, 0) << suspend.stderr_text;
  EXPECT_EQ(suspend.stdout_text, "CronWorkflow 'often' suspended\n");
  // (A run that was being created as it was suspended may still come.)
  std::this_thread::sleep_for(milliseconds(1000));
  std::set<std::string> before;
  runs = Runs();
  for (const auto& [name, phase] : runs) before.insert(name);
  // Of the five or more that ran, only the newest two that succeeded are kept.
  EXPECT_LE(Count(runs, "Succeeded"), 2u);
  std::this_thread::sleep_for(milliseconds(2500));
  for (const auto& [name, phase] : Runs()) EXPECT_TRUE(before.count(name)) << name << " ran";

  LoomResult get = Loom({"cron", "get", "often", "-o", "json"});
  ASSERT_EQ(get.exit_code, 0) << get.stderr_text;
  Json cron = Json::parse(get.stdout_text, nullptr, false);
  EXPECT_EQ(cron["status"]["phase"], "Active") << get.stdout_text;
  EXPECT_GE(cron["status"].value("succeeded", 0), 3);
  LoomResult details = Loom({"cron", "get", "often"});
  EXPECT_NE(details.stdout_text.find("LastScheduledTime:"), std::string::npos)
      << details.stdout_text;

  LoomResult resume = Loom({"cron", "resume", "often"});
  ASSERT_EQ(resume.exit_code, 0) << resume.stderr_text;
  runs = WaitForRuns([&](const auto& now) {
    for (const auto& [name, phase] : now) {
      if (!before.count(name)) return true;
    }
    return false;
  });
  bool resumed = false;
  for (const auto& [name, phase] : runs) resumed = resumed || !before.count(name);
  EXPECT_TRUE(resumed);

  LoomResult deleted = Loom({"cron", "delete", "often"});
  ASSERT_EQ(deleted.exit_code, 0) << deleted.stderr_text;
  EXPECT_EQ(deleted.stdout_text, "CronWorkflow 'often' deleted\n");
  runs = WaitForRuns([](const auto& now) { return now.empty(); });
  EXPECT_TRUE(runs.empty());
  EXPECT_EQ(Loom({"cron", "get", "often"}).exit_code, 1);
}

TEST_F(CronVerbs, WithoutAServerTheStoreIsEdited) {
  LoomResult created = Loom({"cron", "create", file_, "--schedule", "0 3 * * *"});
  ASSERT_EQ(created.exit_code, 0) << created.stderr_text;
  EXPECT_NE(created.stdout_text.find("Name:                          often"), std::string::npos)
      << created.stdout_text;
  EXPECT_NE(created.stdout_text.find("0 3 * * *"), std::string::npos) << created.stdout_text;
  EXPECT_EQ(Loom({"cron", "create", file_}).exit_code, 1);  // it exists

  LoomResult names = Loom({"cron", "list", "-o", "name", "-l", "team=ml"});
  EXPECT_EQ(names.stdout_text, "often\n") << names.stderr_text;
  EXPECT_EQ(Loom({"cron", "list", "-o", "name", "-l", "team=web"}).stdout_text, "");

  ASSERT_EQ(Loom({"cron", "suspend", "often"}).exit_code, 0);
  LoomResult yaml = Loom({"cron", "get", "often", "-o", "yaml"});
  EXPECT_NE(yaml.stdout_text.find("suspend: true"), std::string::npos) << yaml.stdout_text;
  ASSERT_EQ(Loom({"cron", "resume", "often"}).exit_code, 0);

  // `loom submit --from cronworkflow/NAME` runs it once, here, now.
  LoomResult once = Loom({"submit", "--from", "cronworkflow/often", "-o", "json"}, 1);
  ASSERT_EQ(once.exit_code, 0) << once.stderr_text;
  Json run = Json::parse(once.stdout_text, nullptr, false);
  ASSERT_TRUE(run.is_object()) << once.stdout_text;
  EXPECT_EQ(run["metadata"].value("name", "").rfind("often-", 0), 0u);
  EXPECT_EQ(run["metadata"]["labels"]["workflows.argoproj.io/cron-workflow"], "often");
  EXPECT_EQ(run["status"]["phase"], "Succeeded");

  EXPECT_EQ(Loom({"cron", "delete"}).exit_code, 2);  // neither names nor --all
  LoomResult all = Loom({"cron", "delete", "--all"});
  EXPECT_EQ(all.stdout_text, "CronWorkflow 'often' deleted\n") << all.stderr_text;
  EXPECT_EQ(Loom({"cron", "get", "often"}).exit_code, 1);

  // A store edited without a server is taken up by the server started on it.
  ASSERT_EQ(Loom({"cron", "create", file_}).exit_code, 0);
  StartServer();
  auto runs = WaitForRuns([](const auto& now) { return !now.empty(); });
  EXPECT_FALSE(runs.empty());
}

TEST_F(CronVerbs, ACronWorkflowMayRunAStoredTemplate) { CheckACronWorkflowRunsAStoredTemplate(); }

TEST_P(CronVerbsOnStore, ACronWorkflowMayRunAStoredTemplate) {
  StartServer();
  CheckACronWorkflowRunsAStoredTemplate();
}

TEST_F(CronVerbs, LintAndCreateRefuseBadFilesWithPositions) {
  std::string bad = (dir_ / "bad.yaml").string();
  std::ofstream(bad) << "apiVersion: argoproj.io/v1alpha1\n"
                        "kind: CronWorkflow\n"
                        "metadata: {name: bad}\n"
                        "spec:\n"
                        "  schedule: \"*/5 * * * SUNDAY\"\n"
                        "  timezone: Mars/Olympus_Mons\n"
                        "  workflowSpec:\n"
                        "    entrypoint: main\n"
                        "    templates: [{name: main, suspend: {}}]\n";
  LoomResult lint = Loom({"cron", "lint", bad, file_});
  EXPECT_EQ(lint.exit_code, 2);
  EXPECT_NE(lint.stderr_text.find(bad + ":6:13: error: invalid timezone 'Mars/Olympus_Mons'"),
            std::string::npos)
      << lint.stderr_text;
  EXPECT_NE(lint.stderr_text.find(bad + ":5:13: error: cron schedule '*/5 * * * SUNDAY' is "
                                        "malformed: day-of-week field \"SUNDAY\""),
            std::string::npos)
      << lint.stderr_text;
  EXPECT_EQ(Loom({"lint", bad}).exit_code, 2);  // plain `loom lint` checks them too
  LoomResult good = Loom({"cron", "lint", file_});
  EXPECT_EQ(good.exit_code, 0) << good.stderr_text;

  EXPECT_EQ(Loom({"cron", "create", bad}).exit_code, 2);
  EXPECT_EQ(Loom({"cron", "create", file_, "--schedule", "61 * * * *"}).exit_code, 2);
  EXPECT_EQ(Loom({"cron", "list", "-o", "name"}).stdout_text, "");  // nothing was created
}

INSTANTIATE_TEST_SUITE_P(Store, CronVerbsOnStore, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace loom
