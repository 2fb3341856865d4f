// `loom logs WORKFLOW [NODE]`: step output prefixed by the step's name, as
// `argo logs` prints it; -f follows until the workflow is done.
#include <iostream>

#include "cli/verbs.h"

namespace loom::cli {

namespace {

struct LogsOptions {
  ClientOptions client;
  std::string workflow;
  LogQuery query;
  bool no_prefix = false;
};

int Logs(const LogsOptions& options) {
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  Status shown = client->Logs(options.workflow, options.query, [&](const LogLine& line) {
    if (!options.no_prefix) std::cout << line.node << ": ";
    std::cout << line.content << "\n";
    std::cout.flush();
  });
  return shown.ok() ? 0 : Fail(shown.message());
}

}  // namespace

void AddLogsVerb(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<LogsOptions>();
  CLI::App* verb = app.add_subcommand("logs", "Print the output of a workflow's steps");
  AddClientFlags(verb, &options->client);
  verb->add_option("workflow", options->workflow, "Workflow name (@latest: the newest)")
      ->required();
  verb->add_option("node", options->query.node, "Only this step (node id, name or display name)");
  verb->add_flag("-f,--follow", options->query.follow, "Keep printing until the workflow is done");
  verb->add_option("--grep", options->query.grep, "Only lines matching this regular expression");
  verb->add_option("--tail", options->query.tail, "Only the last N lines of each step");
  verb->add_flag("--no-prefix", options->no_prefix, "Do not prefix lines with the step's name");
  verb->callback([options, exit_code] { *exit_code = Logs(*options); });
}

}  // namespace loom::cli
