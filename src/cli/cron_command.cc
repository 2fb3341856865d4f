// `loom cron create|list|get|suspend|resume|delete|lint`, as `argo cron`.
// Files are checked here first, with `loom lint`'s file:line:col messages
// (exit 2, nothing created); then the CronClient stores or changes them, on
// a server or, without one, in the embedded store.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cron_client.h"
#include "cli/cron_display.h"
#include "cli/verbs.h"
#include "cli/yaml_output.h"
#include "spec/cron_schedule.h"
#include "spec/parser.h"
#include "spec/validator.h"
#include "spec/yaml_util.h"

namespace loom::cli {

namespace {

struct CronOptions {
  ClientOptions client;
  std::vector<std::string> args;  // files or names
  std::string schedule;
  std::string output;
  std::string selector;
  bool all = false;
};

Result<std::string> ReadText(const std::string& file) {
  std::ostringstream text;
  if (file == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream in(file);
  if (!in) return Status::Error(file + ": cannot read file");
  text << in.rdbuf();
  return text.str();
}

// The CronWorkflows of `file` as JSON, checked as the server will check them
// (a local run: fields only Kubernetes can honour are errors). `problems`
// gets one file:line:col line per diagnostic.
Result<std::vector<Json>> LoadCronWorkflows(const std::string& file, std::string* problems) {
  auto text = ReadText(file);
  if (!text.ok()) return text.status();
  spec::ParseResult parsed = spec::ParseText(*text, file);
  spec::Diagnostics diagnostics = parsed.diagnostics;
  for (const spec::Workflow& document : parsed.documents) {
    spec::ValidateOptions options;
    options.library = &parsed.documents;
    options.local_run = true;
    for (spec::Diagnostic& d : spec::Validate(document, options)) diagnostics.push_back(d);
  }
  for (const spec::Diagnostic& d : diagnostics) *problems += d.ToString() + "\n";
  if (!diagnostics.empty()) return Status::Error("invalid");
  std::vector<Json> crons;
  for (const YAML::Node& node : YAML::LoadAll(*text)) {
    if (!spec::IsMap(node)) continue;
    Json document = spec::ToJson(node);
    if (document.value("kind", "") == "CronWorkflow") crons.push_back(std::move(document));
  }
  if (crons.empty()) return Status::Error(file + ": no CronWorkflow found");
  return crons;
}

std::unique_ptr<CronClient> ConnectCronOrSay(const ClientOptions& options) {
  auto client = ConnectCron(options);
  if (!client.ok()) {
    Fail(client.error());
    return nullptr;
  }
  return std::move(*client);
}

void Print(const Json& cron, const std::string& output) {
  if (output == "name") {
    std::cout << cron["metadata"].value("name", "") << "\n";
  } else if (output == "json") {
    std::cout << cron.dump(2) << "\n";
  } else if (output == "yaml") {
    std::cout << JsonToYaml(cron);
  } else {
    PrintCronDetails(std::cout, cron, Clock::now());
  }
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
  std::vector<Json> crons;
  for (const std::string& file : options.args) {
    std::string problems;
    auto loaded = LoadCronWorkflows(file, &problems);
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
  if (options.output == "name") {
    for (const Json& cron : *crons) std::cout << cron["metadata"].value("name", "") << "\n";
  } else if (options.output == "json") {
    std::cout << Json(*crons).dump(2) << "\n";
  } else if (crons->empty()) {
    std::cerr << "No cron workflows found\n";
  } else {
    PrintCronTable(std::cout, *crons, options.all, Clock::now());
  }
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
  std::vector<std::string> names = options.args;
  if (options.all) {
    auto crons = client->List("", false);
    if (!crons.ok()) return Fail(crons.error());
    for (const Json& cron : *crons) names.push_back(cron["metadata"].value("name", ""));
  }
  int code = 0;
  for (const std::string& name : names) {
    if (Status deleted = client->Delete(name); !deleted.ok()) {
      code = Fail(deleted.message());
    } else {
      std::cout << "CronWorkflow '" << name << "' deleted\n";
    }
  }
  return code;
}

int Lint(const CronOptions& options) {
  int problems = 0;
  for (const std::string& file : options.args) {
    std::string found;
    auto loaded = LoadCronWorkflows(file, &found);
    if (loaded.ok()) continue;
    std::cerr << (found.empty() ? loaded.error() + "\n" : found);
    problems += found.empty() ? 1 : static_cast<int>(std::count(found.begin(), found.end(), '\n'));
  }
  if (problems == 0) {
    std::cout << "no problems found in " << options.args.size() << " file(s)\n";
    return 0;
  }
  std::cerr << problems << " problem(s) found\n";
  return 2;
}

CLI::App* Verb(CLI::App* cron, const char* name, const char* about,
               const std::shared_ptr<CronOptions>& options, bool client) {
  CLI::App* verb = cron->add_subcommand(name, about);
  if (client) AddClientFlags(verb, &options->client);
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

  CLI::App* create = Verb(cron, "create", "Create CronWorkflows from files", options, true);
  create->add_option("files", options->args, "CronWorkflow YAML files ('-' for standard input)")
      ->required();
  create->add_option("--schedule", options->schedule, "Override spec.schedule");
  create->add_option("-o,--output", options->output, "name, json, yaml or wide")
      ->check(CLI::IsMember({"name", "json", "yaml", "wide"}));
  create->callback(run(Create));

  CLI::App* list = Verb(cron, "list", "List CronWorkflows", options, true);
  list->add_flag("-A,--all-namespaces", options->all, "Every namespace");
  list->add_option("-l,--selector", options->selector, "Label selector");
  list->add_option("-o,--output", options->output, "wide, name or json")
      ->check(CLI::IsMember({"wide", "name", "json"}));
  list->callback(run(List));

  CLI::App* get = Verb(cron, "get", "Show CronWorkflows", options, true);
  get->add_option("names", options->args, "CronWorkflow names")->required();
  get->add_option("-o,--output", options->output, "json, yaml, name or wide")
      ->check(CLI::IsMember({"json", "yaml", "name", "wide"}));
  get->callback(run(Get));

  CLI::App* suspend = Verb(cron, "suspend", "Stop scheduling CronWorkflows", options, true);
  suspend->add_option("names", options->args, "CronWorkflow names")->required();
  suspend->callback([options, exit_code] { *exit_code = Suspend(*options, true); });

  CLI::App* resume = Verb(cron, "resume", "Schedule suspended CronWorkflows again", options, true);
  resume->add_option("names", options->args, "CronWorkflow names")->required();
  resume->callback([options, exit_code] { *exit_code = Suspend(*options, false); });

  CLI::App* remove =
      Verb(cron, "delete", "Delete CronWorkflows and the workflows they created", options, true);
  remove->add_option("names", options->args, "CronWorkflow names");
  remove->add_flag("--all", options->all, "Every CronWorkflow in the namespace");
  remove->callback(run(Delete));

  CLI::App* lint = Verb(cron, "lint", "Validate CronWorkflow files", options, false);
  lint->add_option("files", options->args, "Files to check")->required();
  lint->callback(run(Lint));
}

}  // namespace loom::cli
