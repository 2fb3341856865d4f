// Field tables, from Argo's docs/fields.md (v3.5-v4) and the Kubernetes core
// types Argo embeds (Container, Volume, ObjectMeta).
#include "spec/schema.h"

#include <string>

namespace loom::spec {
namespace {

constexpr Shape S = Shape::kScalar;
constexpr Shape O = Shape::kObject;
constexpr Shape L = Shape::kObjectList;
constexpr Shape A = Shape::kAny;
constexpr Shape SL = Shape::kScalarList;
constexpr Shape SM = Shape::kStringMap;

// Fields a Kubernetes container accepts; script adds `source`.
std::vector<FieldSchema> ContainerFields() {
  return {{"name", S},
          {"image", S},
          {"command", SL},
          {"args", SL},
          {"env", L, "EnvVar"},
          {"envFrom", A},
          {"workingDir", S},
          {"resources", O, "Resources"},
          {"volumeMounts", L, "VolumeMount"},
          {"volumeDevices", A},
          {"imagePullPolicy", S},
          {"ports", A},
          {"lifecycle", A},
          {"livenessProbe", A},
          {"readinessProbe", A},
          {"startupProbe", A},
          {"securityContext", A},
          {"stdin", S},
          {"stdinOnce", S},
          {"tty", S},
          {"terminationMessagePath", S},
          {"terminationMessagePolicy", S},
          {"resizePolicy", A},
          {"restartPolicy", S}};
}

std::vector<FieldSchema> With(std::vector<FieldSchema> base, std::vector<FieldSchema> extra) {
  base.insert(base.end(), extra.begin(), extra.end());
  return base;
}

// Fields shared by steps (WorkflowStep) and tasks (DAGTask).
std::vector<FieldSchema> InvocationFields() {
  return {{"name", S},
          {"template", S},
          {"templateRef", O, "TemplateRef"},
          {"inline", O, "Template"},
          {"arguments", O, "Arguments"},
          {"when", S},
          {"withItems", Shape::kList},
          {"withParam", S},
          {"withSequence", O, "Sequence"},
          {"continueOn", O, "ContinueOn"},
          {"onExit", S},
          {"hooks", Shape::kObjectMap, "LifecycleHook"}};
}

// Artifact locations other than the local repository need a cluster's
// credentials and storage.
std::vector<FieldSchema> ArtifactFields() {
  return {{"name", S},
          {"path", S},
          {"from", S},
          {"fromExpression", S},
          {"optional", S},
          {"archive", O, "ArchiveStrategy"},
          {"raw", O, "Raw"},
          {"globalName", S},
          {"mode", S},
          {"subPath", S},
          {"recurseMode", S},
          {"archiveLogs", S},
          {"deleted", S},
          {"artifactGC", A},
          {"s3", A, nullptr, true},
          {"gcs", A, nullptr, true},
          {"http", A, nullptr, true},
          {"git", A, nullptr, true},
          {"azure", A, nullptr, true},
          {"hdfs", A, nullptr, true},
          {"oss", A, nullptr, true},
          {"artifactory", A, nullptr, true},
          {"plugin", A, nullptr, true}};
}

std::vector<ObjectSchema> BuildTables() {
  std::vector<ObjectSchema> t;
  t.push_back({"Document",
               {{"apiVersion", S},
                {"kind", S},
                {"metadata", O, "ObjectMeta"},
                {"spec", A},
                {"status", A}}});
  t.push_back({"ObjectMeta",
               {{"name", S},
                {"generateName", S},
                {"namespace", S},
                {"labels", SM},
                {"annotations", SM},
                {"uid", S},
                {"resourceVersion", S},
                {"generation", S},
                {"creationTimestamp", S},
                {"deletionTimestamp", S},
                {"deletionGracePeriodSeconds", S},
                {"ownerReferences", A},
                {"finalizers", SL},
                {"managedFields", A},
                {"selfLink", S}}});
  t.push_back({"WorkflowSpec",
               {{"entrypoint", S},
                {"arguments", O, "Arguments"},
                {"templates", L, "Template"},
                {"templateDefaults", O, "Template"},
                {"onExit", S},
                {"hooks", Shape::kObjectMap, "LifecycleHook"},
                {"parallelism", S},
                {"activeDeadlineSeconds", S},
                {"retryStrategy", O, "RetryStrategy"},
                {"workflowTemplateRef", O, "WorkflowTemplateRef"},
                {"volumes", L, "Volume"},
                {"volumeClaimTemplates", A, nullptr, true},
                {"volumeClaimGC", A},
                {"priority", S},
                {"serviceAccountName", S},
                {"automountServiceAccountToken", S},
                {"executor", A},
                {"affinity", A},
                {"tolerations", A},
                {"nodeSelector", A},
                {"securityContext", A},
                {"imagePullSecrets", A},
                {"hostNetwork", S},
                {"hostAliases", A},
                {"dnsPolicy", S},
                {"dnsConfig", A},
                {"schedulerName", S},
                {"podGC", A},
                {"podMetadata", A},
                {"podPriority", S},
                {"podPriorityClassName", S},
                {"podDisruptionBudget", A},
                {"podSpecPatch", S, nullptr, true},
                {"ttlStrategy", A},
                {"archiveLogs", S},
                {"artifactRepositoryRef", A, nullptr, true},
                {"artifactGC", A},
                {"metrics", A},
                {"synchronization", O, "Synchronization"},
                {"shutdown", S},
                {"suspend", S},
                {"workflowMetadata", A}}});
  t.push_back({"CronWorkflowSpec",
               {{"workflowSpec", O, "WorkflowSpec"},
                {"schedule", S},
                {"schedules", SL},
                {"timezone", S},
                {"concurrencyPolicy", S},
                {"startingDeadlineSeconds", S},
                {"successfulJobsHistoryLimit", S},
                {"failedJobsHistoryLimit", S},
                {"suspend", S},
                {"workflowMetadata", A},
                {"stopStrategy", A, nullptr, true},
                {"when", S, nullptr, true}}});
  t.push_back({"Template",
               {{"name", S},
                {"inputs", O, "Inputs"},
                {"outputs", O, "Outputs"},
                {"container", O, "Container"},
                {"script", O, "Script"},
                {"dag", O, "DAG"},
                {"steps", Shape::kListOfLists, "WorkflowStep"},
                {"suspend", O, "Suspend"},
                {"resource", A, nullptr, true},
                {"http", A, nullptr, true},
                {"data", A, nullptr, true},
                {"plugin", A, nullptr, true},
                {"containerSet", A, nullptr, true},
                {"retryStrategy", O, "RetryStrategy"},
                {"activeDeadlineSeconds", S},
                {"timeout", S},
                {"parallelism", S},
                {"failFast", S},
                {"metadata", O, "TemplateMetadata"},
                {"annotations", SM},
                {"volumes", L, "Volume"},
                {"daemon", S, nullptr, true},
                {"sidecars", A, nullptr, true},
                {"initContainers", A, nullptr, true},
                {"podSpecPatch", S, nullptr, true},
                {"archiveLocation", A, nullptr, true},
                {"memoize", A, nullptr, true},
                {"synchronization", O, "Synchronization"},
                {"metrics", A},
                {"priority", S},
                {"priorityClassName", S},
                {"schedulerName", S},
                {"serviceAccountName", S},
                {"automountServiceAccountToken", S},
                {"executor", A},
                {"affinity", A},
                {"tolerations", A},
                {"nodeSelector", A},
                {"securityContext", A},
                {"hostAliases", A}}});
  t.push_back({"TemplateMetadata", {{"labels", SM}, {"annotations", SM}}});
  t.push_back({"Container", ContainerFields()});
  t.push_back({"Script", With(ContainerFields(), {{"source", S}})});
  t.push_back({"EnvVar", {{"name", S}, {"value", S}, {"valueFrom", A, nullptr, true}}});
  t.push_back({"Resources", {{"requests", SM}, {"limits", SM}, {"claims", A}}});
  t.push_back({"VolumeMount",
               {{"name", S},
                {"mountPath", S},
                {"readOnly", S},
                {"subPath", S},
                {"subPathExpr", S},
                {"mountPropagation", S},
                {"recursiveReadOnly", S}}});
  t.push_back({"Volume", {{"name", S}, {"emptyDir", A}}, true});
  t.push_back({"DAG", {{"tasks", L, "DAGTask"}, {"target", S}, {"failFast", S}}});
  t.push_back({"DAGTask", With(InvocationFields(), {{"dependencies", SL}, {"depends", S}})});
  t.push_back({"WorkflowStep", InvocationFields()});
  t.push_back({"TemplateRef", {{"name", S}, {"template", S}, {"clusterScope", S}}});
  t.push_back({"WorkflowTemplateRef", {{"name", S}, {"clusterScope", S}}});
  t.push_back({"Arguments", {{"parameters", L, "Parameter"}, {"artifacts", L, "Artifact"}}});
  t.push_back({"Inputs", {{"parameters", L, "Parameter"}, {"artifacts", L, "Artifact"}}});
  t.push_back({"Outputs",
               {{"parameters", L, "Parameter"},
                {"artifacts", L, "Artifact"},
                {"result", S},
                {"exitCode", S}}});
  t.push_back({"Parameter",
               {{"name", S},
                {"value", S},
                {"default", S},
                {"enum", SL},
                {"valueFrom", O, "ValueFrom"},
                {"globalName", S},
                {"description", S}}});
  t.push_back({"ValueFrom",
               {{"path", S},
                {"expression", S},
                {"parameter", S},
                {"jsonPath", S},
                {"jqFilter", S},
                {"supplied", A},
                {"default", S},
                {"event", S},
                {"configMapKeyRef", A, nullptr, true}}});
  t.push_back({"Artifact", ArtifactFields()});
  t.push_back({"ArchiveStrategy", {{"none", A}, {"tar", A}, {"zip", A}}});
  t.push_back({"Raw", {{"data", S}}});
  t.push_back({"RetryStrategy",
               {{"limit", S},
                {"retryPolicy", S},
                {"backoff", O, "Backoff"},
                {"expression", S},
                {"affinity", A}}});
  t.push_back({"Backoff", {{"duration", S}, {"factor", S}, {"maxDuration", S}, {"cap", S}}});
  t.push_back({"Sequence", {{"count", S}, {"start", S}, {"end", S}, {"format", S}}});
  t.push_back({"ContinueOn", {{"error", S}, {"failed", S}}});
  t.push_back({"Suspend", {{"duration", S}}});
  t.push_back({"Synchronization",
               {{"semaphore", O, "SemaphoreRef"},
                {"semaphores", L, "SemaphoreRef"},
                {"mutex", O, "Mutex"},
                {"mutexes", L, "Mutex"}}});
  // Database-backed locks are shared by several Argo controllers through SQL.
  t.push_back({"SemaphoreRef",
               {{"configMapKeyRef", O, "ConfigMapKeySelector"},
                {"namespace", S},
                {"database", A, nullptr, true}}});
  t.push_back({"ConfigMapKeySelector", {{"name", S}, {"key", S}, {"optional", S}}});
  t.push_back({"Mutex", {{"name", S}, {"namespace", S}, {"database", S, nullptr, true}}});
  t.push_back({"LifecycleHook",
               {{"template", S},
                {"templateRef", O, "TemplateRef"},
                {"arguments", O, "Arguments"},
                {"expression", S}}});
  return t;
}

}  // namespace

const FieldSchema* ObjectSchema::Find(std::string_view field) const {
  for (const FieldSchema& f : fields) {
    if (field == f.name) return &f;
  }
  return nullptr;
}

const ObjectSchema* FindObjectSchema(std::string_view type) {
  static const std::vector<ObjectSchema> tables = BuildTables();
  for (const ObjectSchema& schema : tables) {
    if (type == schema.name) return &schema;
  }
  return nullptr;
}

}  // namespace loom::spec
