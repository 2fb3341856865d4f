// Running a workflow again, as `argo` does:
//   - `loom retry WORKFLOW` under the same name, reusing every step that
//     succeeded (with the same inputs) and rerunning the failed and errored
//     ones and what depends on them;
//   - `loom resubmit WORKFLOW` as a new workflow; with --memoized (of a
//     Failed or Error one) reusing its successful steps the same way.
// Without a server they run here in the foreground, like `loom run`; with a
// server, the server does it (PUT .../retry, .../resubmit).
#include <iostream>
#include <random>

#include "base/loom_home.h"
#include "cli/client_util.h"
#include "cli/run_command.h"
#include "cli/verbs.h"
#include "engine/names.h"

namespace loom::cli {

namespace {

struct RetryOptions {
  ClientOptions client;
  std::string workflow;
  std::vector<std::string> parameters;
  bool restart_successful = false;
  std::string node_field_selector;
  RunOptions run;
};

// The document as first submitted: what the store adds (uid, times, phase
// labels) removed, so the rerun starts from the spec.
Json Resubmittable(Json workflow) {
  workflow.erase("status");
  Json& metadata = workflow["metadata"];
  for (const char* key : {"uid", "creationTimestamp", "resourceVersion"}) metadata.erase(key);
  if (metadata.contains("labels")) {
    metadata["labels"].erase("workflows.argoproj.io/phase");
    metadata["labels"].erase("workflows.argoproj.io/completed");
  }
  return workflow;
}

struct ResubmitOptions {
  ClientOptions client;
  std::string workflow;
  std::vector<std::string> parameters;
  bool memoized = false;
  RunOptions run;
};

bool Failed(const Json& workflow) {
  std::string phase = workflow["status"].value("phase", "");
  return phase == "Failed" || phase == "Error";
}

// Adds --output, --parallelism and --log, which shape a foreground rerun.
void AddRerunFlags(CLI::App* verb, RunOptions* run) {
  verb->add_option("-o,--output", run->output, "Print the final workflow as json or yaml")
      ->check(CLI::IsMember({"json", "yaml", "name", "wide"}));
  verb->add_option("--parallelism", run->parallelism, "Steps running at once");
  verb->add_flag("--log", run->log, "Stream every step's output");
}

int Resubmit(ResubmitOptions& options) {
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  if (!options.client.server.empty()) {
    Json request = {{"memoized", options.memoized}, {"parameters", options.parameters}};
    auto resubmitted = client->Act(options.workflow, "resubmit", request);
    if (!resubmitted.ok()) return Fail(resubmitted.error());
    return PrintWorkflow(*resubmitted, options.run.output);
  }
  auto earlier = client->Get(options.workflow);
  if (!earlier.ok()) return Fail(earlier.error());
  std::string name = (*earlier)["metadata"].value("name", "");
  if (options.memoized && !Failed(*earlier)) {
    return Fail("cannot resubmit workflow " + name + " memoized: it is " +
                (*earlier)["status"].value("phase", "") +
                " (only Failed and Error workflows can be, as in Argo)");
  }
  Json document = Resubmittable(*earlier);
  Json& metadata = document["metadata"];
  std::string prefix = metadata.value("generateName", name + "-");
  metadata.erase("name");
  metadata["labels"]["workflows.argoproj.io/resubmitted-from-workflow"] = name;
  std::string run_dir = store::RunDir(document);
  if (metadata.contains("annotations")) metadata["annotations"].erase(kRunDirAnnotation);
  RunOptions& run = options.run;
  std::mt19937_64 random(std::random_device{}());
  run.name = engine::GenerateName(prefix, random);
  run.load.file = name + " (stored)";
  run.load.text = document.dump(2);
  run.load.parameters = options.parameters;
  run.db = options.client.db;
  if (options.memoized) {
    auto status = StatusOf(*earlier);
    if (!status.ok()) return Fail(status.error());
    run.memoized_from = RunOptions::EarlierWorkflow{name, run_dir, std::move(status->nodes)};
  }
  std::cerr << "loom: resubmitting " << name << " as " << run.name << "\n";
  return RunCommand(run);
}

int Retry(RetryOptions& options) {
  if (options.restart_successful && options.node_field_selector.empty()) {
    std::cerr << "loom retry: --restart-successful needs --node-field-selector\n";
    return 2;
  }
  std::optional<engine::NodeFieldSelector> restart;
  if (options.restart_successful) {
    auto selector = engine::NodeFieldSelector::Parse(options.node_field_selector);
    if (!selector.ok()) {
      std::cerr << "loom retry: " << selector.error() << "\n";
      return 2;
    }
    restart = std::move(*selector);
  }
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  if (!options.client.server.empty()) {
    Json request = {{"restartSuccessful", options.restart_successful},
                    {"nodeFieldSelector", options.node_field_selector},
                    {"parameters", options.parameters}};
    auto retried = client->Act(options.workflow, "retry", request);
    if (!retried.ok()) return Fail(retried.error());
    std::cout << "workflow " << (*retried)["metadata"].value("name", "") << " retried\n";
    return 0;
  }
  auto earlier = client->Get(options.workflow);
  if (!earlier.ok()) return Fail(earlier.error());
  // Error covers a run whose `loom run` is gone (see local_client.cc).
  std::string phase = (*earlier)["status"].value("phase", "");
  if (!Completed(*earlier) && phase != "Error") {
    return Fail("workflow " + options.workflow + " has not finished");
  }
  auto status = StatusOf(*earlier);
  if (!status.ok()) return Fail(status.error());
  std::string name = (*earlier)["metadata"].value("name", "");
  RunOptions& run = options.run;
  run.load.file = name + " (stored)";
  run.load.text = Resubmittable(*earlier).dump(2);
  run.load.parameters = options.parameters;
  run.name = name;
  run.db = options.client.db;
  run.replay = std::make_shared<engine::Replay>(std::move(status->nodes), std::move(restart));
  return RunCommand(run);
}

}  // namespace

void AddRerunVerbs(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<RetryOptions>();
  CLI::App* verb = app.add_subcommand(
      "retry", "Rerun a finished workflow's failed steps and what depends on them");
  AddClientFlags(verb, &options->client);
  verb->add_option("workflow", options->workflow, "Workflow name (@latest: the newest)")
      ->required();
  verb->add_option("-p,--parameter", options->parameters,
                   "Change a parameter NAME=VALUE (steps whose inputs change run again)");
  verb->add_flag("--restart-successful", options->restart_successful,
                 "Also rerun successful steps that --node-field-selector selects");
  verb->add_option("--node-field-selector", options->node_field_selector,
                   "Nodes to rerun, e.g. displayName=train or templateName!=split");
  AddRerunFlags(verb, &options->run);
  verb->callback([options, exit_code] { *exit_code = Retry(*options); });

  auto resubmit = std::make_shared<ResubmitOptions>();
  verb = app.add_subcommand("resubmit", "Submit a workflow again, as a new workflow");
  AddClientFlags(verb, &resubmit->client);
  verb->add_option("workflow", resubmit->workflow, "Workflow name (@latest: the newest)")
      ->required();
  verb->add_option("-p,--parameter", resubmit->parameters, "Change a parameter NAME=VALUE");
  verb->add_flag("--memoized", resubmit->memoized,
                 "Reuse the successful steps of a Failed or Error workflow whose inputs are the "
                 "same");
  AddRerunFlags(verb, &resubmit->run);
  verb->callback([resubmit, exit_code] { *exit_code = Resubmit(*resubmit); });
}

}  // namespace loom::cli
