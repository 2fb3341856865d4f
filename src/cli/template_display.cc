// Table and detail views of (Cluster)WorkflowTemplate objects.
#include "cli/template_display.h"

#include <fmt/format.h>

#include <string>

#include "cli/display.h"
#include "engine/status_json.h"

namespace loom::cli {

namespace {

using Clock = std::chrono::system_clock;

std::string Age(const Json& metadata, Clock::time_point now) {
  auto created = engine::ParseTimestamp(metadata.value("creationTimestamp", ""));
  return created ? ShortDuration(now - *created) : "";
}

std::string TemplateNames(const Json& spec) {
  std::string names;
  for (const Json& t : spec.value("templates", Json::array())) {
    names += (names.empty() ? "" : ",") + t.value("name", "");
  }
  return names;
}

std::string Labels(const Json& metadata) {
  std::string labels;
  const Json given = metadata.value("labels", Json::object());
  if (!given.is_object()) return labels;
  for (const auto& [key, value] : given.items()) {
    labels += (labels.empty() ? "" : ",") + key + "=" +
              (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return labels;
}

}  // namespace

void PrintTemplateTable(std::ostream& out, const std::vector<Json>& templates, bool namespaces,
                        bool wide, Clock::time_point now) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> heading = {"NAME", "AGE"};
  if (wide) heading.insert(heading.end(), {"ENTRYPOINT", "TEMPLATES", "LABELS"});
  if (namespaces) heading.insert(heading.begin(), "NAMESPACE");
  rows.push_back(heading);
  for (const Json& tmpl : templates) {
    const Json metadata = tmpl.value("metadata", Json::object());
    const Json spec = tmpl.value("spec", Json::object());
    std::vector<std::string> row = {metadata.value("name", ""), Age(metadata, now)};
    if (wide) {
      row.insert(row.end(), {spec.value("entrypoint", ""), TemplateNames(spec), Labels(metadata)});
    }
    if (namespaces) row.insert(row.begin(), metadata.value("namespace", ""));
    rows.push_back(std::move(row));
  }
  PrintTable(out, rows);
}

void PrintTemplateDetails(std::ostream& out, const Json& tmpl, Clock::time_point now) {
  auto field = [&](const std::string& name, const std::string& value) {
    out << fmt::format("{:<20} {}\n", name + ":", value);
  };
  const Json metadata = tmpl.value("metadata", Json::object());
  const Json spec = tmpl.value("spec", Json::object());
  field("Name", metadata.value("name", ""));
  if (metadata.contains("namespace")) field("Namespace", metadata.value("namespace", ""));
  if (auto created = engine::ParseTimestamp(metadata.value("creationTimestamp", ""))) {
    field("Created", LocalTime(*created, "%a %b %d %H:%M:%S %z") + " (" +
                         ShortDuration(now - *created) + " ago)");
  }
  if (std::string labels = Labels(metadata); !labels.empty()) field("Labels", labels);
  if (spec.contains("entrypoint")) field("Entrypoint", spec.value("entrypoint", ""));
  field("Templates", TemplateNames(spec));
  const Json parameters =
      spec.value("arguments", Json::object()).value("parameters", Json::array());
  if (parameters.is_array() && !parameters.empty()) {
    field("Parameters", "");
    for (const Json& p : parameters) {
      const Json value = p.value("value", Json());
      field("  " + p.value("name", ""), value.is_string() ? value.get<std::string>()
                                        : value.is_null() ? ""
                                                          : value.dump());
    }
  }
}

}  // namespace loom::cli
