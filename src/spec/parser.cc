// Document-level parsing: YAML stream -> documents; for each, apiVersion and
// kind, the shape check, templateDefaults, then the typed model.
#include "spec/parser.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "spec/cron_checks.h"
#include "spec/model_reader.h"
#include "spec/schema_check.h"
#include "spec/suggest.h"
#include "spec/template_defaults.h"
#include "spec/yaml_util.h"

namespace loom::spec {
namespace {

constexpr const char* kApiVersion = "argoproj.io/v1alpha1";

std::optional<Kind> KindFromName(const std::string& name) {
  for (Kind kind : {Kind::kWorkflow, Kind::kWorkflowTemplate, Kind::kClusterWorkflowTemplate,
                    Kind::kCronWorkflow}) {
    if (name == KindName(kind)) return kind;
  }
  return std::nullopt;
}

class DocumentParser {
 public:
  DocumentParser(const std::string& file, Diagnostics& diagnostics)
      : file_(file), diagnostics_(diagnostics), checker_(file) {}

  std::optional<Workflow> Parse(YAML::Node doc);

 private:
  void Error(const YAML::Node& at, std::string message) {
    diagnostics_.push_back({file_, PosOf(at), std::move(message)});
  }
  // apiVersion and kind; nullopt (with a diagnostic) when unusable.
  std::optional<Kind> CheckHeader(const YAML::Node& doc);

