// LiveView on a simulated terminal: frames fit its width and height, redraw
// in place without scrolling, collapse fan-outs, and are throttled.
#include "cli/live_view.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "cli/display.h"
#include "engine/test_statuses.h"

namespace loom::cli {
namespace {

using namespace std::chrono_literals;
using engine::NodePhase;
using engine::fixtures::T0;

// A terminal screen for what LiveView writes: text, "\n" (as a tty's
// CR LF), "\r", CSI n A (up), CSI K, CSI J, CSI m. Records scrolling and
// wrapping, which a frame must never cause.
class FakeTerminal {
 public:
  FakeTerminal(int width, int height) : width_(width), screen_(height) {}

  void Feed(const std::string& bytes) {
    for (size_t i = 0; i < bytes.size();) {
      if (bytes[i] == '\x1b') {
        size_t end = bytes.find_first_of("ABCDHJKm", i);
        ASSERT_NE(end, std::string::npos);
        Csi(bytes.substr(i + 2, end - i - 2), bytes[end]);
        i = end + 1;
      } else if (bytes[i] == '\n') {
        col_ = 0;
        if (++row_ == static_cast<int>(screen_.size())) {
          screen_.erase(screen_.begin());
          screen_.emplace_back();
          --row_;
          ++scrolls_;
        }
        ++i;
      } else if (bytes[i] == '\r') {
        col_ = 0;
        ++i;
      } else {
        size_t length = 1;
        while (i + length < bytes.size() && (bytes[i + length] & 0xc0) == 0x80) ++length;
        if (col_ == width_) ++wraps_;
        auto& line = screen_[row_];
        if (static_cast<int>(line.size()) <= col_) line.resize(col_ + 1, " ");
        line[col_++] = bytes.substr(i, length);
        i += length;
      }
    }
  }

  std::vector<std::string> Screen() const {
    std::vector<std::string> lines;
    for (const auto& cells : screen_) {
      std::string line;
      for (const auto& cell : cells) line += cell;
      line.erase(line.find_last_not_of(' ') + 1);
      lines.push_back(line);
    }
    return lines;
  }
  int row() const { return row_; }
  int scrolls() const { return scrolls_; }
  int wraps() const { return wraps_; }

 private:
  void Csi(const std::string& argument, char command) {
    int n = argument.empty() ? 1 : std::stoi(argument);
    if (command == 'A') row_ = std::max(0, row_ - n);
    if (command == 'K' && static_cast<int>(screen_[row_].size()) > col_) {
      screen_[row_].resize(col_);
    }
    if (command == 'J') {
      if (static_cast<int>(screen_[row_].size()) > col_) screen_[row_].resize(col_);
      for (size_t r = row_ + 1; r < screen_.size(); ++r) screen_[r].clear();
    }
  }

  int width_;
  std::vector<std::vector<std::string>> screen_;
  int row_ = 0, col_ = 0, scrolls_ = 0, wraps_ = 0;
};

std::string Joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const auto& line : lines) text += line + "\n";
  return text;
}

// 10,000 training items: the first `done` succeeded (item 17 failed), the
// next 6 running, the rest pending.
engine::WorkflowStatus Training(int done) {
  engine::WorkflowStatus status =
      engine::fixtures::FanOutStatus(10000, engine::WorkflowPhase::kRunning, [&](int i) {
        if (i == 17) return NodePhase::kFailed;
        if (i < done) return NodePhase::kSucceeded;
        return i < done + 6 ? NodePhase::kRunning : NodePhase::kPending;
      });
  for (auto& [id, node] : status.nodes) {
    if (node.phase == NodePhase::kRunning) node.finished_at.reset();
    if (node.display_name == "train(" + std::to_string(done) + ":" + std::to_string(done) + ")") {
      node.message = "Slurm job 3 is queued";
    }
    if (node.display_name == "train(17:17)") node.message = "exit code 137: OOMKilled";
  }
  return status;
}

