// `loom submit FILE...`: validates each workflow here (the same file:line:col
// messages as `loom lint`), applies the flags to it as `argo submit` does
// (-p into spec.arguments, --name, --generate-name, -l, --priority,
// --entrypoint) and hands it to the server; --wait, --watch and --log then
// follow it to the end.
// `loom submit --from KIND/NAME`: a Workflow made from a stored resource
// (server/submit_from.h), the flags applied the same way, by the server (POST
// .../submit) or, without one, here, running it in the foreground like `loom run`.
#include <algorithm>
#include <cctype>
#include <iostream>

#include "base/loom_home.h"
#include "cli/run_command.h"
#include "cli/template_client.h"
#include "cli/verbs.h"
#include "cli/workflow_loader.h"
#include "server/cron_workflow.h"
#include "server/submit_from.h"
#include "server/workflow_template.h"
#include "store/store.h"

namespace loom::cli {

namespace {

struct SubmitOptions {
  ClientOptions client;
  std::vector<std::string> files;
  std::vector<std::string> parameters;
  std::string parameter_file;
  std::string entrypoint;
  std::string name;
  std::string generate_name;
  std::vector<std::string> labels;
  std::optional<int> priority;
  bool wait = false;
  bool watch = false;
  bool log = false;
  bool dry_run = false;
  std::string output;
  std::string from;  // --from KIND/NAME
};

// The kinds `--from` takes, each as `argo submit --from` spells it (kind,
// singular, plural, short name), and the resource kind it names: one that
// server::WorkflowFromResource makes Workflows of.
struct FromKind {
  const char* kind;
  std::vector<const char*> spellings;
};
const FromKind kFromKinds[] = {
    {server::kWorkflowTemplateKind, {"workflowtemplate", "workflowtemplates", "wftmpl"}},
    {server::kClusterWorkflowTemplateKind,
     {"clusterworkflowtemplate", "clusterworkflowtemplates", "cwftmpl"}},
    {server::kCronWorkflowKind, {"cronworkflow", "cronworkflows", "cwf", "cronwf"}},
};

// KIND/NAME as {resource kind, name}, or a usage error.
Result<std::pair<std::string, std::string>> ParseFrom(const std::string& from) {
  size_t slash = from.find('/');
  std::string spelled = from.substr(0, slash);
  std::string lower = spelled;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  std::string kinds;
  for (const FromKind& kind : kFromKinds) {
    kinds += std::string(kinds.empty() ? "" : ", ") + kind.spellings.front();
    bool named = spelled == kind.kind || std::any_of(kind.spellings.begin(), kind.spellings.end(),
                                                     [&](const char* s) { return lower == s; });
    if (named && slash != std::string::npos && slash + 1 < from.size()) {
      return std::pair<std::string, std::string>(kind.kind, from.substr(slash + 1));
    }
  }
  return Status::Error("--from " + from + ": expected KIND/NAME, KIND one of " + kinds);
}

void SetParameters(Json& document, const std::map<std::string, std::string>& given) {
  Json& arguments = document["spec"]["arguments"];
  if (!arguments.is_object()) arguments = Json::object();
  Json& parameters = arguments["parameters"];
  if (!parameters.is_array()) parameters = Json::array();
  std::map<std::string, std::string> rest = given;
  for (Json& p : parameters) {
    auto it = rest.find(p.value("name", ""));
    if (it == rest.end()) continue;
    p["value"] = it->second;
    rest.erase(it);
  }
  for (const auto& [name, value] : rest) parameters.push_back({{"name", name}, {"value", value}});
  if (parameters.empty()) arguments.erase("parameters");
}

Result<Json> Prepare(const SubmitOptions& options, const std::string& file) {
  LoadRequest request;
  request.file = file;
  request.parameters = options.parameters;
  request.parameter_file = options.parameter_file;
  request.entrypoint = options.entrypoint;
  request.templates = TemplateLookupFor(options.client);
  spec::Diagnostics diagnostics;
  auto loaded = LoadWorkflow(request, &diagnostics);
  if (!loaded.ok()) {
    std::string message;
    for (const auto& d : diagnostics) message += (message.empty() ? "" : "\n") + d.ToString();
    return Status::Error(message.empty() ? loaded.error() : message);
  }
  Json document = loaded->document_json;
  SetParameters(document, loaded->parameters);
  Json& metadata = document["metadata"];
  if (!metadata.is_object()) metadata = Json::object();
  if (!options.name.empty()) {
    metadata["name"] = options.name;
    metadata.erase("generateName");
  } else if (!options.generate_name.empty()) {
    metadata["generateName"] = options.generate_name;
    metadata.erase("name");
  }
  for (const std::string& label : options.labels) {
    size_t eq = label.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::Error("-l " + label + ": expected KEY=VALUE");
    }
    metadata["labels"][label.substr(0, eq)] = label.substr(eq + 1);
  }
  if (!options.entrypoint.empty()) document["spec"]["entrypoint"] = options.entrypoint;
  if (options.priority) document["spec"]["priority"] = *options.priority;
  return document;
}

int Follow(WorkflowClient& client, const SubmitOptions& options, const std::string& name) {
  if (options.log) {
    LogQuery query;
    query.follow = true;
    Status shown = client.Logs(name, query, [](const LogLine& line) {
      std::cout << line.node << ": " << line.content << std::endl;
    });
    if (!shown.ok()) return Fail(shown.message());
  }
  auto final_state = WatchWorkflow(client, name, options.watch);
  if (!final_state.ok()) return Fail(final_state.error());
  if (options.watch || !options.output.empty()) {
    PrintWorkflow(*final_state, options.output);
  } else {
    std::cout << name << " " << (*final_state)["status"].value("phase", "") << "\n";
  }
  return (*final_state)["status"].value("phase", "") == "Succeeded" ? 0 : 1;
}

server::SubmitOptions FromOptions(const SubmitOptions& options) {
  server::SubmitOptions from;
  from.parameters = options.parameters;
  from.entrypoint = options.entrypoint;
  for (const std::string& label : options.labels) {
    from.labels += (from.labels.empty() ? "" : ",") + label;
  }
  from.name = options.name;
  from.generate_name = options.generate_name;
  from.priority = options.priority;
  from.dry_run = options.dry_run;
  return from;
}

// Without a server: the Workflow made here from the embedded store, run here.
int RunFrom(const SubmitOptions& options, const std::string& kind, const std::string& name) {
  const std::string namespace_ =
      options.client.namespace_.empty() ? "default" : options.client.namespace_;
  Json workflow;
  {
    auto store = store::Open(options.client.db.empty() ? DefaultStoreUrl() : options.client.db);
    if (!store.ok()) return Fail(store.error());
    auto made = server::WorkflowFromResource(**store, kind, namespace_, name);
    if (!made.ok()) return Fail(made.error().message);
    auto applied = server::ApplySubmitOptions(std::move(made).value(), FromOptions(options));
    if (!applied.ok()) {
      std::cerr << "loom submit: " << applied.error().message << "\n";
      return 2;
    }
    workflow = std::move(applied).value();
  }
  RunOptions run;
  run.load.file = options.from;
  run.load.text = workflow.dump(2);
  run.namespace_ = namespace_;
  run.db = options.client.db;
  run.output = options.output;
  run.log = options.log;
  if (options.dry_run) {
    spec::Diagnostics diagnostics;
    auto loaded = LoadWorkflow(run.load, &diagnostics);
    for (const auto& d : diagnostics) std::cerr << d.ToString() << "\n";
    if (!loaded.ok()) return 2;
    return PrintWorkflow(workflow, options.output);
  }
  return RunCommand(run);
}

int SubmitFrom(const SubmitOptions& options) {
  if (!options.files.empty()) {
    std::cerr << "loom submit: --from takes no files\n";
    return 2;
  }
  if (!options.parameter_file.empty()) {
    std::cerr << "loom submit: --parameter-file does not go with --from; give -p NAME=VALUE\n";
    return 2;
  }
  auto from = ParseFrom(options.from);
  if (!from.ok()) {
    std::cerr << "loom submit: " << from.error() << "\n";
    return 2;
  }
  const auto& [kind, name] = *from;
  if (options.client.server.empty()) return RunFrom(options, kind, name);
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  auto created = client->SubmitFrom(kind, name, server::SubmitOptionsToJson(FromOptions(options)));
  if (!created.ok()) return Fail(created.error());
  if (options.dry_run || (!options.wait && !options.watch && !options.log)) {
    return PrintWorkflow(*created, options.output);
  }
  return Follow(*client, options, (*created)["metadata"].value("name", ""));
}

int Submit(const SubmitOptions& options) {
  if (!options.from.empty()) return SubmitFrom(options);
  if (options.files.empty()) {
    std::cerr << "loom submit: name workflow files, or --from KIND/NAME\n";
    return 2;
  }
  if (options.files.size() > 1 && !options.name.empty()) {
    return Fail("--name names one workflow; use --generate-name with several files");
  }
  std::vector<Json> documents;
  for (const std::string& file : options.files) {
    auto document = Prepare(options, file);
    if (!document.ok()) {
      std::cerr << document.error() << "\n";
      return 2;
    }
    documents.push_back(std::move(*document));
  }
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  std::vector<std::string> names;
  for (const Json& document : documents) {
    auto created = client->Submit(document, options.dry_run);
    if (!created.ok()) return Fail(created.error());
    names.push_back((*created)["metadata"].value("name", ""));
    if (!options.wait && !options.watch && !options.log) PrintWorkflow(*created, options.output);
  }
  if (options.dry_run || (!options.wait && !options.watch && !options.log)) return 0;
  int code = 0;
  for (const std::string& name : names) code = std::max(code, Follow(*client, options, name));
  return code;
}

}  // namespace