  const std::string& file_;
  Diagnostics& diagnostics_;
  SchemaChecker checker_;
};

std::optional<Kind> DocumentParser::CheckHeader(const YAML::Node& doc) {
  const YAML::Node api = doc["apiVersion"];
  if (IsUnset(api)) {
    Error(doc, fmt::format("missing apiVersion (expected {})", kApiVersion));
  } else if (!api.IsScalar() || api.Scalar() != kApiVersion) {
    Error(api, fmt::format("apiVersion '{}' is not supported (expected {})",
                           api.IsScalar() ? api.Scalar() : "", kApiVersion));
  }
  const YAML::Node kind_node = doc["kind"];
  if (IsUnset(kind_node) || !kind_node.IsScalar()) {
    Error(IsUnset(kind_node) ? doc : kind_node,
          "missing kind (expected Workflow, WorkflowTemplate, ClusterWorkflowTemplate or "
          "CronWorkflow)");
    return std::nullopt;
  }
  std::optional<Kind> kind = KindFromName(kind_node.Scalar());
  if (!kind) {
    Error(kind_node,
          fmt::format("kind '{}' is not supported (expected Workflow, WorkflowTemplate, "
                      "ClusterWorkflowTemplate or CronWorkflow){}",
                      kind_node.Scalar(),
                      DidYouMean(kind_node.Scalar(), {"Workflow", "WorkflowTemplate",
                                                      "ClusterWorkflowTemplate", "CronWorkflow"})));
  }
  return kind;
}

std::optional<Workflow> DocumentParser::Parse(YAML::Node doc) {
  size_t errors_before = diagnostics_.size();
  if (!IsMap(doc)) {
    Error(doc, fmt::format("a document must be a map, not {}", NodeTypeName(doc)));
    return std::nullopt;
  }
  std::optional<Kind> kind = CheckHeader(doc);
  checker_.CheckObject(doc, "Document", "");
  YAML::Node spec = doc["spec"];
  if (IsUnset(spec)) {
    Error(doc, "missing spec");
  } else if (kind == Kind::kCronWorkflow) {
    checker_.CheckObject(spec, "CronWorkflowSpec", "spec");
    if (IsMap(spec)) {
      if (IsUnset(spec["workflowSpec"])) Error(spec, "missing spec.workflowSpec");
      checker_.CheckObject(spec["workflowSpec"], "WorkflowSpec", "spec.workflowSpec");
    }
    if (checker_.diagnostics().empty()) CheckCronWorkflow(doc, file_, diagnostics_);
  } else {
    checker_.CheckObject(spec, "WorkflowSpec", "spec");
  }
  for (Diagnostic& d : checker_.diagnostics()) diagnostics_.push_back(std::move(d));
  checker_.diagnostics().clear();
  if (diagnostics_.size() != errors_before || !kind) return std::nullopt;

  YAML::Node workflow_spec = kind == Kind::kCronWorkflow ? YAML::Node(spec["workflowSpec"]) : spec;
  const YAML::Node defaults = workflow_spec["templateDefaults"];
  if (IsMap(defaults)) {
    for (YAML::Node tmpl : workflow_spec["templates"]) MergeTemplateDefaults(defaults, tmpl);
  }

  Workflow workflow;
  workflow.kind = *kind;
  workflow.file = file_;
  workflow.pos = PosOf(doc);
  ModelReader reader(file_, diagnostics_);
  workflow.metadata = reader.ReadMeta(doc["metadata"]);
  workflow.spec = reader.ReadSpec(workflow_spec);
  if (*kind == Kind::kCronWorkflow) {
    if (!IsUnset(spec["schedule"])) workflow.spec.schedules.push_back(ScalarText(spec["schedule"]));
    for (const YAML::Node& s : spec["schedules"]) workflow.spec.schedules.push_back(ScalarText(s));
    if (!IsUnset(spec["timezone"])) workflow.spec.timezone = ScalarText(spec["timezone"]);
    if (!IsUnset(spec["concurrencyPolicy"])) {
      workflow.spec.concurrency_policy = ScalarText(spec["concurrencyPolicy"]);
    }
  }
  workflow.kubernetes_fields = std::move(checker_.kubernetes_fields());
  checker_.kubernetes_fields().clear();
  if (diagnostics_.size() != errors_before) return std::nullopt;
  return workflow;
}

// yaml-cpp's message for a tab in indentation does not mention the tab.
std::string TabHint(std::string_view text, int line) {
  size_t start = 0;
  for (int i = 1; i < line && start != std::string_view::npos; ++i) {
    start = text.find('\n', start);
    if (start != std::string_view::npos) ++start;
  }
  if (start == std::string_view::npos) return "";
  std::string_view rest = text.substr(start);
  std::string_view indent = rest.substr(0, rest.find_first_not_of(" \t"));
  return indent.find('\t') != std::string_view::npos
             ? " (line starts with a tab: YAML indentation must use spaces)"
             : "";
}

}  // namespace

ParseResult ParseText(std::string_view text, const std::string& file) {
  ParseResult result;
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    SourcePos pos = e.mark.is_null() ? SourcePos{} : SourcePos{e.mark.line + 1, e.mark.column + 1};
    result.diagnostics.push_back(
        {file, pos, fmt::format("invalid YAML: {}{}", e.msg, TabHint(text, pos.line))});
    return result;
  }
  for (YAML::Node& doc : docs) {
    if (IsUnset(doc)) continue;  // an empty document between `---` lines
    DocumentParser parser(file, result.diagnostics);
    try {
      if (std::optional<Workflow> workflow = parser.Parse(doc))
        result.documents.push_back(std::move(*workflow));
    } catch (const YAML::Exception& e) {
      // The shape check runs first, so this means a gap in the field tables.
      result.diagnostics.push_back(
          {file, PosOf(doc), fmt::format("cannot read document: {}", e.what())});
    }
  }
  if (docs.empty() && result.diagnostics.empty()) {
    result.diagnostics.push_back({file, {}, "no documents in file"});
  }
  return result;
}

ParseResult ParseFile(const std::string& path) {
  std::stringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      ParseResult result;
      result.diagnostics.push_back(
          {path, {}, fmt::format("cannot read file: {}", std::strerror(errno))});
      return result;
    }
    buffer << in.rdbuf();
  }
  return ParseText(buffer.str(), path == "-" ? "<stdin>" : path);
}

}  // namespace loom::spec
