// Entry point of the `loom` command: parses the command line and dispatches
// to a verb. Usage errors exit 2, like invalid workflows.
#include <CLI/CLI.hpp>
#include <iostream>
#include <string_view>

#include "base/version.h"
#include "cli/run_command.h"
#include "cli/template_client.h"
#include "cli/verbs.h"
#include "cli/workflow_loader.h"
#include "executor/supervisor.h"
#include "server/server_command.h"

namespace {

using loom::kLoomVersion;

// Templates the files reference but do not hold are looked up where `client` points.
int Lint(const std::vector<std::string>& files, const loom::cli::ClientOptions& client) {
  int problems = 0;
  for (const std::string& file : files) {
    for (const auto& d : loom::cli::LintFile(file, loom::cli::TemplateLookupFor(client, true))) {
      std::cerr << d.ToString() << "\n";
      ++problems;
    }
  }
  if (problems == 0) {
    std::cout << "no problems found in " << files.size() << " file(s)\n";
    return 0;
  }
  std::cerr << problems << " problem(s) found\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Hidden: `loom __supervise STEP_DIR`, the per-step supervisor that `loom
  // server` starts. Handled before the parser is built: every step pays for it.
  if (argc == 3 && std::string_view(argv[1]) == "__supervise") {
    return loom::executor::Supervise(argv[2]);
  }
  CLI::App app{"Loom: run Argo workflows on one machine, fast."};
  app.require_subcommand(1);
  app.set_version_flag("--version", kLoomVersion);

  loom::cli::RunOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "Run a workflow to completion on this machine");
  run_cmd->add_option("file", run.load.file, "Workflow YAML file ('-' for standard input)")
      ->required();
  run_cmd->add_option("-p,--parameter", run.load.parameters, "Workflow parameter NAME=VALUE");
  run_cmd->add_option("--parameter-file", run.load.parameter_file, "YAML/JSON file of parameters");
  run_cmd->add_option("--entrypoint", run.load.entrypoint, "Template to start from");
  run_cmd->add_option("--name", run.name, "Workflow name (default: metadata.name or generated)");
  run_cmd->add_option("-o,--output", run.output, "Print the final workflow as json or yaml")
      ->check(CLI::IsMember({"json", "yaml", "name", "wide"}));
  run_cmd->add_option("--max-cpu", run.max_cpu, "CPU capacity for steps (default: all cores)");
  run_cmd->add_option("--max-memory", run.max_memory, "Memory capacity (default: all memory)");
  run_cmd->add_option("--parallelism", run.parallelism,
                      "Steps running at once (default: number of cores)");
  run_cmd->add_flag("--log", run.log, "Stream every step's output, prefixed by node name");
  run_cmd
      ->add_option("--isolation", run.isolation,
                   "Per-step private filesystem view: auto, overlay or none")
      ->check(CLI::IsMember({"auto", "overlay", "none"}));
  run_cmd
      ->add_option("--executor", run.executor,
                   "Where steps run: local (this machine) or slurm (one Slurm job each)")
      ->check(CLI::IsMember({"local", "slurm"}));
  run_cmd->add_option("--slurm-option", run.slurm_options,
                      "sbatch option for every job, e.g. --slurm-option=--partition=gpu");
  run_cmd->add_option("--db", run.db, "Store that records the run (default: $LOOM_HOME/loom.db)");
  run_cmd->add_option(
      "-n,--namespace", run.namespace_,
      "Namespace of the run and of the WorkflowTemplates it uses (default: default)");
  run_cmd->add_option("--sync-config", run.sync_config,
                      "ConfigMaps giving semaphore limits (default: "
                      "$LOOM_HOME/synchronization.yaml if it exists)");

  std::vector<std::string> lint_files;
  CLI::App* lint_cmd = app.add_subcommand("lint", "Validate workflow files without running them");
  lint_cmd->add_option("files", lint_files, "Files to check")->required();
  loom::cli::ClientOptions lint_client;
  loom::cli::AddClientFlags(lint_cmd, &lint_client);

  loom::server::ServerOptions server;
  CLI::App* server_cmd =
      app.add_subcommand("server", "Run workflows for a team: controller, REST API, metrics");
  server_cmd->add_option("--listen", server.listen,
                         "Address to listen on (default 127.0.0.1:2746)");
  server_cmd->add_option("--db", server.db,
                         "Store: a SQLite path or postgres://... (default: $LOOM_HOME/loom.db)");
  server_cmd->add_flag("--no-auth", server.no_auth, "No bearer token (loopback addresses only)");
  server_cmd->add_option("--token-file", server.token_file,
                         "Bearer token file (default: $LOOM_HOME/server.token)");
  server_cmd->add_option("--parallelism", server.parallelism,
                         "Steps running at once, server-wide (default: cores)");
  server_cmd->add_option("--max-cpu", server.max_cpu,
                         "CPU capacity for steps (default: all cores)");
  server_cmd->add_option("--max-memory", server.max_memory,
                         "Memory capacity (default: all memory)");
  server_cmd->add_option("--sync-config", server.sync_config,
                         "ConfigMaps giving semaphore limits (default: "
                         "$LOOM_HOME/synchronization.yaml if it exists)");
  server_cmd
      ->add_option("--isolation", server.isolation,
                   "Per-step private filesystem view: auto, overlay or none")
      ->check(CLI::IsMember({"auto", "overlay", "none"}));

  int verb_exit_code = 0;
  loom::cli::AddWorkflowVerbs(app, &verb_exit_code);

  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "loom " << kLoomVersion << "\n";
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*run_cmd) return loom::cli::RunCommand(run);
  if (*lint_cmd) return Lint(lint_files, lint_client);
  if (*server_cmd) return loom::server::ServerCommand(server);
  return verb_exit_code;
}
