// `synchronization` in the model (both Argo forms, checks with positions) and
// the file of ConfigMaps that gives semaphores their limits.
#include "spec/sync_config.h"

#include <gtest/gtest.h>

#include "spec/parser.h"
#include "spec/validator.h"

namespace loom::spec {
namespace {

std::string Errors(const std::string& yaml) {
  ParseResult parsed = ParseText(yaml, "wf.yaml");
  std::string all;
  for (const Diagnostic& d : parsed.diagnostics) all += d.ToString() + "\n";
  ValidateOptions local;
  local.local_run = true;
  for (const Workflow& w : parsed.documents) {
    for (const Diagnostic& d : Validate(w, local)) all += d.ToString() + "\n";
  }
  return all;
}

TEST(Synchronization, BothFormsAreReadAndAllLocksKept) {
  ParseResult parsed = ParseText(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: locks}
spec:
  entrypoint: main
  synchronization:
    semaphore: {configMapKeyRef: {name: my-config, key: workflow}}
    mutexes: [{name: alpha}, {name: beta, namespace: other}]
  templates:
  - name: main
    synchronization:
      mutex: {name: single}
      semaphores:
      - configMapKeyRef: {name: my-config, key: template}
    container: {image: alpine, command: ["true"]}
)",
                                 "wf.yaml");
  ASSERT_TRUE(parsed.ok()) << parsed.diagnostics[0].ToString();
  const Workflow& w = parsed.documents[0];
  ASSERT_TRUE(w.spec.synchronization);
  ASSERT_EQ(w.spec.synchronization->semaphores.size(), 1u);
  EXPECT_EQ(w.spec.synchronization->semaphores[0].config_map, "my-config");
  EXPECT_EQ(w.spec.synchronization->semaphores[0].key, "workflow");
  ASSERT_EQ(w.spec.synchronization->mutexes.size(), 2u);
  EXPECT_EQ(w.spec.synchronization->mutexes[1].namespace_, "other");
  const Template& t = w.spec.templates[0];
  ASSERT_TRUE(t.synchronization);
  EXPECT_EQ(t.synchronization->mutexes[0].name, "single");
  EXPECT_EQ(t.synchronization->semaphores[0].key, "template");
  EXPECT_TRUE(w.kubernetes_fields.empty());
  EXPECT_EQ(Validate(w).size(), 0u);
}

TEST(Synchronization, MissingNamesAndKeysAreErrorsWithPositions) {
  std::string errors = Errors(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: locks}
spec:
  entrypoint: main
  synchronization:
    mutex: {namespace: x}
  templates:
  - name: main
    synchronization:
      semaphores:
      - configMapKeyRef: {name: my-config}
      - namespace: x
    container: {image: alpine, command: ["true"]}
)");
  EXPECT_NE(errors.find("wf.yaml:7:12: error: spec.synchronization.mutex.name is required"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("wf.yaml:12:9: error: template 'main': "
                        "synchronization.semaphores[0].configMapKeyRef.key is required"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("wf.yaml:13:9: error: template 'main': synchronization.semaphores[1] "
                        "needs a configMapKeyRef"),
            std::string::npos)
      << errors;
}

TEST(Synchronization, BadShapesAreErrors) {
  std::string errors = Errors(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: locks}
spec:
  entrypoint: main
  synchronization:
    mutexes: {name: a}
    semaphor: {}
  templates:
  - name: main
    synchronization: [mutex]
    container: {image: alpine, command: ["true"]}
)");
  EXPECT_NE(errors.find("wf.yaml:7:14: error: spec.synchronization.mutexes must be a list"),
            std::string::npos)
      << errors;
  EXPECT_NE(errors.find("wf.yaml:8:5: error: unknown field 'semaphor'"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("wf.yaml:11:22: error: spec.templates[0].synchronization must be a map"),
            std::string::npos)
      << errors;
}

TEST(Synchronization, DatabaseLocksAreRefusedForALocalRun) {
  std::string errors = Errors(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: locks}
spec:
  entrypoint: main
  synchronization:
    semaphores: [{database: {key: foo}}]
  templates:
  - name: main
    container: {image: alpine, command: ["true"]}
)");
  EXPECT_NE(errors.find("spec.synchronization.semaphores[0].database is not supported by the "
                        "local executor"),
            std::string::npos)
      << errors;
}

const char* kConfig = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: my-config
data:
  workflow: "1"
  template: 2
  note: not a number
---
apiVersion: v1
kind: ConfigMap
metadata: {name: my-config, namespace: team}
data: {workflow: "5", zero: "0"}
)";

TEST(SyncConfig, LimitsComeFromConfigMapKeys) {
  auto config = ParseSyncConfig(kConfig, "sync.yaml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->SemaphoreLimit("default", "my-config", "workflow").value(), 1);
  EXPECT_EQ(config->SemaphoreLimit("default", "my-config", "template").value(), 2);
  EXPECT_EQ(config->SemaphoreLimit("team", "my-config", "workflow").value(), 5);
}

TEST(SyncConfig, MissingOrBadLimitsSayWhy) {
  auto config = ParseSyncConfig(kConfig, "sync.yaml");
  ASSERT_TRUE(config.ok()) << config.error();
  EXPECT_EQ(config->SemaphoreLimit("default", "other", "workflow").error(),
            "sync.yaml has no ConfigMap other in namespace default");
  EXPECT_EQ(config->SemaphoreLimit("default", "my-config", "nope").error(),
            "ConfigMap my-config in sync.yaml has no key nope");
  EXPECT_EQ(config->SemaphoreLimit("default", "my-config", "note").error(),
            "sync.yaml:8:9: error: key note of ConfigMap my-config is 'not a number', not a "
            "positive integer");
  EXPECT_NE(config->SemaphoreLimit("team", "my-config", "zero").error().find("'0'"),
            std::string::npos);
  EXPECT_NE(SyncConfig()
                .SemaphoreLimit("default", "my-config", "workflow")
                .error()
                .find("--sync-config FILE"),
            std::string::npos);
}

TEST(SyncConfig, OnlyNamedConfigMapsAreAccepted) {
  auto config = ParseSyncConfig(R"(kind: Secret
metadata: {name: s}
---
kind: ConfigMap
metadata: {namespace: x}
---
kind: ConfigMap
metadata: {name: a}
data: [1]
---
kind: ConfigMap
metadata: {name: b}
---
kind: ConfigMap
metadata: {name: b}
)",
                                "sync.yaml");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().find("sync.yaml:1:7: error: kind must be ConfigMap"), std::string::npos)
      << config.error();
  EXPECT_NE(config.error().find("sync.yaml:5:11: error: a ConfigMap needs metadata.name"),
            std::string::npos)
      << config.error();
  EXPECT_NE(config.error().find("sync.yaml:9:7: error: data must be a map"), std::string::npos)
      << config.error();
  EXPECT_NE(config.error().find("sync.yaml:15:18: error: ConfigMap b in namespace default is "
                                "given twice"),
            std::string::npos)
      << config.error();
}

TEST(SyncConfig, AMissingDefaultFileIsNoConfigButAMissingFlagFileIsAnError) {
  auto none = LoadSyncConfig("", "/nonexistent/synchronization.yaml");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->file(), "");
  auto missing = LoadSyncConfig("/nonexistent/sync.yaml", "/nonexistent/synchronization.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("/nonexistent/sync.yaml: cannot read"), std::string::npos);
}

}  // namespace
}  // namespace loom::spec
