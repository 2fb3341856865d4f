// Step isolation and artifacts: each step's private view of / and /tmp,
// input artifacts placed in it, outputs collected from it (including the
// merged view of directories that exist on the host), emptyDirs; and the
// same flows without isolation.
#include <sys/stat.h>

#include "executor/executor_test_util.h"
#include "executor/tar_gz.h"

namespace loom::executor {
namespace {

namespace fs = std::filesystem;

class IsolationTest : public ExecutorTest {
 protected:
  void SetUp() override {
    ExecutorTest::SetUp();
    LOOM_REQUIRE_ROOT();
    Make(Isolation::kOverlay);
  }
  void WriteHostFile(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
  }
};

TEST_F(IsolationTest, ParallelStepsHaveTheirOwnTmpAndRoot) {
  bool tmp_before = fs::exists("/tmp/out.txt"), root_before = fs::exists("/model_looks_bad");
  for (std::string v : {"a", "b"}) {
    StepRequest r = Sh("write-" + v, "echo " + v + " > /tmp/out.txt; echo bad-" + v +
                                         " > /model_looks_bad; sleep 0.3; cat /tmp/out.txt");
    r.output_parameters = {{"tmp", "/tmp/out.txt"}, {"root", "/model_looks_bad"}};
    executor_->Start(r);
  }
  auto results = WaitAll(2);
  ASSERT_EQ(results.size(), 2u);
  for (const StepResult& r : results) {
    std::string v = r.id.substr(6);
    EXPECT_EQ(r.stdout_text, v + "\n");
    EXPECT_EQ(r.parameters.at("tmp"), v + "\n");
    EXPECT_EQ(r.parameters.at("root"), "bad-" + v + "\n");
  }
  if (!tmp_before) {
    EXPECT_FALSE(fs::exists("/tmp/out.txt"));
  }
  if (!root_before) {
    EXPECT_FALSE(fs::exists("/model_looks_bad"));
  }
}

TEST_F(IsolationTest, HostTmpIsHiddenAndHostFilesAreVisible) {
  WriteHostFile(dir_ + "/host.txt", "x");  // dir_ is below the host's /tmp
  StepResult r = Run(Sh("look", "ls -A /tmp | wc -l; test -e " + dir_ +
                                    "/host.txt && echo seen; cat /etc/hostname > /dev/null && "
                                    "test -e /proc/self/status && test -c /dev/null && echo ok"));
  EXPECT_EQ(r.stdout_text, "0\nok\n");
}

TEST_F(IsolationTest, RelativeWritesLandInTheStepsRoot) {
  StepRequest r = Sh("rel", "echo x > result.txt");
  r.output_parameters = {{"p", "/result.txt"}, {"missing", "/nope.txt"}};
  StepResult result = Run(r);
  EXPECT_EQ(result.parameters.at("p"), "x\n");
  EXPECT_EQ(result.parameters.at("missing"), std::nullopt);

  r = Sh("rel-wd", "echo y > r.txt");
  r.working_dir = "/loom-test-wd";
  r.output_parameters = {{"relative", "r.txt"}, {"absolute", "/loom-test-wd/r.txt"}};
  result = Run(r);
  EXPECT_EQ(result.parameters.at("relative"), "y\n");
  EXPECT_EQ(result.parameters.at("absolute"), "y\n");
  EXPECT_FALSE(fs::exists("/loom-test-wd"));
}

TEST_F(IsolationTest, InputArtifactsArePlaced) {
  WriteHostFile(dir_ + "/store/file.txt", "stored\n");
  WriteHostFile(dir_ + "/store/dir/a", "dir-a\n");
  WriteHostFile(dir_ + "/pack/b/c", "packed\n");
  WriteHostFile(dir_ + "/pack/single.txt", "single\n");
  ASSERT_TRUE(WriteTarGz(dir_ + "/pack/b", dir_ + "/b.tgz").ok());
  ASSERT_TRUE(WriteTarGz(dir_ + "/pack/single.txt", dir_ + "/single.tgz").ok());

  StepRequest r = Sh("inputs",
                     "cat /inputs/raw.txt /inputs/file.txt /inputs/dir/a /inputs/untarred/c "
                     "/tmp/f.txt; stat -c %a /inputs/raw.txt");
  r.input_artifacts = {
      {"raw", "/inputs/raw.txt", "raw\n", "", false, 0600},
      {"file", "/inputs/file.txt", std::nullopt, dir_ + "/store/file.txt"},
      {"dir", "/inputs/dir", std::nullopt, dir_ + "/store/dir"},
      {"tgz-dir", "/inputs/untarred", std::nullopt, dir_ + "/b.tgz", true},
      {"tgz-file", "/tmp/f.txt", std::nullopt, dir_ + "/single.tgz", true},
  };
  StepResult result = Run(r);
  EXPECT_TRUE(result.started) << result.message;
  EXPECT_EQ(result.stdout_text, "raw\nstored\ndir-a\npacked\nsingle\n600\n");
  EXPECT_FALSE(fs::exists("/inputs"));
}

TEST_F(IsolationTest, OutputArtifactsAreCollected) {
  StepRequest r = Sh("outputs",
                     "mkdir -p /out/d/sub && echo 1 > /out/d/one && echo 2 > "
                     "/out/d/sub/two && echo f > /tmp/f.txt");
  std::string art = dir_ + "/artifacts/";
  r.output_artifacts = {{"dir-tgz", "/out/d", art + "d.tgz", true},
                        {"dir-copy", "/out/d", art + "d-copy", false},
                        {"file-tgz", "/tmp/f.txt", art + "f.tgz", true},
                        {"file-copy", "/tmp/f.txt", art + "f.txt", false},
                        {"missing", "/out/none", art + "none.tgz", true}};
  StepResult result = Run(r);
  EXPECT_EQ(result.artifacts, (std::map<std::string, bool>{{"dir-tgz", true},
                                                           {"dir-copy", true},
                                                           {"file-tgz", true},
                                                           {"file-copy", true},
                                                           {"missing", false}}));
  EXPECT_EQ(ReadFile(art + "d-copy/sub/two"), "2\n");
  EXPECT_EQ(ReadFile(art + "f.txt"), "f\n");
  // GNU tar reads our archives: one entry named after the basename.
  ASSERT_EQ(system(("mkdir -p " + art + "x && tar -xzf " + art + "d.tgz -C " + art +
                    "x && tar -xzf " + art + "f.tgz -C " + art + "x")
                       .c_str()),
            0);
  EXPECT_EQ(ReadFile(art + "x/d/one"), "1\n");
  EXPECT_EQ(ReadFile(art + "x/d/sub/two"), "2\n");
  EXPECT_EQ(ReadFile(art + "x/f.txt"), "f\n");
  EXPECT_FALSE(fs::exists("/out"));
}

TEST_F(IsolationTest, DirectoriesFromTheHostAreCollectedMerged) {
  // Below /var/tmp, which the step sees through the overlay (unlike /tmp).
  char pattern[] = "/var/tmp/loom-executor-test-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  std::string host = pattern;
  WriteHostFile(host + "/keep", "keep\n");
  WriteHostFile(host + "/gone", "gone\n");
  StepRequest r = Sh("merge", "rm " + host + "/gone && echo new > " + host + "/new");
  r.output_artifacts = {{"d", host, dir_ + "/merged", false}};
  StepResult result = Run(r);
  EXPECT_TRUE(result.artifacts.at("d"));
  EXPECT_EQ(ReadFile(dir_ + "/merged/keep"), "keep\n");
  EXPECT_EQ(ReadFile(dir_ + "/merged/new"), "new\n");
  EXPECT_FALSE(fs::exists(dir_ + "/merged/gone"));
  EXPECT_TRUE(fs::exists(host + "/gone"));  // the host is untouched
  EXPECT_FALSE(fs::exists(host + "/new"));
  fs::remove_all(host);
}

TEST_F(IsolationTest, EmptyDirsAreEmptyScratch) {
  StepRequest r = Sh("empty", "(ls -A /scratch; ls -A /tmp/cache) | wc -l; echo s > /scratch/x");
  r.empty_dirs = {"/scratch", "/tmp/cache"};
  r.output_parameters = {{"x", "/scratch/x"}};
  StepResult result = Run(r);
  EXPECT_EQ(result.stdout_text, "0\n");
  EXPECT_EQ(result.parameters.at("x"), "s\n");
  EXPECT_FALSE(fs::exists("/scratch"));
}

TEST_F(IsolationTest, ScratchIsRemovedAndTheLogKept) {
  Run(Sh("clean", "echo hi; echo x > /big"));
  EXPECT_EQ(ReadFile(executor_->LogPath("clean")), "hi\n");
  std::vector<std::string> left;
  for (const auto& e : fs::directory_iterator(dir_ + "/steps/clean"))
    left.push_back(e.path().filename());
  EXPECT_EQ(left, std::vector<std::string>{"log"});
}

TEST_F(ExecutorTest, WithoutIsolationStepsRunOnTheHost) {
  Make(Isolation::kNone);
  StepRequest r = Sh("host", "echo x > result.txt; echo y > " + dir_ + "/on-host");
  r.output_parameters = {{"rel", "result.txt"}};
  r.output_artifacts = {{"a", "result.txt", dir_ + "/a.tgz", true}};
  StepResult result = Run(r);
  EXPECT_EQ(result.parameters.at("rel"), "x\n");
  EXPECT_TRUE(result.artifacts.at("a"));
  EXPECT_EQ(ReadFile(dir_ + "/on-host"), "y\n");
}

TEST_F(ExecutorTest, AutoIsolatesWhenRoot) {
  LOOM_REQUIRE_ROOT();
  Make(Isolation::kAuto);
  StepRequest r = Sh("auto", "echo z > /loom-auto-test");
  r.output_parameters = {{"z", "/loom-auto-test"}};
  EXPECT_EQ(Run(r).parameters.at("z"), "z\n");
  EXPECT_FALSE(fs::exists("/loom-auto-test"));
}

}  // namespace
}  // namespace loom::executor
