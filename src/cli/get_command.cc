// `loom get`, `loom watch` and `loom wait`: one workflow's state, now, as it
// changes, or only once it has finished.
#include <unistd.h>

#include <iostream>

#include "cli/client_util.h"
#include "cli/progress.h"
#include "cli/summary.h"
#include "cli/verbs.h"
#include "cli/yaml_output.h"

namespace loom::cli {

namespace {

struct GetOptions {
  ClientOptions client;
  std::vector<std::string> names;
  std::string output;
};

bool Succeeded(const Json& workflow) {
  return workflow.value("status", Json::object()).value("phase", "") == "Succeeded";
}

}  // namespace

// Prints `workflow` as -o asks: json, yaml, name, or the summary (also for wide).
int PrintWorkflow(const Json& workflow, const std::string& output) {
  if (output == "json") {
    std::cout << workflow.dump(2) << "\n";
  } else if (output == "yaml") {
    std::cout << JsonToYaml(workflow);
  } else if (output == "name") {
    std::cout << workflow["metadata"].value("name", "") << "\n";
  } else {
    auto status = StatusOf(workflow);
    if (!status.ok()) return Fail(status.error());
    PrintSummary(std::cout, *status, isatty(STDOUT_FILENO));
  }
  return 0;
}

// Follows a workflow with the live view (plain lines when stderr is not a
// terminal) until it completes; returns its final state.
Result<Json> WatchWorkflow(WorkflowClient& client, const std::string& name, bool show) {
  ProgressReporter progress(std::cerr, show);
  Json previous_nodes = Json::object();
  Json last;
  Status watched = client.Watch(name, [&](const Json& workflow) {
    auto status = StatusOf(workflow);
    if (!status.ok()) return true;
    const Json& nodes = workflow["status"].value("nodes", Json::object());
    std::vector<std::string> changed;
    for (const auto& [id, node] : nodes.items()) {
      auto before = previous_nodes.find(id);
      if (before == previous_nodes.end() || *before != node) changed.push_back(id);
    }
    progress.Update(*status, changed);
    previous_nodes = nodes;
    last = workflow;
    return true;
  });
  if (!watched.ok()) return watched;
  auto final_state = client.Get(last.is_null() ? name : last["metadata"].value("name", name));
  if (!final_state.ok()) return final_state;
  if (auto status = StatusOf(*final_state); status.ok()) progress.Finish(*status);
  return final_state;
}

namespace {

int Get(const GetOptions& options) {
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  int code = 0;
  for (const std::string& name : options.names) {
    auto workflow = client->Get(name);
    if (!workflow.ok()) {
      code = Fail(workflow.error());
      continue;
    }
    code = std::max(code, PrintWorkflow(*workflow, options.output));
  }
  return code;
}

int Watch(const GetOptions& options) {
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  auto final_state = WatchWorkflow(*client, options.names[0], true);
  if (!final_state.ok()) return Fail(final_state.error());
  PrintWorkflow(*final_state, options.output);
  return Succeeded(*final_state) ? 0 : 1;
}

int Wait(const GetOptions& options) {
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  int code = 0;
  for (const std::string& name : options.names) {
    auto final_state = WatchWorkflow(*client, name, false);
    if (!final_state.ok()) {
      code = Fail(final_state.error());
      continue;
    }
    const Json& status = (*final_state)["status"];
    std::cout << (*final_state)["metadata"].value("name", name) << " " << status.value("phase", "")
              << "\n";
    if (!Succeeded(*final_state)) code = 1;
  }
  return code;
}

CLI::App* AddVerb(CLI::App& app, const char* name, const char* about,
                  const std::shared_ptr<GetOptions>& options, bool many) {
  CLI::App* verb = app.add_subcommand(name, about);
  AddClientFlags(verb, &options->client);
  auto* names = verb->add_option("workflow", options->names,
                                 many ? "Workflow names (@latest: the newest)"
                                      : "Workflow name (@latest: the newest)")
                    ->required();
  if (!many) names->expected(1);
  return verb;
}

}  // namespace

void AddGetVerbs(CLI::App& app, int* exit_code) {
  auto get = std::make_shared<GetOptions>();
  CLI::App* get_verb = AddVerb(app, "get", "Show workflows, as `argo get`", get, true);
  get_verb->add_option("-o,--output", get->output, "json, yaml, name or wide")
      ->check(CLI::IsMember({"json", "yaml", "name", "wide"}));
  get_verb->callback([get, exit_code] { *exit_code = Get(*get); });

  auto watch = std::make_shared<GetOptions>();
  CLI::App* watch_verb =
      AddVerb(app, "watch", "Follow a workflow until it completes", watch, false);
  watch_verb
      ->add_option("-o,--output", watch->output, "Print the final state as json, yaml or name")
      ->check(CLI::IsMember({"json", "yaml", "name", "wide"}));
  watch_verb->callback([watch, exit_code] { *exit_code = Watch(*watch); });

  auto wait = std::make_shared<GetOptions>();
  CLI::App* wait_verb = AddVerb(
      app, "wait", "Wait for workflows to complete; exit 1 if any did not succeed", wait, true);
  wait_verb->callback([wait, exit_code] { *exit_code = Wait(*wait); });
}

}  // namespace loom::cli
