// tar.gz round trips, long names, symlinks, and interoperability with GNU tar.
#include "executor/tar_gz.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace loom::executor {
namespace {

namespace fs = std::filesystem;

class TarGzTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/loom-tar-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    std::ofstream(path) << text;
  }
  static std::string Read(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  std::string dir_;
};

TEST_F(TarGzTest, DirectoryRoundTripKeepsLongNamesSymlinksAndModes) {
  std::string long_name(150, 'n');
  Write(dir_ + "/src/data/" + long_name + "/deep.txt", "deep");
  Write(dir_ + "/src/data/run.sh", "#!/bin/sh\n");
  fs::permissions(dir_ + "/src/data/run.sh", fs::perms(0755));
  fs::create_symlink("run.sh", dir_ + "/src/data/link");
  fs::create_directories(dir_ + "/src/data/empty");
  ASSERT_TRUE(WriteTarGz(dir_ + "/src/data", dir_ + "/a.tgz").ok());
  ASSERT_TRUE(ExtractTarGz(dir_ + "/a.tgz", dir_ + "/out").ok());
  EXPECT_EQ(Read(dir_ + "/out/data/" + long_name + "/deep.txt"), "deep");
  EXPECT_EQ(fs::status(dir_ + "/out/data/run.sh").permissions(), fs::perms(0755));
  EXPECT_EQ(fs::read_symlink(dir_ + "/out/data/link"), "run.sh");
  EXPECT_TRUE(fs::is_directory(dir_ + "/out/data/empty"));
}

TEST_F(TarGzTest, SingleFileIsOneEntryNamedAfterIt) {
  Write(dir_ + "/f.txt", "hello");
  ASSERT_TRUE(WriteTarGz(dir_ + "/f.txt", dir_ + "/f.tgz").ok());
  ASSERT_EQ(system(("tar -tzf " + dir_ + "/f.tgz > " + dir_ + "/list").c_str()), 0);
  EXPECT_EQ(Read(dir_ + "/list"), "f.txt\n");
}

TEST_F(TarGzTest, ReadsGnuTarArchives) {
  std::string long_name(120, 'x');
  Write(dir_ + "/g/" + long_name + "/a", "a");
  Write(dir_ + "/g/b", "b");
  for (const char* format : {"gnu", "posix"}) {
    std::string archive = dir_ + "/" + format + ".tgz", out = dir_ + "/" + format;
    ASSERT_EQ(
        system(("tar --format=" + std::string(format) + " -czf " + archive + " -C " + dir_ + " g")
                   .c_str()),
        0);
    ASSERT_TRUE(ExtractTarGz(archive, out).ok()) << format;
    EXPECT_EQ(Read(out + "/g/" + long_name + "/a"), "a") << format;
    EXPECT_EQ(Read(out + "/g/b"), "b") << format;
  }
}

TEST_F(TarGzTest, RefusesEntriesOutsideTheFolderAndGarbage) {
  Write(dir_ + "/evil/x", "x");
  ASSERT_EQ(system(("cd " + dir_ + "/evil && tar -czf ../evil.tgz -P ../evil/x").c_str()), 0);
  Status s = ExtractTarGz(dir_ + "/evil.tgz", dir_ + "/out");
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("escapes"), std::string::npos) << s.message();

  Write(dir_ + "/junk.tgz", std::string(2000, 'j'));
  EXPECT_FALSE(ExtractTarGz(dir_ + "/junk.tgz", dir_ + "/out2").ok());
  EXPECT_FALSE(ExtractTarGz(dir_ + "/absent.tgz", dir_ + "/out3").ok());
  EXPECT_FALSE(WriteTarGz(dir_ + "/absent", dir_ + "/x.tgz").ok());
}

}  // namespace
}  // namespace loom::executor
