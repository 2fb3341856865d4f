// `loom submit FILE...`: validates each workflow here (the same file:line:col
// messages as `loom lint`), applies the flags to it as `argo submit` does
// (-p into spec.arguments, --name, --generate-name, -l, --priority,
// --entrypoint) and hands it to the server; --wait, --watch and --log then
// follow it to the end.
#include <iostream>

#include "cli/verbs.h"
#include "cli/workflow_loader.h"

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
};

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

int Submit(const SubmitOptions& options) {
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
  CLI::App* verb = app.add_subcommand("submit", "Submit workflows to a Loom server");
  AddClientFlags(verb, &options->client);
  verb->add_option("files", options->files, "Workflow YAML files ('-' for standard input)")
      ->required();
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
