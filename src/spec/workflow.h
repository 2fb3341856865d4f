// The typed model of an Argo `argoproj.io/v1alpha1` document (Workflow,
// WorkflowTemplate, ClusterWorkflowTemplate, CronWorkflow), as the parser
// produces it and the engine consumes it.
//
// Strings are kept exactly as written: `{{...}}` tags are resolved later by the
// engine, at the moment Argo would resolve them. Every element remembers where
// it was written (SourcePos) so validation and runtime errors can point at it.
// Fields Loom does not act on (image, serviceAccountName, ...) are kept only
// where they show up in output.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"

namespace loom::spec {

// 1-based line and column in the source file; 0 when unknown.
struct SourcePos {
  int line = 0;
  int column = 0;
};

// valueFrom of a parameter: where an output (or input) parameter's value comes from.
struct ValueFrom {
  std::optional<std::string> path;        // a file the step wrote
  std::optional<std::string> expression;  // expr-lang, for dag/steps outputs
  std::optional<std::string> parameter;   // "{{steps.X.outputs.parameters.Y}}"
  std::optional<std::string> json_path;   // kept for lint; resource templates only
  std::optional<std::string> supplied;    // set by `loom node set` (suspend outputs)
  std::optional<std::string> default_value;
  SourcePos pos;
};

struct Parameter {
  std::string name;
  std::optional<std::string> value;  // non-string YAML scalars are kept as written
  std::optional<std::string> default_value;
  std::vector<std::string> enum_values;
  std::optional<ValueFrom> value_from;
  std::string global_name;
  std::string description;
  SourcePos pos;
};

struct Artifact {
  std::string name;
  std::string path;
  std::string from;                     // "{{steps.X.outputs.artifacts.Y}}"
  std::string from_expression;          // expr-lang yielding an artifact
  std::optional<std::string> raw_data;  // raw.data: inline file contents
  bool optional = false;
  bool archive_none = false;  // archive: {none: {}}; default tar+gzip
  std::string global_name;
  std::optional<int> mode;
  SourcePos pos;
  bool has_location = false;  // s3, gcs, http, git, ... written: the artifact comes from there
};

struct Inputs {
  std::vector<Parameter> parameters;
  std::vector<Artifact> artifacts;
};

struct Outputs {
  std::vector<Parameter> parameters;
  std::vector<Artifact> artifacts;
};

struct Arguments {
  std::vector<Parameter> parameters;
  std::vector<Artifact> artifacts;
};

struct EnvVar {
  std::string name;
  std::string value;
  SourcePos pos;
};

// Resource requests/limits, as written (quantities may be templated).
struct Resources {
  std::map<std::string, std::string> requests;  // "cpu" -> "500m", "memory" -> "2Gi", ...
  std::map<std::string, std::string> limits;
  SourcePos pos;
};

struct VolumeMount {
  std::string name;
  std::string mount_path;
  SourcePos pos;
};

// container: and script: (a script is a container plus `source`).
struct Container {
  std::string image;
  std::vector<std::string> command;
  std::vector<std::string> args;
  std::vector<EnvVar> env;
  std::string working_dir;
  Resources resources;
  std::vector<VolumeMount> volume_mounts;
  std::optional<std::string> source;  // script templates only
  SourcePos pos;
};

struct Backoff {
  std::optional<std::string> duration;  // "1", "2s", "1m"
  std::optional<std::string> factor;    // int or string
  std::optional<std::string> max_duration;
  std::optional<std::string> cap;
  SourcePos pos;
};

struct RetryStrategy {
  std::optional<std::string> limit;  // int or string, may be templated
  std::string retry_policy;          // "", Always, OnFailure, OnError, OnTransientError
  std::optional<Backoff> backoff;
  std::optional<std::string> expression;  // expr-lang over lastRetry.*
  SourcePos pos;
};

struct ContinueOn {
  bool error = false;
  bool failed = false;
};

struct Sequence {
  std::optional<std::string> count;
  std::optional<std::string> start;
  std::optional<std::string> end;
  std::optional<std::string> format;
  SourcePos pos;
};

// A lifecycle hook (`hooks.exit`, or a named hook with an expression).
struct Hook {
  std::string name;  // "exit" for the exit hook
  std::string template_name;
  Arguments arguments;
  std::string expression;
  SourcePos pos;
};

// A step of a steps template or a task of a dag template: they share nearly
// every field; `dependencies` and `depends` exist only on DAG tasks.
struct Invocation {
  std::string name;
  std::string template_name;                     // `template:`
  std::optional<std::string> template_ref_name;  // templateRef.name
  std::optional<std::string> template_ref_template;
  bool template_ref_cluster_scope = false;  // a ClusterWorkflowTemplate's
  Arguments arguments;
  std::vector<std::string> dependencies;
  std::optional<std::string> depends;
  std::optional<std::string> when;
  std::optional<Json> with_items;  // a JSON array, items may be scalars or maps
  std::optional<std::string> with_param;
  std::optional<Sequence> with_sequence;
  std::optional<ContinueOn> continue_on;
  std::string on_exit;  // deprecated onExit: template name
  std::vector<Hook> hooks;
  SourcePos pos;
  SourcePos with_items_pos;
  SourcePos template_pos;  // of `template:` (or templateRef), for unknown-template errors
  SourcePos depends_pos;   // of `depends:` or `dependencies:`
};

struct Dag {
  std::vector<Invocation> tasks;
  std::optional<std::string> target;  // space-separated task names, may be templated
  std::optional<bool> fail_fast;      // default true
  SourcePos pos;
};

struct Suspend {
  std::optional<std::string> duration;  // "20", "20s", "5m"; absent = until resumed
  SourcePos pos;
};

// A semaphore of `synchronization`: its limit is the value of `key` in the
// ConfigMap `config_map` (which Loom reads from its sync config file).
struct SemaphoreRef {
  std::string config_map;  // configMapKeyRef.name, may be templated
  std::string key;         // configMapKeyRef.key, may be templated
  std::string namespace_;  // "" = the workflow's
  bool has_config_map_ref = false;
  // A database semaphore (Argo 3.6): valid Argo, refused by a local run as a
  // Kubernetes-only field, so lint does not ask it for a configMapKeyRef.
  bool database = false;
  std::string where;  // "semaphore" or "semaphores[N]", for messages
  SourcePos pos;
};

struct MutexRef {
  std::string name;  // may be templated
  std::string namespace_;
  std::string where;  // "mutex" or "mutexes[N]"
  SourcePos pos;
};

// `synchronization` of a workflow or template: the locks it needs, all of
// them, before it runs. The singular `semaphore` and `mutex` (Argo before
// v3.6) and the lists `semaphores` and `mutexes` are all taken, as in v3.6.
struct Synchronization {
  std::vector<SemaphoreRef> semaphores;
  std::vector<MutexRef> mutexes;
  SourcePos pos;
};

enum class TemplateKind {
  kContainer,
  kScript,
  kDag,
  kSteps,
  kSuspend,
  kResource,
  kHttp,
  kData,
  kUnknown
};

struct Metadata {
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

struct Template {
  std::string name;
  TemplateKind kind = TemplateKind::kUnknown;
  Inputs inputs;
  Outputs outputs;
  Container container;  // kContainer and kScript
  Dag dag;              // kDag
  std::vector<std::vector<Invocation>>
      steps;  // kSteps: groups run in order, steps of a group in parallel
  std::vector<SourcePos> step_group_pos;
  Suspend suspend;  // kSuspend
  std::optional<RetryStrategy> retry_strategy;
  std::optional<std::string> active_deadline_seconds;  // int or string, may be templated
  std::optional<std::string> timeout;                  // "30s", may be templated
  std::optional<std::string> parallelism;
  std::optional<bool> fail_fast;
  Metadata metadata;
  std::vector<std::string> empty_dir_volumes;  // template-level emptyDir volume names
  SourcePos pos;
  // The kind fields written (container, steps, ...): exactly one is valid;
  // `kind` is kUnknown unless there is exactly one.
  std::vector<std::string> declared_kinds;
  std::optional<Synchronization> synchronization;
  std::optional<Json> memoize;
  bool daemon = false;
};

struct ObjectMeta {
  std::string name;
  std::string generate_name;
  std::string namespace_;
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
};

struct WorkflowSpec {
  std::string entrypoint;
  SourcePos entrypoint_pos;
  Arguments arguments;
  std::vector<Template> templates;
  std::string on_exit;
  std::vector<Hook> hooks;
  std::optional<std::string> parallelism;
  std::optional<std::string> active_deadline_seconds;
  std::optional<RetryStrategy>
      retry_strategy;  // spec.retryStrategy (applies to none; kept for lint)
  std::optional<std::string> workflow_template_ref;  // workflowTemplateRef.name
  bool workflow_template_ref_cluster_scope = false;
  SourcePos workflow_template_ref_pos;
  std::vector<std::string> empty_dir_volumes;  // spec.volumes[].emptyDir names
  std::optional<int> priority;
  std::optional<Synchronization> synchronization;
  std::string service_account_name;
  // CronWorkflow only.
  std::vector<std::string> schedules;  // `schedule` and `schedules` together
  std::string timezone;
  std::string concurrency_policy;
  SourcePos pos;
};

// Where a field that only a Kubernetes executor can honour was written
// (sidecars, s3 artifacts, non-emptyDir volumes, ...), or one the local
// executor does not honour yet (memoize, http, data and
// containerSet templates): a local run rejects it rather than ignore it.
struct KubernetesField {
  std::string path;  // "spec.templates[1].sidecars"
  SourcePos pos;
};

enum class Kind { kWorkflow, kWorkflowTemplate, kClusterWorkflowTemplate, kCronWorkflow };

// One YAML document of a file.
struct Workflow {
  Kind kind = Kind::kWorkflow;
  ObjectMeta metadata;
  WorkflowSpec spec;
  std::string file;  // path as given, for messages
  SourcePos pos;
  std::vector<KubernetesField> kubernetes_fields;

  // The template with this name, or nullptr.
  const Template* FindTemplate(const std::string& name) const;
};

const char* KindName(Kind kind);
const char* TemplateKindName(TemplateKind kind);

}  // namespace loom::spec
