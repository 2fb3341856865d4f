// StepOutput: pipes -> log file, stdout capture and line callback.
#include "executor/step_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace loom::executor {

namespace {

constexpr size_t kReadSize = 64 * 1024;
// Reads per readiness event, so that one chatty step cannot stall the others.
constexpr int kReadsPerEvent = 8;

void CloseFd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

// A pipe whose ends are both above stdio's fds, so that dup2 onto 0-2 in
// the child always clears close-on-exec.
bool MakePipe(int* read_fd, int* write_fd) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return false;
  for (int& fd : fds) {
    if (fd < 3) {
      int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
      close(fd);
      fd = moved;
    }
  }
  *read_fd = fds[0];
  *write_fd = fds[1];
  if (*read_fd < 0 || *write_fd < 0) return false;
  return fcntl(*read_fd, F_SETFL, O_NONBLOCK) == 0;
}

}  // namespace

Result<std::unique_ptr<StepOutput>> StepOutput::Open(const std::string& log_path,
                                                     LineCallback on_line) {
  using R = Result<std::unique_ptr<StepOutput>>;
  std::unique_ptr<StepOutput> out(new StepOutput(log_path, std::move(on_line)));
  for (Stream& s : out->streams_) {
    if (!MakePipe(&s.read_fd, &s.write_fd))
      return R::Error(std::string("pipe: ") + std::strerror(errno));
  }
  return out;
}

StepOutput::~StepOutput() {
  for (Stream& s : streams_) {
    CloseFd(&s.read_fd);
    CloseFd(&s.write_fd);
  }
  CloseFd(&log_fd_);
}

void StepOutput::CloseChildEnds() {
  for (Stream& s : streams_) CloseFd(&s.write_fd);
}

void StepOutput::OnReadable(bool is_stderr) {
  if (!Drain(is_stderr, /*to_end=*/false)) CloseFd(&streams_[is_stderr].read_fd);
}

std::string StepOutput::Finish() {
  for (bool is_stderr : {false, true}) {
    Stream& s = streams_[is_stderr];
    if (s.read_fd >= 0) Drain(is_stderr, /*to_end=*/true);
    CloseFd(&s.read_fd);
    if (on_line_ && !s.partial_line.empty()) on_line_(s.partial_line, is_stderr);
    s.partial_line.clear();
  }
  CloseFd(&log_fd_);
  return std::move(stdout_text_);
}

bool StepOutput::Drain(bool is_stderr, bool to_end) {
  char buffer[kReadSize];
  for (int i = 0; to_end || i < kReadsPerEvent; ++i) {
    ssize_t n = read(streams_[is_stderr].read_fd, buffer, sizeof buffer);
    if (n > 0) {
      Deliver(is_stderr, buffer, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // EAGAIN: empty for now (with to_end, nobody is left to write: done).
    return n < 0 && errno == EAGAIN;
  }
  return true;
}

void StepOutput::WriteLog(const char* data, size_t size) {
  if (log_fd_ == -1) {
    std::error_code ignored;
    std::filesystem::create_directories(std::filesystem::path(log_path_).parent_path(), ignored);
    log_fd_ = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd_ < 0) log_fd_ = -2;
  }
  for (size_t done = 0; log_fd_ >= 0 && done < size;) {
    ssize_t n = write(log_fd_, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // an unwritable log or a full disk loses log text, not the step
    done += static_cast<size_t>(n);
  }
}

void StepOutput::Deliver(bool is_stderr, const char* data, size_t size) {
  WriteLog(data, size);
  if (!is_stderr && stdout_text_.size() < kStdoutLimit) {
    stdout_text_.append(data, std::min(size, kStdoutLimit - stdout_text_.size()));
  }
  if (is_stderr) {
    stderr_tail_.append(data, size);
    if (stderr_tail_.size() > 2 * kTailLimit)
      stderr_tail_.erase(0, stderr_tail_.size() - kTailLimit);
  }
  if (!on_line_) return;
  std::string& partial = streams_[is_stderr].partial_line;
  const char* end = data + size;
  for (const char* at = data; at < end;) {
    const char* newline =
        static_cast<const char*>(std::memchr(at, '\n', static_cast<size_t>(end - at)));
    if (!newline) {
      partial.append(at, end);
      break;
    }
    partial.append(at, newline);
    on_line_(partial, is_stderr);
    partial.clear();
    at = newline + 1;
  }
}

std::string StepOutput::LastStderrLine() const {
  size_t end = stderr_tail_.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return "";
  size_t start = stderr_tail_.rfind('\n', end);
  start = start == std::string::npos ? 0 : start + 1;
  return stderr_tail_.substr(start, std::min(end + 1 - start, kTailLimit));
}

}  // namespace loom::executor
