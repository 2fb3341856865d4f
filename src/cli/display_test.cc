// Counts, durations and terminal widths.
#include "cli/display.h"

#include <gtest/gtest.h>

namespace loom::cli {
namespace {

using namespace std::chrono_literals;

TEST(Display, Thousands) {
  EXPECT_EQ(WithThousands(0), "0");
  EXPECT_EQ(WithThousands(999), "999");
  EXPECT_EQ(WithThousands(2497), "2,497");
  EXPECT_EQ(WithThousands(1234567), "1,234,567");
}

TEST(Display, ShortDurations) {
  EXPECT_EQ(ShortDuration(-3s), "0s");
  EXPECT_EQ(ShortDuration(42s), "42s");
  EXPECT_EQ(ShortDuration(185s), "3m05s");
  EXPECT_EQ(ShortDuration(2h + 7min + 3s), "2h07m");
  EXPECT_EQ(ShortDuration(76h), "3d04h");
}

TEST(Display, CountsFinishedFirstAndPendingInWords) {
  PhaseCounts counts{};
  for (int i = 0; i < 1294; ++i) Count(counts, engine::NodePhase::kPending);
  for (int i = 0; i < 1204; ++i) Count(counts, engine::NodePhase::kSucceeded);
  Count(counts, engine::NodePhase::kRunning);
  Count(counts, engine::NodePhase::kRunning);
  EXPECT_EQ(FormatCounts(counts, false), "1,204 ✔ 2 ● 1,294 pending");
}

TEST(Display, WidthsIgnoreColorsAndCountCodePoints) {
  EXPECT_EQ(DisplayWidth("✔ ok"), 4u);
  EXPECT_EQ(DisplayWidth("\x1b[32m✔\x1b[0m ok"), 4u);
  EXPECT_EQ(TruncateToWidth("abcdef", 4), "abc…");
  EXPECT_EQ(TruncateToWidth("abc", 4), "abc");
  EXPECT_EQ(TruncateToWidth("\x1b[31m✖✖✖✖✖\x1b[0m", 3), "\x1b[31m✖✖…\x1b[0m");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("\x1b[31m✖✖✖✖✖\x1b[0m", 3)), 3u);
}

}  // namespace
}  // namespace loom::cli
