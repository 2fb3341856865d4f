// Kubernetes quantity parsing: suffixes, fractions, exponents, rounding, errors.
#include "spec/quantity.h"

#include <gtest/gtest.h>

namespace loom::spec {
namespace {

TEST(QuantityTest, CpuMillis) {
  EXPECT_EQ(*ParseCpuMillis("500m"), 500);
  EXPECT_EQ(*ParseCpuMillis("2"), 2000);
  EXPECT_EQ(*ParseCpuMillis("0.25"), 250);
  EXPECT_EQ(*ParseCpuMillis("1.5"), 1500);
  EXPECT_EQ(*ParseCpuMillis(".5"), 500);
  EXPECT_EQ(*ParseCpuMillis("1e3"), 1000000);
  EXPECT_EQ(*ParseCpuMillis("1k"), 1000000);
}

TEST(QuantityTest, CpuRoundsUpToWholeMillicore) {
  EXPECT_EQ(*ParseCpuMillis("0.0001"), 1);
  EXPECT_EQ(*ParseCpuMillis("1001m"), 1001);
  EXPECT_FALSE(ParseCpuMillis("1500u").ok()) << "u is not a Kubernetes suffix";
}

TEST(QuantityTest, HalvesAddUpExactly) {
  EXPECT_EQ(*ParseCpuMillis("0.5") + *ParseCpuMillis("500m"), *ParseCpuMillis("1"));
}

TEST(QuantityTest, Bytes) {
  EXPECT_EQ(*ParseBytes("1000"), 1000);
  EXPECT_EQ(*ParseBytes("1k"), 1000);
  EXPECT_EQ(*ParseBytes("1Ki"), 1024);
  EXPECT_EQ(*ParseBytes("512Mi"), 512LL * 1024 * 1024);
  EXPECT_EQ(*ParseBytes("2Gi"), 2LL * 1024 * 1024 * 1024);
  EXPECT_EQ(*ParseBytes("1G"), 1000000000);
  EXPECT_EQ(*ParseBytes("1e9"), 1000000000);
  EXPECT_EQ(*ParseBytes("1.5Gi"), 1610612736);
  EXPECT_EQ(*ParseBytes("1Ti"), 1LL << 40);
  EXPECT_EQ(*ParseBytes("1Ei"), 1LL << 60);
  EXPECT_EQ(*ParseBytes("100m"), 1) << "a tenth of a byte rounds up";
}

TEST(QuantityTest, Count) {
  EXPECT_EQ(*ParseCount("1"), 1);
  EXPECT_EQ(*ParseCount("2"), 2);
  Result<int64_t> half = ParseCount("0.5");
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.error().find("whole number"), std::string::npos);
}

TEST(QuantityTest, ErrorsSayWhatIsWrong) {
  Result<int64_t> doubled = ParseBytes("2GG");
  ASSERT_FALSE(doubled.ok());
  EXPECT_NE(doubled.error().find("invalid quantity '2GG'"), std::string::npos) << doubled.error();
  EXPECT_FALSE(ParseBytes("").ok());
  EXPECT_FALSE(ParseBytes("Gi").ok());
  EXPECT_FALSE(ParseBytes("1gi").ok());
  EXPECT_FALSE(ParseCpuMillis("-1").ok());
  EXPECT_FALSE(ParseCpuMillis("1.2.3").ok());
  EXPECT_FALSE(ParseBytes("100Ei").ok()) << "overflows int64";
}

}  // namespace
}  // namespace loom::spec
