// WorkflowTemplates and ClusterWorkflowTemplates end to end: `loom template`
// and `loom cluster-template` create, list, get, lint and delete them; a
// workflow runs one of their templates through templateRef and a whole one
// through workflowTemplateRef with a parameter of its own; `loom submit
// --from` makes a workflow from one with -p; a bad template gets lint's
// file:line:col message and a missing one a clear error. Once without a
// server (the embedded store; runs happen here) and against a real `loom
// server` on loopback, on SQLite and on PostgreSQL.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "base/json.h"
#include "tests/loom_process.h"
#include "tests/loom_server.h"

namespace loom {
namespace {

namespace fs = std::filesystem;

// `main` is a DAG that runs the template's own `echo`.
const char* kLib = R"(apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib, labels: {team: ml}}
spec:
  entrypoint: main
  arguments:
    parameters:
    - {name: first, value: one}
    - {name: second, value: two}
  templates:
  - name: main
    dag:
      tasks:
      - name: say
        template: echo
        arguments:
          parameters: [{name: msg, value: "{{workflow.parameters.first}}-{{workflow.parameters.second}}"}]
  - name: echo
    inputs: {parameters: [{name: msg}]}
    container: {image: debian, command: [sh, -c, "echo {{inputs.parameters.msg}}"]}
)";

const char* kShared = R"(apiVersion: argoproj.io/v1alpha1
kind: ClusterWorkflowTemplate
metadata: {name: shared}
spec:
  templates:
  - name: shout
    inputs: {parameters: [{name: msg}]}
    container: {image: debian, command: [sh, -c, "echo {{inputs.parameters.msg}}!"]}
)";

const char* kUsesRefs = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: uses-refs}
spec:
  entrypoint: main
  arguments:
    parameters: [{name: first, value: a}, {name: second, value: b}]
  templates:
  - name: main
    steps:
    - - name: direct
        templateRef: {name: lib, template: echo}
        arguments: {parameters: [{name: msg, value: hello}]}
    - - name: nested
        templateRef: {name: lib, template: main}
    - - name: loud
        templateRef: {name: shared, template: shout, clusterScope: true}
        arguments: {parameters: [{name: msg, value: hey}]}
)";

const char* kUsesLib = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: uses-lib}
spec:
  workflowTemplateRef: {name: lib}
  arguments:
    parameters: [{name: second, value: mine}]
)";

const char* kBad = R"(apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: bad}
spec:
  templates:
  - name: main
    steps:
    - - name: a
        template: nonesuch
)";

const char* kOrphan = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: orphan}
spec:
  workflowTemplateRef: {name: gone}
)";

// Both setups: where the files are and how `loom` is run.
class TemplateVerbs : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    for (char& c : test) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    dir_ = fs::temp_directory_path() / ("loom-template-verbs-" + std::to_string(getpid()) + test);
    fs::remove_all(dir_);
    home_ = (dir_ / "home").string();
    client_home_ = (dir_ / "client").string();
    fs::create_directories(client_home_);
    if (GetParam() == "embedded") return;
    std::string error;
    std::vector<std::string> args = StoreArgs(GetParam(), "w" + std::to_string(getpid()), &error);
    ASSERT_EQ(error, "");
    args.insert(args.end(), {"--isolation", "none"});
    server_ = std::make_unique<LoomServer>(home_, args);
    ASSERT_TRUE(server_->ok()) << server_->log();
    std::ifstream token(home_ + "/server.token");
    std::string text;
    std::getline(token, text);
    setenv("LOOM_TOKEN", text.c_str(), 1);
  }
  void TearDown() override {
    if (HasFailure() && server_) std::cerr << "--- the server's log:\n" << server_->log();
    server_.reset();
    unsetenv("LOOM_TOKEN");
    fs::remove_all(dir_);
  }

  std::string File(const std::string& name, const std::string& yaml) {
    fs::path file = dir_ / (name + ".yaml");
    std::ofstream(file) << yaml;
    return file.string();
  }
  // `loom ARGS...`, with --server after the verb's `words` when a server runs
  // (the CLI then runs where the server's token file is not).
  LoomResult Loom(std::vector<std::string> args, size_t words = 1) {
    if (!server_) return RunLoomIn(home_, args, 120);
    args.insert(args.begin() + words, {"--server", server_->url()});
    return RunLoomIn(client_home_, args, 120);
  }
  // Runs a workflow file to its end: `loom run` here, `loom submit --wait` to a server.
  LoomResult RunToEnd(const std::string& file, std::vector<std::string> flags = {}) {
    std::vector<std::string> args = {server_ ? "submit" : "run", file};
    args.insert(args.end(), flags.begin(), flags.end());
    if (server_) args.push_back("--wait");
    return Loom(args);
  }
  Json Get(const std::string& name) {
    LoomResult get = Loom({"get", name, "-o", "json"});
    EXPECT_EQ(get.exit_code, 0) << get.stderr_text;
    Json wf = Json::parse(get.stdout_text, nullptr, false);
    return wf.is_object() ? wf : Json{{"status", {{"nodes", Json::object()}}}};
  }
  static std::string Result(const Json& wf, const std::string& display_name) {
    for (const auto& [id, node] : wf["status"]["nodes"].items()) {
      if (node.value("displayName", "") == display_name) {
        return node.value("outputs", Json::object()).value("result", "");
      }
    }
    return "(no node " + display_name + ")";
  }

  fs::path dir_;
  std::string home_, client_home_;
  std::unique_ptr<LoomServer> server_;
};

