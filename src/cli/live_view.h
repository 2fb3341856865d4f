// The live view of `loom run` on a terminal: a frame redrawn in place with
// the workflow's phase and elapsed time, a progress bar, counts per phase and
// the nodes that matter now (running steps with their elapsed times, recent
// failures), fan-outs collapsed to one line of counts. It fits the terminal,
// so redrawing never scrolls.
#pragma once

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/node.h"

namespace loom::cli {

struct TerminalSize {
  int width;
  int height;
};

// The size of the terminal on `fd`; 80x24 when it has none.
TerminalSize DetectTerminalSize(int fd);

class LiveView {
 public:
  // Draws on `out`, a terminal `width` columns wide and `height` lines high.
  LiveView(std::ostream& out, int width, int height);

  // Called after every engine event: redraws at most every kRedrawInterval,
  // and costs O(1) when it does not redraw.
  void Update(const engine::WorkflowStatus& status, std::chrono::system_clock::time_point now);
  // Draws the final frame and leaves the cursor on the line below it.
  void Finish(const engine::WorkflowStatus& status);
  // Erases the frame and prints `text` (whole lines) where it was, so that
  // step logs and messages scroll above the view; the next Update redraws it.
  void PrintAbove(const std::string& text);

  static constexpr std::chrono::milliseconds kRedrawInterval{100};

 private:
  void Draw(const engine::WorkflowStatus& status, std::chrono::system_clock::time_point now);

  std::ostream& out_;
  int width_;
  int height_;
  size_t lines_on_screen_ = 0;
  std::optional<std::chrono::system_clock::time_point> last_draw_;
};

}  // namespace loom::cli