void AddSubmitVerb(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<SubmitOptions>();
  CLI::App* verb = app.add_subcommand(
      "submit",
      "Submit workflows to a Loom server (or --from a stored template, run here without one)");
  AddClientFlags(verb, &options->client);
  verb->add_option("files", options->files, "Workflow YAML files ('-' for standard input)");
  verb->add_option("--from", options->from,
                   "Submit from a stored resource: workflowtemplate/NAME or "
                   "clusterworkflowtemplate/NAME (without a server: runs here, like loom run)");
  verb->add_option("-p,--parameter", options->parameters, "Workflow parameter NAME=VALUE");
  verb->add_option("--parameter-file", options->parameter_file, "YAML/JSON file of parameters");
  verb->add_option("--entrypoint", options->entrypoint, "Template to start from");
  verb->add_option("--name", options->name, "Workflow name");
  verb->add_option("--generate-name", options->generate_name,
                   "Name prefix; 5 random characters follow");
  verb->add_option("-l,--labels", options->labels, "Labels KEY=VALUE")->delimiter(',');
  verb->add_option("--priority", options->priority, "Workflow priority (higher runs first)");
  verb->add_flag("--wait", options->wait, "Wait until it completes; exit 1 if it did not succeed");
  verb->add_flag("-w,--watch", options->watch, "Follow it with the live view until it completes");
  verb->add_flag("--log", options->log, "Print its steps' output until it completes");
  verb->add_flag("--dry-run,--server-dry-run", options->dry_run,
                 "Validate on the server without creating it");
  verb->add_option("-o,--output", options->output, "name, json, yaml or wide")
      ->check(CLI::IsMember({"name", "json", "yaml", "wide"}));
  verb->callback([options, exit_code] { *exit_code = Submit(*options); });
}

}  // namespace loom::cli
