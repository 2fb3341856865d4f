// A step's stdout and stderr: two pipes read by the run loop as data
// arrives, both appended to the step's combined log file, stdout also kept
// (its first 256 KiB) for outputs.result, and complete lines passed to a
// callback for live log streaming. The log file (and its folder) is made
// when the first output arrives: a silent step creates no file at all.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "base/result.h"

namespace loom::executor {

class StepOutput {
 public:
  using LineCallback = std::function<void(const std::string& line, bool is_stderr)>;
  static constexpr size_t kStdoutLimit = 256 * 1024;

  // Creates the pipes; output will go to `log_path`. `on_line` may be empty.
  static Result<std::unique_ptr<StepOutput>> Open(const std::string& log_path,
                                                  LineCallback on_line);
  ~StepOutput();
  StepOutput(const StepOutput&) = delete;
  StepOutput& operator=(const StepOutput&) = delete;

  // The child's ends; close them with CloseChildEnds() once it has started.
  int child_fd(bool is_stderr) const { return streams_[is_stderr].write_fd; }
  void CloseChildEnds();

  // Our ends, -1 once at end of file.
  int read_fd(bool is_stderr) const { return streams_[is_stderr].read_fd; }

  // Reads what is available on one pipe.
  void OnReadable(bool is_stderr);

  // After the process tree is gone: reads the rest, reports unfinished last
  // lines, closes everything and returns the captured stdout.
  std::string Finish();

  // The last non-empty line written to stderr (up to kTailLimit bytes of it):
  // usually the reason a failed step gives.
  std::string LastStderrLine() const;
  static constexpr size_t kTailLimit = 1024;

 private:
  struct Stream {
    int read_fd = -1;
    int write_fd = -1;
    std::string partial_line;
  };
  StepOutput(std::string log_path, LineCallback on_line)
      : log_path_(std::move(log_path)), on_line_(std::move(on_line)) {}
  // Reads until the pipe is empty; false at end of file.
  bool Drain(bool is_stderr, bool to_end);
  void Deliver(bool is_stderr, const char* data, size_t size);
  void WriteLog(const char* data, size_t size);

  std::string log_path_;
  int log_fd_ = -1;  // -2: the log cannot be written
  LineCallback on_line_;
  Stream streams_[2];
  std::string stdout_text_;
  std::string stderr_tail_;  // the last bytes of stderr, at most 2 * kTailLimit
};

}  // namespace loom::executor
