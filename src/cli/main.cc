// Entry point of the `loom` command: parses the command line and dispatches
// to a verb. Usage errors exit 2, like invalid workflows.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/run_command.h"
#include "cli/workflow_loader.h"

namespace {

constexpr const char* kVersion = "0.1.0";

int Lint(const std::vector<std::string>& files) {
  int problems = 0;
  for (const std::string& file : files) {
    for (const auto& d : loom::cli::LintFile(file)) {
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
  CLI::App app{"Loom: run Argo workflows on one machine, fast."};
  app.require_subcommand(1);
  app.set_version_flag("--version", kVersion);

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

  std::vector<std::string> lint_files;
  CLI::App* lint_cmd = app.add_subcommand("lint", "Validate workflow files without running them");
  lint_cmd->add_option("files", lint_files, "Files to check")->required();

  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "loom " << kVersion << "\n";
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (*run_cmd) return loom::cli::RunCommand(run);
  if (*lint_cmd) return Lint(lint_files);
  return 0;
}