TEST_P(TemplateVerbs, TemplatesAreCreatedListedShownAndDeleted) {
  LoomResult created = Loom({"template", "create", File("lib", kLib), "-o", "name"}, 2);
  ASSERT_EQ(created.exit_code, 0) << created.stderr_text;
  EXPECT_EQ(created.stdout_text, "lib\n");
  LoomResult again = Loom({"template", "create", File("lib", kLib)}, 2);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.stderr_text.find("workflow template \"lib\" already exists"), std::string::npos)
      << again.stderr_text;
  ASSERT_EQ(Loom({"cluster-template", "create", File("shared", kShared)}, 2).exit_code, 0);

  LoomResult table = Loom({"template", "list", "-o", "wide"}, 2);
  EXPECT_EQ(table.exit_code, 0) << table.stderr_text;
  EXPECT_EQ(table.stdout_text.rfind("NAME   AGE   ENTRYPOINT   TEMPLATES   LABELS\nlib    ", 0), 0u)
      << table.stdout_text;
  EXPECT_NE(table.stdout_text.find("main         main,echo   team=ml\n"), std::string::npos)
      << table.stdout_text;
  EXPECT_EQ(Loom({"template", "list", "-l", "team=web", "-o", "name"}, 2).stdout_text, "");
  EXPECT_EQ(Loom({"cluster-template", "list", "-o", "name"}, 2).stdout_text, "shared\n");

  LoomResult get = Loom({"template", "get", "lib", "-o", "json"}, 2);
  ASSERT_EQ(get.exit_code, 0) << get.stderr_text;
  Json lib = Json::parse(get.stdout_text);
  EXPECT_EQ(lib["metadata"]["namespace"], "default");
  EXPECT_EQ(lib["spec"]["templates"][1]["name"], "echo");
  LoomResult details = Loom({"template", "get", "lib"}, 2);
  EXPECT_NE(details.stdout_text.find("Templates:           main,echo\n"), std::string::npos)
      << details.stdout_text;

  LoomResult deleted = Loom({"template", "delete", "lib"}, 2);
  EXPECT_EQ(deleted.stdout_text, "WorkflowTemplate 'lib' deleted\n") << deleted.stderr_text;
  LoomResult missing = Loom({"template", "get", "lib"}, 2);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.stderr_text.find("WorkflowTemplate lib not found in namespace default"),
            std::string::npos)
      << missing.stderr_text;
  EXPECT_EQ(Loom({"cluster-template", "delete", "--all"}, 2).stdout_text,
            "ClusterWorkflowTemplate 'shared' deleted\n");
}

