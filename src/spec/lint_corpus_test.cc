// Data-driven lint tests: every file under tests/lint/ is a small workflow
// with one mistake and `# expect: LINE:COL: MESSAGE-SUBSTRING` lines at the
// top; parsing plus validation must produce exactly those diagnostics. Argo's
// own conformance examples must produce none.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "spec/parser.h"
#include "spec/validator.h"

namespace loom::spec {
namespace {

namespace fs = std::filesystem;

fs::path SourceDir() {
  if (const char* dir = std::getenv("LOOM_SOURCE_DIR")) return dir;
  return fs::path(__FILE__).parent_path().parent_path().parent_path();
}

Diagnostics Lint(const std::string& path) {
  ParseResult parsed = ParseFile(path);
  Diagnostics all = parsed.diagnostics;
  for (const Workflow& wf : parsed.documents) {
    for (Diagnostic& d : Validate(wf)) all.push_back(std::move(d));
  }
  return all;
}

std::vector<fs::path> FilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml" || entry.path().extension() == ".json")
      files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

struct Expectation {
  int line;
  int column;
  std::string message;
};

// Leading "# expect: LINE:COL: MESSAGE" lines. Parsed by hand: <regex> trips
// g++ 12's -Wmaybe-uninitialized under the sanitizer build.
std::vector<Expectation> ReadExpectations(const fs::path& path) {
  static const std::string kPrefix = "# expect: ";
  std::vector<Expectation> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line) && line.rfind(kPrefix, 0) == 0) {
    std::istringstream fields(line.substr(kPrefix.size()));
    Expectation e{};
    char colon1 = 0, colon2 = 0;
    fields >> e.line >> colon1 >> e.column >> colon2;
    if (!fields || colon1 != ':' || colon2 != ':') {
      ADD_FAILURE() << path << ": malformed expect line: " << line;
      break;
    }
    std::getline(fields >> std::ws, e.message);
    out.push_back(e);
  }
  return out;
}

TEST(LintCorpusTest, EveryFileGivesExactlyItsExpectedDiagnostics) {
  std::vector<fs::path> files = FilesIn(SourceDir() / "tests" / "lint");
  ASSERT_GE(files.size(), 30u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    std::vector<Expectation> expected = ReadExpectations(file);
    ASSERT_FALSE(expected.empty()) << "no '# expect:' line";
    Diagnostics actual = Lint(file.string());
    std::string all;
    for (const Diagnostic& d : actual) all += d.ToString() + "\n";
    ASSERT_EQ(actual.size(), expected.size()) << all;
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(actual[i].pos.line, expected[i].line) << all;
      EXPECT_EQ(actual[i].pos.column, expected[i].column) << all;
      EXPECT_NE(actual[i].message.find(expected[i].message), std::string::npos) << all;
    }
  }
}

TEST(LintCorpusTest, ArgoConformanceExamplesAreValid) {
  std::vector<fs::path> files =
      FilesIn(SourceDir().parent_path() / "shared" / "conformance" / "argo-examples");
  ASSERT_GE(files.size(), 50u);
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.filename().string());
    ParseResult parsed = ParseFile(file.string());
    EXPECT_EQ(parsed.documents.size(), 1u);
    Diagnostics all = Lint(file.string());
    for (const Diagnostic& d : all) ADD_FAILURE() << d.ToString();
  }
}

}  // namespace
}  // namespace loom::spec
