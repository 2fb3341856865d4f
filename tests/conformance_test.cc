// Argo conformance: runs every example in ../shared/conformance/argo-examples
// with the real `loom` binary (`loom run FILE -o json`) and checks the final
// phase and the assertions its expected.tsv row lists (grammar in that
// folder's README). One test per row, so ctest can run them in parallel;
// the Slurm/ rows run them again with --executor slurm on the test cluster.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/json.h"
#include "tests/loom_process.h"
#include "tests/slurm_cluster.h"

namespace loom {
namespace {

namespace fs = std::filesystem;

struct Row {
  std::string file, phase, checks, host_ok, notes;
};

// Names a row by its file in test output.
void PrintTo(const Row& row, std::ostream* out) { *out << row.file; }

fs::path ExamplesDir() { return fs::path(SharedDir()) / "conformance" / "argo-examples"; }

std::vector<Row> LoadRows() {
  std::vector<Row> rows;
  std::ifstream in(ExamplesDir() / "expected.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    cols.resize(5);
    rows.push_back({cols[0], cols[1], cols[2], cols[3], cols[4]});
  }
  return rows;
}

std::vector<std::string> Split(const std::string& text, const std::string& sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    out.push_back(text.substr(start, pos - start));
    if (pos == std::string::npos) break;
    start = pos + sep.size();
  }
  return out;
}

bool OneOf(const std::string& value, const std::string& alternatives) {
  for (const std::string& a : Split(alternatives, "|")) {
    if (a == value) return true;
  }
  return false;
}

class Checker {
 public:
  explicit Checker(const Json& wf) : wf_(wf) {
    name_ = wf["metadata"]["name"].get<std::string>();
    for (const auto& [id, node] : wf["status"]["nodes"].items()) nodes_.push_back(node);
  }

  std::vector<Json> Select(const std::string& sel) const {
    std::vector<Json> out;
    for (const Json& n : nodes_) {
      bool match = sel == "@root"     ? n["id"] == name_
                   : sel == "@onExit" ? n.value("displayName", "") == name_ + ".onExit"
                                      : n.value("displayName", "") == sel;
      if (match) out.push_back(n);
    }
    return out;
  }

  // Returns "" when the check passes, else why not.
  std::string Check(const std::string& check) const {
    auto colon = check.find(':');
    std::string kind = check.substr(0, colon);
    std::string rest = colon == std::string::npos ? "" : check.substr(colon + 1);
    if (check.rfind("node-count=", 0) == 0) {
      return Expect(std::to_string(nodes_.size()), check.substr(11), "node count");
    }
    if (check.rfind("wf-message~", 0) == 0) {
      return Contains(wf_["status"].value("message", ""), check.substr(11), "workflow message");
    }
    if (kind == "node" || kind == "node-type") {
      auto [sel, value] = SplitAt(rest, '=');
      auto nodes = Select(sel);
      if (nodes.empty()) return "no node named " + sel;
      for (const Json& n : nodes) {
        std::string got = n.value(kind == "node" ? "phase" : "type", "");
        if (!OneOf(got, value)) return sel + " is " + got + ", want " + value;
      }
      return "";
    }
    if (kind == "skipped") return Check("node:" + rest + "=Skipped");
    if (kind == "exists") return Select(rest).empty() ? "no node named " + rest : "";
    if (kind == "absent") return Select(rest).empty() ? "" : "unexpected node " + rest;
    if (kind == "node-count-type") {
      auto [type, count] = SplitAt(rest, '=');
      int n = 0;
      for (const Json& node : nodes_) n += node.value("type", "") == type;
      return Expect(std::to_string(n), count, type + " count");
    }
    if (kind == "all-of-type") {
      auto [type, phase] = SplitAt(rest, '=');
      for (const Json& node : nodes_) {
        if (node.value("type", "") == type && node.value("phase", "") != phase) {
          return node.value("displayName", "") + " is " + node.value("phase", "");
        }
      }
      return "";
    }
    if (kind == "any-node") {
      auto [phase, text] = SplitAt(rest, '~');
      for (const Json& node : nodes_) {
        if (node.value("phase", "") == phase &&
            node.value("message", "").find(text) != std::string::npos) {
          return "";
        }
      }
      return "no " + phase + " node with message containing " + text;
    }
    if (kind == "message") {
      auto [sel, text] = SplitAt(rest, '~');
      auto nodes = Select(sel);
      if (nodes.empty()) return "no node named " + sel;
      return Contains(nodes[0].value("message", ""), text, sel + " message");
    }
    if (kind == "stdout") {
      auto [sel, text] = SplitAt(rest, '~');
      auto nodes = Select(sel);
      if (nodes.empty()) return "no node named " + sel;
      for (const Json& n : nodes) {
        std::string out = n.contains("outputs") ? n["outputs"].value("result", "") : "";
        if (auto why = Contains(out, text, sel + " stdout"); !why.empty()) return why;
      }
      return "";
    }
    if (kind == "output" || kind == "input") return CheckValue(kind, rest);
    return "unknown check " + check;
  }

