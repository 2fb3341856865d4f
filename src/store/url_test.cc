// Store URLs: which backend they name, and passwords kept out of messages.
#include "store/url.h"

#include <gtest/gtest.h>

namespace loom::store {
namespace {

TEST(ParseStoreUrl, PathsAndSchemes) {
  auto path = ParseStoreUrl("/var/lib/loom/loom.db");
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(path->kind, StoreUrl::Kind::kSqlite);
  EXPECT_EQ(path->target, "/var/lib/loom/loom.db");
  auto sqlite = ParseStoreUrl("sqlite:relative/loom.db");
  ASSERT_TRUE(sqlite.ok());
  EXPECT_EQ(sqlite->kind, StoreUrl::Kind::kSqlite);
  EXPECT_EQ(sqlite->target, "relative/loom.db");
  for (const char* url : {"postgres://h/db", "postgresql://u@h:5433/db?sslmode=require"}) {
    auto postgres = ParseStoreUrl(url);
    ASSERT_TRUE(postgres.ok()) << url;
    EXPECT_EQ(postgres->kind, StoreUrl::Kind::kPostgres);
    EXPECT_EQ(postgres->target, url);
  }
  EXPECT_FALSE(ParseStoreUrl("mysql://h/db").ok());
  EXPECT_FALSE(ParseStoreUrl("").ok());
  EXPECT_TRUE(ParseStoreUrl("a file with :// in it").ok());  // not a scheme: spaces
}

TEST(RedactUrl, HidesUserInfoAndQueryPasswords) {
  EXPECT_EQ(RedactUrl("postgres://loom:s3cr@t@db:5432/loom"), "postgres://loom:***@db:5432/loom");
  EXPECT_EQ(RedactUrl("postgres://loom@db/loom?password=x&sslmode=require"),
            "postgres://loom@db/loom?password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("postgres://db:5432/loom"), "postgres://db:5432/loom");
  EXPECT_EQ(RedactUrl("/var/lib/loom.db"), "/var/lib/loom.db");
}

TEST(RedactPassword, HidesThePasswordWhereverAMessageQuotesIt) {
  EXPECT_EQ(RedactPassword("bad option near \"hunter2 x\"", "postgres://u:hunter2@h/d"),
            "bad option near \"*** x\"");
}

}  // namespace
}  // namespace loom::store
