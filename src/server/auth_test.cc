// The token file and the bearer check.
#include "server/auth.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

namespace loom::server {
namespace {

TEST(AuthTest, MakesAPrivateTokenOnceAndReadsItBack) {
  char pattern[] = "/tmp/loom-auth-test-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  std::string path = std::string(pattern) + "/home/server.token";
  auto made = LoadOrCreateToken(path);
  ASSERT_TRUE(made.ok()) << made.error();
  EXPECT_EQ(made->size(), 64u);
  struct stat info {};
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto again = LoadOrCreateToken(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *made);
  std::filesystem::remove_all(pattern);
}

TEST(AuthTest, BearerMustMatchExactly) {
  EXPECT_TRUE(BearerMatches("Bearer abc", "abc"));
  EXPECT_FALSE(BearerMatches("Bearer abcd", "abc"));
  EXPECT_FALSE(BearerMatches("Bearer ab", "abc"));
  EXPECT_FALSE(BearerMatches("abc", "abc"));
  EXPECT_FALSE(BearerMatches("", "abc"));
  EXPECT_FALSE(BearerMatches("Bearer ", ""));
}

TEST(AuthTest, KnowsLoopbackAddresses) {
  EXPECT_TRUE(IsLoopback("127.0.0.1"));
  EXPECT_TRUE(IsLoopback("localhost"));
  EXPECT_TRUE(IsLoopback("::1"));
  EXPECT_FALSE(IsLoopback("0.0.0.0"));
  EXPECT_FALSE(IsLoopback("10.1.2.3"));
}

}  // namespace
}  // namespace loom::server
