// `loom cron create|list|get|suspend|resume|delete|lint`, as `argo cron`.
// Files are checked here first, with `loom lint`'s file:line:col messages
// (exit 2, nothing created), their templateRefs and workflowTemplateRefs
// resolved in the file and then among the stored templates; then the
// CronClient stores or changes them, on a server or, without one, in the
// embedded store.
#include <iostream>

#include "cli/cron_client.h"
#include "cli/cron_display.h"
#include "cli/resource_file.h"
#include "cli/template_client.h"
#include "cli/verbs.h"
#include "spec/cron_schedule.h"

namespace loom::cli {

namespace {

constexpr char kKind[] = "CronWorkflow";

struct CronOptions {
  ClientOptions client;
  std::vector<std::string> args;  // files or names
  std::string schedule;
  std::string output;
  std::string selector;
  bool all = false;
};

std::unique_ptr<CronClient> ConnectCronOrSay(const ClientOptions& options) {
  auto client = ConnectCron(options);
  if (!client.ok()) {
    Fail(client.error());
    return nullptr;
  }
  return std::move(*client);
}

void Print(const Json& cron, const std::string& output) {
  PrintResource(cron, output, [&] { PrintCronDetails(std::cout, cron, Clock::now()); });
}

int Create(const CronOptions& options) {
  if (!options.schedule.empty()) {
    auto parsed = spec::CronSchedule::ForCronWorkflow(options.schedule, "");
    if (!parsed.ok()) {
      std::cerr << "loom cron create: --schedule " << options.schedule << ": " << parsed.error()
                << "\n";
      return 2;
    }
  }
  server::TemplateLookup lookup = TemplateLookupFor(options.client);
  std::vector<Json> crons;
  for (const std::string& file : options.args) {
    std::string problems;
    auto loaded = LoadResources(file, kKind, lookup, &problems);
    if (!loaded.ok()) {
      std::cerr << (problems.empty() ? "loom cron create: " + loaded.error() + "\n" : problems);
      return 2;
    }
    for (Json& cron : *loaded) crons.push_back(std::move(cron));
  }
  auto client = ConnectCronOrSay(options.client);
  if (!client) return 1;
  for (Json& cron : crons) {
    if (!options.schedule.empty()) {  // as `argo cron create --schedule`
      cron["spec"]["schedule"] = options.schedule;
      cron["spec"].erase("schedules");
    }
    auto created = client->Create(cron);
    if (!created.ok()) return Fail(created.error());
    Print(*created, options.output);
  }
  return 0;
}

int List(const CronOptions& options) {
  auto client = ConnectCronOrSay(options.client);
  if (!client) return 1;
  auto crons = client->List(options.selector, options.all);
  if (!crons.ok()) return Fail(crons.error());
  if (PrintResourceList(*crons, options.output)) return 0;
  if (crons->empty()) {
    std::cerr << "No cron workflows found\n";
    return 0;
  }
  PrintCronTable(std::cout, *crons, options.all, Clock::now());
  return 0;
}

int Get(const CronOptions& options) {
  auto client = ConnectCronOrSay(options.client);
  if (!client) return 1;
  int code = 0;
  for (const std::string& name : options.args) {
    auto cron = client->Get(name);
    if (!cron.ok()) {
      code = Fail(cron.error());
      continue;
    }
    Print(*cron, options.output);
  }
  return code;
}

int Suspend(const CronOptions& options, bool suspend) {
  auto client = ConnectCronOrSay(options.client);
  if (!client) return 1;
  int code = 0;
  for (const std::string& name : options.args) {
    auto cron = client->SetSuspend(name, suspend);
    if (!cron.ok()) {
      code = Fail(cron.error());
      continue;
    }
    std::cout << "CronWorkflow '" << name << "' " << (suspend ? "suspended" : "resumed") << "\n";
  }
  return code;
}

int Delete(const CronOptions& options) {
  if (options.all == !options.args.empty()) {
    std::cerr << "loom cron delete: name cron workflows, or give --all (not both)\n";
    return 2;
  }
  auto client = ConnectCronOrSay(options.client);
  if (!client) return 1;
  return DeleteResources(
      kKind, options.args, options.all, [&] { return client->List("", false); },
      [&](const std::string& name) { return client->Delete(name); });
}

int Lint(const CronOptions& options) {
  return LintResourceFiles(options.args, kKind, TemplateLookupFor(options.client, true));
}

CLI::App* Verb(CLI::App* cron, const char* name, const char* about,
               const std::shared_ptr<CronOptions>& options) {
  CLI::App* verb = cron->add_subcommand(name, about);
  AddClientFlags(verb, &options->client);
  return verb;
}

}  // namespace

void AddCronVerbs(CLI::App& app, int* exit_code) {
  CLI::App* cron = app.add_subcommand(
      "cron", "Manage CronWorkflows (a running `loom server` runs them on their schedules)");
  cron->require_subcommand(1);
  auto options = std::make_shared<CronOptions>();
  auto run = [options, exit_code](int (*verb)(const CronOptions&)) {
    return [options, exit_code, verb] { *exit_code = verb(*options); };
  };

  CLI::App* create = Verb(cron, "create", "Create CronWorkflows from files", options);
  create->add_option("files", options->args, "CronWorkflow YAML files ('-' for standard input)")
      ->required();
  create->add_option("--schedule", options->schedule, "Override spec.schedule");
  create->add_option("-o,--output", options->output, "name, json, yaml or wide")
      ->check(CLI::IsMember({"name", "json", "yaml", "wide"}));
  create->callback(run(Create));

  CLI::App* list = Verb(cron, "list", "List CronWorkflows", options);
  list->add_flag("-A,--all-namespaces", options->all, "Every namespace");
  list->add_option("-l,--selector", options->selector, "Label selector");
  list->add_option("-o,--output", options->output, "wide, name or json")
      ->check(CLI::IsMember({"wide", "name", "json"}));
  list->callback(run(List));

  CLI::App* get = Verb(cron, "get", "Show CronWorkflows", options);
  get->add_option("names", options->args, "CronWorkflow names")->required();
  get->add_option("-o,--output", options->output, "json, yaml, name or wide")
      ->check(CLI::IsMember({"json", "yaml", "name", "wide"}));
  get->callback(run(Get));

  CLI::App* suspend = Verb(cron, "suspend", "Stop scheduling CronWorkflows", options);
  suspend->add_option("names", options->args, "CronWorkflow names")->required();
  suspend->callback([options, exit_code] { *exit_code = Suspend(*options, true); });

  CLI::App* resume = Verb(cron, "resume", "Schedule suspended CronWorkflows again", options);
  resume->add_option("names", options->args, "CronWorkflow names")->required();
  resume->callback([options, exit_code] { *exit_code = Suspend(*options, false); });

  CLI::App* remove =
      Verb(cron, "delete", "Delete CronWorkflows and the workflows they created", options);
  remove->add_option("names", options->args, "CronWorkflow names");
  remove->add_flag("--all", options->all, "Every CronWorkflow in the namespace");
  remove->callback(run(Delete));

  CLI::App* lint = Verb(cron, "lint", "Validate CronWorkflow files", options);
  lint->add_option("files", options->args, "Files to check")->required();
  lint->callback(run(Lint));
}

}  // namespace loom::cli
