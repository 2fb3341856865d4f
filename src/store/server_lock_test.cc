// The server lock: a second holder is refused with a message saying why, the
// lock is free again once released, and stores in different PostgreSQL
// schemas are locked apart.
#include "store/server_lock.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "store/pg_conn.h"
#include "store/postgres_test_url.h"

namespace loom::store {
namespace {

namespace fs = std::filesystem;

class ServerLockTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgres") {
      std::string base = PostgresTestUrl();
      ASSERT_FALSE(base.empty());
      auto admin = PgConn::Connect(base);
      ASSERT_TRUE(admin.ok()) << admin.error();
      for (const std::string& schema : {Schema("a"), Schema("b")}) {
        ASSERT_TRUE((*admin)->Exec("CREATE SCHEMA IF NOT EXISTS " + schema).ok());
      }
      url_ = InSchema(base, Schema("a"));
      other_url_ = InSchema(base, Schema("b"));
    } else {
      std::string pattern = (fs::temp_directory_path() / "loom-lock-test.XXXXXX").string();
      ASSERT_NE(mkdtemp(pattern.data()), nullptr);
      dir_ = pattern;
      url_ = "sqlite:" + dir_ + "/loom.db";
      other_url_ = dir_ + "/other.db";
    }
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }

  static std::string Schema(const std::string& suffix) {
    return "lock_" + std::to_string(getpid()) + "_" + suffix;
  }
  static std::string InSchema(const std::string& base, const std::string& schema) {
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" +
           schema;
  }

  std::string dir_, url_, other_url_;
};

TEST_P(ServerLockTest, OneHolderAtATime) {
  auto first = LockForServer(url_);
  ASSERT_TRUE(first.ok()) << first.error();
  auto second = LockForServer(url_);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().find("another Loom server"), std::string::npos) << second.error();
  EXPECT_NE(second.error().find("one server per store"), std::string::npos) << second.error();
  if (GetParam() == "sqlite") {
    EXPECT_NE(second.error().find("pid " + std::to_string(getpid())), std::string::npos)
        << second.error();
  }

  auto elsewhere = LockForServer(other_url_);
  EXPECT_TRUE(elsewhere.ok()) << elsewhere.error();

  first->reset();
  auto again = LockForServer(url_);
  EXPECT_TRUE(again.ok()) << again.error();
}

TEST_P(ServerLockTest, DiesWithItsProcess) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto lock = LockForServer(url_);
    char c = lock.ok() ? 'y' : 'n';
    (void)!write(ready[1], &c, 1);
    pause();
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  EXPECT_FALSE(LockForServer(url_).ok());
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  // PostgreSQL ends the session when it sees the connection close.
  bool taken = false;
  for (int i = 0; i < 100 && !taken; ++i) {
    auto lock = LockForServer(url_);
    taken = lock.ok();
    if (!taken) usleep(50 * 1000);
  }
  EXPECT_TRUE(taken);
  close(ready[0]);
  close(ready[1]);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerLockTest, testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace loom::store
