// `loom delete`, and the verbs that act on a workflow a server runs: stop
// (exit handlers run), terminate (they do not), suspend, resume.
#include <chrono>
#include <iostream>

#include "cli/verbs.h"
#include "engine/status_json.h"

namespace loom::cli {

namespace {

struct DeleteOptions {
  ClientOptions client;
  std::vector<std::string> names;
  ListQuery query;
  bool all = false;
  bool completed = false;
  std::string older;
};

struct ActOptions {
  ClientOptions client;
  std::vector<std::string> names;
};

// The names a bulk delete selects: --all, --completed, --prefix, -l, and
// with `older_ms`, only workflows that finished more than that long ago.
Result<std::vector<std::string>> Selected(WorkflowClient& client, DeleteOptions& options,
                                          std::optional<int64_t> older_ms) {
  if (options.completed || older_ms) options.query.completed = true;
  auto workflows = client.List(options.query);
  if (!workflows.ok()) return workflows.status();
  auto finished_before =
      std::chrono::system_clock::now() - std::chrono::milliseconds(older_ms.value_or(0));
  std::vector<std::string> names;
  for (const Json& wf : *workflows) {
    if (older_ms) {
      // As argo: --older is measured from when the workflow finished.
      const Json status = wf.value("status", Json::object());
      auto finished = engine::ParseTimestamp(status.value("finishedAt", ""));
      if (!finished || *finished > finished_before) continue;
    }
    names.push_back(wf["metadata"].value("name", ""));
  }
  return names;
}

int Delete(DeleteOptions& options) {
  bool bulk = options.all || options.completed || !options.older.empty() ||
              !options.query.name_prefix.empty() || !options.query.label_selectors.empty();
  if (bulk == !options.names.empty()) {
    std::cerr << "loom delete: name workflows, or select them with --all, --completed, "
                 "--older, --prefix or -l (not both)\n";
    return 2;
  }
  std::optional<int64_t> older_ms;
  if (!options.older.empty()) {
    auto age = ParseAge(options.older);
    if (!age.ok()) {
      std::cerr << "loom delete: --older " << age.error() << "\n";
      return 2;
    }
    older_ms = *age;
  }
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  std::vector<std::string> names = options.names;
  if (bulk) {
    auto selected = Selected(*client, options, older_ms);
    if (!selected.ok()) return Fail(selected.error());
    names = std::move(*selected);
  }
  int code = 0;
  for (const std::string& name : names) {
    if (Status deleted = client->Delete(name); !deleted.ok()) {
      code = Fail(deleted.message());
    } else {
      std::cout << "Workflow '" << name << "' deleted\n";
    }
  }
  return code;
}

int Act(const ActOptions& options, const std::string& action, const char* done) {
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  int code = 0;
  for (const std::string& name : options.names) {
    auto result = client->Act(name, action, Json::object());
    if (!result.ok()) {
      code = Fail(result.error());
      continue;
    }
    std::cout << "workflow " << (*result)["metadata"].value("name", name) << " " << done << "\n";
  }
  return code;
}

void AddActVerb(CLI::App& app, int* exit_code, const char* name, const char* about,
                const char* done) {
  auto options = std::make_shared<ActOptions>();
  CLI::App* verb = app.add_subcommand(name, about);
  AddClientFlags(verb, &options->client);
  verb->add_option("workflow", options->names, "Workflow names (@latest: the newest)")->required();
  std::string action = name;
  verb->callback([options, exit_code, action, done] { *exit_code = Act(*options, action, done); });
}

}  // namespace

void AddManageVerbs(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<DeleteOptions>();
  CLI::App* verb = app.add_subcommand("delete", "Delete workflows, their records and their files");
  AddClientFlags(verb, &options->client);
  verb->add_option("workflow", options->names, "Workflow names (@latest: the newest)");
  verb->add_flag("--all", options->all, "Every workflow in the namespace");
  verb->add_flag("--completed", options->completed, "Every finished workflow");
  verb->add_option("--older", options->older, "Finished workflows created longer ago, e.g. 7d");
  verb->add_option("--prefix", options->query.name_prefix, "Workflows whose name starts with this");
  verb->add_option("-l,--selector", options->query.label_selectors, "Label selector");
  verb->callback([options, exit_code] { *exit_code = Delete(*options); });

  AddActVerb(app, exit_code, "stop", "Stop workflows: kill running steps, run exit handlers",
             "stopped");
  AddActVerb(app, exit_code, "terminate", "Terminate workflows: kill steps, skip exit handlers",
             "terminated");
  AddActVerb(app, exit_code, "suspend", "Suspend workflows: start no new steps", "suspended");
  AddActVerb(app, exit_code, "resume", "Resume suspended workflows", "resumed");
}

}  // namespace loom::cli
