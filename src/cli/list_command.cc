// `loom list`: the workflows, newest first, as `argo list` shows them.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/display.h"
#include "cli/verbs.h"
#include "engine/status_json.h"

namespace loom::cli {

namespace {

struct ListOptions {
  ClientOptions client;
  ListQuery query;
  std::string since;
  bool running = false;
  bool completed = false;
  std::string output;
};

std::chrono::system_clock::duration Since(const Json& object, const char* key,
                                          std::chrono::system_clock::time_point until) {
  auto at = engine::ParseTimestamp(object.value(key, ""));
  return at ? until - *at : std::chrono::system_clock::duration::zero();
}

std::string Duration(const Json& status) {
  auto now = std::chrono::system_clock::now();
  auto finished = engine::ParseTimestamp(status.value("finishedAt", ""));
  return ShortDuration(Since(status, "startedAt", finished.value_or(now)));
}

std::string Parameters(const Json& workflow) {
  std::string text;
  const Json& spec = workflow.value("spec", Json::object());
  const Json& arguments = spec.value("arguments", Json::object());
  for (const Json& p : arguments.value("parameters", Json::array())) {
    if (!text.empty()) text += ",";
    text += p.value("name", "") + "=" +
            (p.contains("value") && p["value"].is_string() ? p["value"].get<std::string>() : "");
  }
  return text;
}

void PrintTable(const std::vector<Json>& workflows, bool wide) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> heading = {"NAME", "STATUS", "AGE", "DURATION", "PRIORITY", "MESSAGE"};
  if (wide) heading.insert(heading.end(), {"P/R/C", "PARAMETERS"});
  rows.push_back(heading);
  auto now = std::chrono::system_clock::now();
  for (const Json& wf : workflows) {
    const Json& metadata = wf.value("metadata", Json::object());
    const Json& status = wf.value("status", Json::object());
    const Json& spec = wf.value("spec", Json::object());
    std::vector<std::string> row = {metadata.value("name", ""),
                                    status.value("phase", "Pending"),
                                    ShortDuration(Since(metadata, "creationTimestamp", now)),
                                    Duration(status),
                                    std::to_string(spec.value("priority", 0)),
                                    TruncateToWidth(status.value("message", ""), 60)};
    if (wide) row.insert(row.end(), {status.value("progress", ""), Parameters(wf)});
    rows.push_back(std::move(row));
  }
  std::vector<size_t> widths(heading.size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - DisplayWidth(row[i]) + 3, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
}

int List(ListOptions& options) {
  if (options.running && options.completed)
    return Fail("--running and --completed exclude each other");
  if (options.running) options.query.completed = false;
  if (options.completed) options.query.completed = true;
  if (!options.since.empty()) {
    auto age = ParseAge(options.since);
    if (!age.ok()) return Fail("--since " + age.error());
    auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    options.query.created_after_ms = now - *age;
  }
  auto client = ConnectOrSay(options.client);
  if (!client) return 1;
  auto workflows = client->List(options.query);
  if (!workflows.ok()) return Fail(workflows.error());
  if (options.output == "name") {
    for (const Json& wf : *workflows) std::cout << wf["metadata"].value("name", "") << "\n";
  } else if (options.output == "json") {
    std::cout << Json(*workflows).dump(2) << "\n";
  } else if (workflows->empty()) {
    std::cerr << "No workflows found\n";
  } else {
    PrintTable(*workflows, options.output == "wide");
  }
  return 0;
}

}  // namespace

void AddListVerb(CLI::App& app, int* exit_code) {
  auto options = std::make_shared<ListOptions>();
  CLI::App* verb = app.add_subcommand("list", "List workflows, newest first");
  AddClientFlags(verb, &options->client);
  verb->add_option("-l,--selector", options->query.label_selectors,
                   "Label selector, e.g. workflows.argoproj.io/completed=true");
  verb->add_option("--status", options->query.phases,
                   "Only these phases (Pending, Running, Succeeded, Failed, Error)")
      ->delimiter(',');
  verb->add_flag("--running", options->running, "Only workflows that have not finished");
  verb->add_flag("--completed", options->completed, "Only finished workflows");
  verb->add_option("--since", options->since, "Only workflows created in this long, e.g. 1h, 7d");
  verb->add_option("--prefix", options->query.name_prefix, "Only names starting with this");
  verb->add_flag("-A,--all-namespaces", options->query.all_namespaces, "Every namespace");
  verb->add_option("--limit", options->query.limit, "At most this many");
  verb->add_option("-o,--output", options->output, "name, json or wide")
      ->check(CLI::IsMember({"name", "json", "wide"}));
  verb->callback([options, exit_code] { *exit_code = List(*options); });
}

}  // namespace loom::cli
