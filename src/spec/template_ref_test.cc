// Finding what templateRef and workflowTemplateRef name in a library, and
// qualifying a WorkflowTemplate's local references.
#include "spec/template_ref.h"

#include <gtest/gtest.h>

#include "spec/parser.h"

namespace loom::spec {
namespace {

constexpr const char* kLibrary = R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: lib}
spec:
  entrypoint: main
  workflowTemplateRef: {name: base, clusterScope: true}
  templates:
  - name: main
    steps:
    - - name: a
        templateRef: {name: lib, template: echo}
      - name: b
        templateRef: {name: lib, template: echo, clusterScope: true}
    - - name: c
        template: main
---
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: lib}
spec:
  templates:
  - name: echo
    container: {image: debian}
  - name: main
    dag:
      tasks:
      - {name: x, template: echo}
      - {name: y, templateRef: {name: other, template: z}}
---
apiVersion: argoproj.io/v1alpha1
kind: ClusterWorkflowTemplate
metadata: {name: lib}
spec:
  templates:
  - name: echo
    script: {image: debian, source: echo}
)";

class TemplateRefTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ParseResult parsed = ParseText(kLibrary, "lib.yaml");
    ASSERT_TRUE(parsed.ok()) << parsed.diagnostics.front().ToString();
    documents_ = std::move(parsed.documents);
  }
  std::vector<Workflow> documents_;
};

TEST_F(TemplateRefTest, AReferenceFindsTheDocumentOfItsKindAndName) {
  EXPECT_EQ(FindTemplateDocument(documents_, {"lib", false}), &documents_[1]);
  EXPECT_EQ(FindTemplateDocument(documents_, {"lib", true}), &documents_[2]);
  EXPECT_EQ(FindTemplateDocument(documents_, {"base", false}), nullptr);

  const auto& group = documents_[0].spec.templates[0].steps[0];
  const Template* namespaced = FindReferencedTemplate(documents_, group[0]);
  const Template* cluster = FindReferencedTemplate(documents_, group[1]);
  ASSERT_NE(namespaced, nullptr);
  ASSERT_NE(cluster, nullptr);
  EXPECT_EQ(namespaced->kind, TemplateKind::kContainer);
  EXPECT_EQ(cluster->kind, TemplateKind::kScript);
  // A local `template:` is not a reference to another document.
  EXPECT_EQ(FindReferencedTemplate(documents_, documents_[0].spec.templates[0].steps[1][0]),
            nullptr);
  EXPECT_EQ(Describe({"lib", true}), "ClusterWorkflowTemplate 'lib'");
}

TEST_F(TemplateRefTest, ReferencedDocumentsListsTemplateRefsAndTheWorkflowTemplateRef) {
  std::set<TemplateDocumentRef> refs = ReferencedDocuments(documents_[0]);
  std::vector<std::pair<std::string, bool>> listed;
  for (const TemplateDocumentRef& ref : refs) listed.emplace_back(ref.name, ref.cluster_scope);
  EXPECT_EQ(listed, (std::vector<std::pair<std::string, bool>>{
                        {"lib", false}, {"base", true}, {"lib", true}}));
}

TEST_F(TemplateRefTest, QualifyingMakesLocalReferencesNameTheirDocument) {
  QualifyLocalReferences(documents_[1]);
  const std::vector<Invocation>& tasks = documents_[1].spec.templates[1].dag.tasks;
  EXPECT_TRUE(tasks[0].template_name.empty());
  EXPECT_EQ(tasks[0].template_ref_name, "lib");
  EXPECT_EQ(tasks[0].template_ref_template, "echo");
  EXPECT_FALSE(tasks[0].template_ref_cluster_scope);
  EXPECT_EQ(FindReferencedTemplate(documents_, tasks[0]), &documents_[1].spec.templates[0]);
  // A reference to another document stays as it was.
  EXPECT_EQ(tasks[1].template_ref_name, "other");
  EXPECT_EQ(tasks[1].template_ref_template, "z");
}

}  // namespace
}  // namespace loom::spec