TEST_P(TemplateVerbs, WorkflowsRunStoredTemplatesByReference) {
  ASSERT_EQ(Loom({"template", "create", File("lib", kLib)}, 2).exit_code, 0);
  ASSERT_EQ(Loom({"cluster-template", "create", File("shared", kShared)}, 2).exit_code, 0);
  EXPECT_EQ(Loom({"lint", File("refs", kUsesRefs)}).exit_code, 0);

  LoomResult refs = RunToEnd(File("refs", kUsesRefs));
  ASSERT_EQ(refs.exit_code, 0) << refs.stdout_text << refs.stderr_text;
  Json wf = Get("uses-refs");
  EXPECT_EQ(wf["status"]["phase"], "Succeeded");
  EXPECT_EQ(Result(wf, "direct"), "hello");
  EXPECT_EQ(Result(wf, "say"), "a-b");  // lib's local echo, the workflow's parameters
  EXPECT_EQ(Result(wf, "loud"), "hey!");

  LoomResult joined = RunToEnd(File("lib-run", kUsesLib), {"-p", "first=cli"});
  ASSERT_EQ(joined.exit_code, 0) << joined.stdout_text << joined.stderr_text;
  wf = Get("uses-lib");
  EXPECT_EQ(Result(wf, "say"), "cli-mine");
  EXPECT_EQ(wf["spec"]["workflowTemplateRef"]["name"], "lib");
  EXPECT_EQ(wf["status"]["storedWorkflowTemplateSpec"]["templates"].size(), 2u);

  LoomResult from = Loom({"submit", "--from", "workflowtemplate/lib", "-p", "second=from", "-l",
                          "cadence=daily", "--name", "lib-from", "--wait"});
  ASSERT_EQ(from.exit_code, 0) << from.stdout_text << from.stderr_text;
  wf = Get("lib-from");
  EXPECT_EQ(Result(wf, "say"), "one-from");
  EXPECT_EQ(wf["metadata"]["labels"]["workflows.argoproj.io/workflow-template"], "lib");
  EXPECT_EQ(wf["metadata"]["labels"]["cadence"], "daily");
  LoomResult cluster = Loom({"submit", "--from", "clusterworkflowtemplate/shared", "--entrypoint",
                             "shout", "-p", "msg=all", "-o", "name", "--wait"});
  ASSERT_EQ(cluster.exit_code, 0) << cluster.stdout_text << cluster.stderr_text;

  // Once lib is gone, what needs it says so.
  ASSERT_EQ(Loom({"template", "delete", "lib"}, 2).exit_code, 0);
  LoomResult lint = Loom({"lint", File("refs", kUsesRefs)});
  EXPECT_EQ(lint.exit_code, 2);
  EXPECT_NE(lint.stderr_text.find("refs.yaml:12:22: error: step 'direct' of template 'main' uses "
                                  "templateRef lib.echo, which was not found"),
            std::string::npos)
      << lint.stderr_text;
  LoomResult from_gone = Loom({"submit", "--from", "workflowtemplate/lib"});
  EXPECT_EQ(from_gone.exit_code, 1);
  EXPECT_NE(from_gone.stderr_text.find("workflow template \"lib\" not found"), std::string::npos)
      << from_gone.stderr_text;
}

TEST_P(TemplateVerbs, BadAndMissingTemplatesAreClearErrors) {
  std::string bad = File("bad", kBad);
  LoomResult created = Loom({"template", "create", bad}, 2);
  EXPECT_EQ(created.exit_code, 2);
  EXPECT_EQ(created.stderr_text,
            bad + ":9:19: error: step 'a' of template 'main' uses unknown template 'nonesuch'\n");
  LoomResult lint = Loom({"template", "lint", bad}, 2);
  EXPECT_EQ(lint.exit_code, 2);
  EXPECT_NE(lint.stderr_text.find(bad + ":9:19: error:"), std::string::npos) << lint.stderr_text;
  EXPECT_EQ(Loom({"template", "list", "-o", "name"}, 2).stdout_text, "");

  std::string orphan = File("orphan", kOrphan);
  LoomResult run = RunToEnd(orphan);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(
      run.stderr_text.find(orphan +
                           ":5:24: error: workflowTemplateRef: WorkflowTemplate 'gone' not "
                           "found (neither in this file nor in namespace \"default\" of the " +
                           (server_ ? "server " : "store ")),
      std::string::npos)
      << run.stderr_text;
  LoomResult wrong_kind = Loom({"submit", "--from", "pod/x"});
  EXPECT_EQ(wrong_kind.exit_code, 2);
}

INSTANTIATE_TEST_SUITE_P(Store, TemplateVerbs, ::testing::Values("embedded", "sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace loom