 private:
  static std::pair<std::string, std::string> SplitAt(const std::string& s, char c) {
    auto pos = s.find(c);
    if (pos == std::string::npos) return {s, ""};
    return {s.substr(0, pos), s.substr(pos + 1)};
  }
  static std::string Expect(const std::string& got, const std::string& want,
                            const std::string& what) {
    return got == want ? "" : what + " is " + got + ", want " + want;
  }
  static std::string Contains(const std::string& got, const std::string& want,
                              const std::string& what) {
    return got.find(want) != std::string::npos ? "" : what + " '" + got + "' lacks '" + want + "'";
  }

  std::string CheckValue(const std::string& kind, const std::string& rest) const {
    std::string marker = kind == "output" ? ".outputs." : ".inputs.";
    size_t at = rest.find(marker);
    if (at == std::string::npos) return "bad check " + rest;
    std::string sel = rest.substr(0, at);
    std::string path = rest.substr(at + marker.size());
    size_t op = path.find_first_of("=~");
    std::string field = path.substr(0, op);
    bool contains = path[op] == '~';
    std::string want = path.substr(op + 1);
    std::vector<Json> holders;
    if (sel == "workflow") {
      holders.push_back(wf_["status"].value("outputs", Json::object()));
    } else {
      for (const Json& n : Select(sel)) {
        holders.push_back(n.value(kind == "output" ? "outputs" : "inputs", Json::object()));
      }
    }
    if (holders.empty()) return "no node named " + sel;
    std::optional<std::string> got;
    const Json& h = holders[0];
    if (field == "result") {
      if (h.contains("result")) got = h["result"].get<std::string>();
    } else if (field.rfind("parameters.", 0) == 0) {
      std::string name = field.substr(11);
      for (const Json& p : h.value("parameters", Json::array())) {
        if (p.value("name", "") == name && p.contains("value")) got = p["value"].get<std::string>();
      }
    }
    if (!got) return sel + " has no " + field;
    return contains ? Contains(*got, want, field) : Expect(*got, want, field);
  }

  const Json& wf_;
  std::string name_;
  std::vector<Json> nodes_;
};

// Runs the example `row` names with `loom run FILE -o json EXTRA...`.
void ExpectArgosOutcome(const Row& row, const std::vector<std::string>& extra) {
  std::string file = (ExamplesDir() / row.file).string();
  std::vector<std::string> args = {"run", file, "-o", "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  LoomResult run = RunLoom(args, 600);
  SCOPED_TRACE(run.stderr_text.substr(0, 4000));
  Json wf = Json::parse(run.stdout_text, nullptr, false);
  ASSERT_FALSE(wf.is_discarded()) << "not JSON: " << run.stdout_text.substr(0, 2000);
  std::string phase = wf["status"].value("phase", "");
  EXPECT_TRUE(OneOf(phase, row.phase)) << row.file << " ended " << phase << ", want " << row.phase
                                       << "; message: " << wf["status"].value("message", "");
  EXPECT_EQ(run.exit_code, phase == "Succeeded" ? 0 : 1);
  if (row.checks.empty()) return;
  Checker checker(wf);
  for (const std::string& check : Split(row.checks, "; ")) {
    EXPECT_EQ(checker.Check(check), "") << check;
  }
}

class Conformance : public testing::TestWithParam<Row> {};

TEST_P(Conformance, ReachesArgosOutcome) {
  const Row& row = GetParam();
  if (row.host_ok == "no") GTEST_SKIP() << "needs more than a plain host: " << row.notes;
  ExpectArgosOutcome(row, {});
}

// The same examples with every step a job of the test Slurm cluster.
class SlurmConformance : public testing::TestWithParam<Row> {};

TEST_P(SlurmConformance, ReachesArgosOutcome) {
  const Row& row = GetParam();
  if (row.host_ok == "no") GTEST_SKIP() << "needs more than a plain host: " << row.notes;
  UseTestSlurmCluster();
  ExpectArgosOutcome(row, {"--executor", "slurm"});
}

std::string RowName(const testing::TestParamInfo<Row>& info) {
  std::string name = info.param.file.substr(0, info.param.file.size() - 5);
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(ArgoExamples, Conformance, testing::ValuesIn(LoadRows()), RowName);
INSTANTIATE_TEST_SUITE_P(Slurm, SlurmConformance, testing::ValuesIn(LoadRows()), RowName);

}  // namespace
}  // namespace loom