TEST(LiveView, FramesFitTheTerminalAndRedrawInPlace) {
  constexpr int kWidth = 60, kHeight = 14;
  std::ostringstream out;
  LiveView view(out, kWidth, kHeight);
  FakeTerminal terminal(kWidth, kHeight);
  for (int step = 0; step < 20; ++step) {
    out.str("");
    view.Update(Training(step * 50), T0() + step * 200ms);
    terminal.Feed(out.str());
    ASSERT_EQ(terminal.scrolls(), 0) << Joined(terminal.Screen());
    ASSERT_EQ(terminal.wraps(), 0) << Joined(terminal.Screen());
    ASSERT_LT(terminal.row(), kHeight);
    for (const auto& line : terminal.Screen()) ASSERT_LE(DisplayWidth(line), size_t{kWidth - 1});
  }
  std::string screen = Joined(terminal.Screen());
  EXPECT_NE(screen.find("wf  Running  3s"), std::string::npos) << screen;
  EXPECT_NE(screen.find("train (10,000 items: 949 ✔ 1 ✖ 6 ● 9,044 pending)"), std::string::npos)
      << screen;
  EXPECT_NE(screen.find("✖ train(17:17)"), std::string::npos) << screen;
  EXPECT_NE(screen.find("OOMKilled"), std::string::npos) << screen;
  EXPECT_NE(screen.find("Slurm job 3 is queued"), std::string::npos) << screen;
  EXPECT_NE(screen.find("950/10,000"), std::string::npos) << screen;
  EXPECT_NE(screen.find("● 6 running"), std::string::npos) << screen;
  EXPECT_EQ(screen.find("train(10:10)"), std::string::npos) << "finished items are not listed";
}

TEST(LiveView, FinishLeavesTheCursorBelowTheFinalFrame) {
  std::ostringstream out;
  LiveView view(out, 80, 24);
  view.Update(Training(100), T0());
  engine::WorkflowStatus done = engine::fixtures::FanOutStatus(
      10000, engine::WorkflowPhase::kSucceeded, [](int) { return NodePhase::kSucceeded; });
  view.Finish(done);
  FakeTerminal terminal(80, 24);
  terminal.Feed(out.str());
  std::vector<std::string> screen = terminal.Screen();
  EXPECT_EQ(terminal.scrolls(), 0);
  ASSERT_GT(terminal.row(), 0);
  EXPECT_NE(screen[0].find("wf  Succeeded  10s"), std::string::npos) << Joined(screen);
  EXPECT_NE(screen[1].find("10,000/10,000  100%"), std::string::npos) << Joined(screen);
  for (int r = 0; r < terminal.row(); ++r) EXPECT_FALSE(screen[r].empty()) << Joined(screen);
  for (size_t r = terminal.row(); r < screen.size(); ++r) {
    EXPECT_TRUE(screen[r].empty()) << "stale line " << r << "\n" << Joined(screen);
  }
}

TEST(LiveView, TinyTerminalsStillFit) {
  std::ostringstream out;
  LiveView view(out, 20, 4);
  view.Update(Training(500), T0());
  FakeTerminal terminal(20, 4);
  terminal.Feed(out.str());
  EXPECT_EQ(terminal.scrolls(), 0);
  EXPECT_EQ(terminal.wraps(), 0);
  EXPECT_EQ(terminal.row(), 3);
}

int Redraws(const std::string& output) {
  int count = 0;
  for (size_t at = output.find("/10,000"); at != std::string::npos;
       at = output.find("/10,000", at + 1)) {
    ++count;
  }
  return count;
}

TEST(LiveView, RedrawsAtMostTenTimesASecond) {
  engine::WorkflowStatus status = Training(100);
  std::ostringstream out;
  LiveView view(out, 80, 24);
  for (int ms = 0; ms < 1000; ++ms) view.Update(status, T0() + std::chrono::milliseconds(ms));
  EXPECT_EQ(Redraws(out.str()), 10);
}

TEST(LiveView, UpdatesThatDoNotRedrawAreCheap) {
  engine::WorkflowStatus status = Training(100);
  std::ostringstream out;
  LiveView view(out, 80, 24);
  auto start = std::chrono::steady_clock::now();
  for (int k = 0; k < 100000; ++k) view.Update(status, T0() + std::chrono::microseconds(k));
  auto spent = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(Redraws(out.str()), 1);
  // Walking 10,000 nodes on each of 100,000 calls would take many seconds.
  EXPECT_LT(spent, 2s);
}

TEST(DetectTerminalSize, FallsBackTo80x24) {
  int fd = open("/dev/null", O_RDONLY);
  TerminalSize size = DetectTerminalSize(fd);
  close(fd);
  EXPECT_EQ(size.width, 80);
  EXPECT_EQ(size.height, 24);
}

}  // namespace
}  // namespace loom::cli
