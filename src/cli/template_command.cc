// `loom template create|list|get|delete|lint` and the same verbs under
// `loom cluster-template`, as `argo template` and `argo cluster-template`.
// Files are checked here first, with `loom lint`'s file:line:col messages
// (exit 2, nothing created), their templateRefs resolved in the file and
// then among the stored templates; then the TemplateClient stores them, on
// a server or, without one, in the embedded store.
#include <iostream>

#include "cli/resource_file.h"
#include "cli/template_client.h"
#include "cli/template_display.h"
#include "cli/verbs.h"
#include "server/workflow_template.h"

namespace loom::cli {

namespace {

struct TemplateOptions {
  ClientOptions client;
  bool cluster_scope = false;
  std::vector<std::string> args;  // files or names
  std::string output;
  std::string selector;
  bool all = false;  // list: every namespace; delete: every template
};

const char* Kind(const TemplateOptions& options) {
  return server::TemplateKind(options.cluster_scope);
}

std::string NamespaceName(const TemplateOptions& options) {
  return options.client.namespace_.empty() ? "default" : options.client.namespace_;
}

std::unique_ptr<TemplateClient> ConnectOrSay(const TemplateOptions& options) {
  auto client = ConnectTemplates(options.client, options.cluster_scope);
  if (!client.ok()) {
    Fail(client.error());
    return nullptr;
  }
  return std::move(*client);
}

void Print(const Json& tmpl, const std::string& output) {
  PrintResource(tmpl, output,
                [&] { PrintTemplateDetails(std::cout, tmpl, std::chrono::system_clock::now()); });
}

int Create(const TemplateOptions& options) {
  server::TemplateLookup lookup = TemplateLookupFor(options.client);
  std::vector<Json> templates;
  for (const std::string& file : options.args) {
    std::string problems;
    auto loaded = LoadResources(file, Kind(options), lookup, &problems);
    if (!loaded.ok()) {
      std::cerr << (problems.empty() ? "loom: " + loaded.error() + "\n" : problems);
      return 2;
    }
    for (Json& tmpl : *loaded) templates.push_back(std::move(tmpl));
  }
  auto client = ConnectOrSay(options);
  if (!client) return 1;
  for (const Json& tmpl : templates) {
    auto created = client->Create(tmpl);
    if (!created.ok()) return Fail(created.error());
    Print(*created, options.output);
  }
  return 0;
}

int List(const TemplateOptions& options) {
  auto client = ConnectOrSay(options);
  if (!client) return 1;
  auto templates = client->List(options.selector, options.all);
  if (!templates.ok()) return Fail(templates.error());
  if (PrintResourceList(*templates, options.output)) return 0;
  if (templates->empty()) {
    std::cerr << "No " << Kind(options) << "s found\n";
    return 0;
  }
  PrintTemplateTable(std::cout, *templates, options.all && !options.cluster_scope,
                     options.output == "wide", std::chrono::system_clock::now());
  return 0;
}

int Get(const TemplateOptions& options) {
  auto client = ConnectOrSay(options);
  if (!client) return 1;
  int code = 0;
  for (const std::string& name : options.args) {
    auto found = client->Find(name);
    if (!found.ok()) {
      code = Fail(found.error());
    } else if (!found->has_value()) {
      code = Fail(std::string(Kind(options)) + " " + name + " not found" +
                  (options.cluster_scope ? "" : " in namespace " + NamespaceName(options)) +
                  " of " + client->Where());
    } else {
      Print(**found, options.output);
    }
  }
  return code;
}

int Delete(const TemplateOptions& options) {
  if (options.all == !options.args.empty()) {
    std::cerr << "loom: name templates to delete, or give --all (not both)\n";
    return 2;
  }
  auto client = ConnectOrSay(options);
  if (!client) return 1;
  return DeleteResources(
      Kind(options), options.args, options.all, [&] { return client->List("", false); },
      [&](const std::string& name) { return client->Delete(name); });
}

int Lint(const TemplateOptions& options) {
  return LintResourceFiles(options.args, Kind(options), TemplateLookupFor(options.client, true));
}

void AddGroup(CLI::App& app, int* exit_code, bool cluster_scope) {
  auto options = std::make_shared<TemplateOptions>();
  options->cluster_scope = cluster_scope;
  CLI::App* group =
      cluster_scope
          ? app.add_subcommand("cluster-template",
                               "Manage ClusterWorkflowTemplates (templateRef with clusterScope)")
          : app.add_subcommand("template",
                               "Manage WorkflowTemplates (templateRef, "
                               "workflowTemplateRef, submit --from)");
  group->require_subcommand(1);
  auto run = [options, exit_code](int (*verb)(const TemplateOptions&)) {
    return [options, exit_code, verb] { *exit_code = verb(*options); };
  };
  auto verb = [&](const char* name, const char* about) {
    CLI::App* sub = group->add_subcommand(name, about);
    AddClientFlags(sub, &options->client);
    return sub;
  };

  CLI::App* create = verb("create", "Create templates from files");
  create->add_option("files", options->args, "YAML files ('-' for standard input)")->required();
  create->add_option("-o,--output", options->output, "name, json, yaml or wide")
      ->check(CLI::IsMember({"name", "json", "yaml", "wide"}));
  create->callback(run(Create));

  CLI::App* list = verb("list", "List templates");
  if (!cluster_scope) list->add_flag("-A,--all-namespaces", options->all, "Every namespace");
  list->add_option("-l,--selector", options->selector, "Label selector");
  list->add_option("-o,--output", options->output, "wide, name or json")
      ->check(CLI::IsMember({"wide", "name", "json"}));
  list->callback(run(List));

  CLI::App* get = verb("get", "Show templates");
  get->add_option("names", options->args, "Template names")->required();
  get->add_option("-o,--output", options->output, "json, yaml, name or wide")
      ->check(CLI::IsMember({"json", "yaml", "name", "wide"}));
  get->callback(run(Get));

  CLI::App* remove = verb("delete", "Delete templates");
  remove->add_option("names", options->args, "Template names");
  remove->add_flag("--all", options->all,
                   cluster_scope ? "Every ClusterWorkflowTemplate" : "Every one in the namespace");
  remove->callback(run(Delete));

  CLI::App* lint = verb("lint", "Validate template files");
  lint->add_option("files", options->args, "Files to check")->required();
  lint->callback(run(Lint));
}

}  // namespace

void AddTemplateVerbs(CLI::App& app, int* exit_code) {
  AddGroup(app, exit_code, false);
  AddGroup(app, exit_code, true);
}

}  // namespace loom::cli
