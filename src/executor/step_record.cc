// The files of a supervised step's folder, written by replacing them whole
// (write a temp file, then rename) so that a reader never sees half of one.
#include "executor/step_record.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "executor/step_json.h"

namespace loom::executor {

namespace {

constexpr char kRecordFile[] = "/step.json";
constexpr char kPidFile[] = "/supervisor.pid";
constexpr char kResultFile[] = "/result.json";

int64_t ToNanos(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

const char* IsolationName(Isolation isolation) {
  switch (isolation) {
    case Isolation::kAuto:
      return "auto";
    case Isolation::kOverlay:
      return "overlay";
    case Isolation::kNone:
      return "none";
  }
  return "auto";
}

Status Errno(const std::string& what) { return Status::Error(what + ": " + std::strerror(errno)); }

bool WriteAll(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// Replaces `path` with `text`; with `durable`, the data and the rename are on
// disk before it returns.
Status ReplaceFile(const std::string& path, const std::string& text, bool durable) {
  std::string temp = path + ".tmp";
  int fd = open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("create " + temp);
  bool ok = WriteAll(fd, text) && (!durable || fsync(fd) == 0);
  if (close(fd) != 0) ok = false;
  if (!ok || rename(temp.c_str(), path.c_str()) != 0) {
    Status s = Errno("write " + path);
    unlink(temp.c_str());
    return s;
  }
  if (durable) {
    std::string dir = std::filesystem::path(path).parent_path().string();
    int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd < 0) return Errno("open " + dir);
    int synced = fsync(dir_fd);
    close(dir_fd);
    if (synced != 0) return Errno("fsync " + dir);
  }
  return Status::Ok();
}

std::optional<Json> ReadJson(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  Json json = Json::parse(text.str(), nullptr, false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

// Step output need not be UTF-8; JSON must be.
std::string Dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Status WriteStepRecord(const std::string& dir, const StepRecord& record) {
  unlink((dir + kResultFile).c_str());
  unlink((dir + kPidFile).c_str());
  Json json = {{"request", StepRequestToJson(record.request)},
               {"isolation", IsolationName(record.isolation)},
               {"handedAt", ToNanos(record.handed_at)}};
  return ReplaceFile(dir + kRecordFile, Dump(json), false);
}

Result<StepRecord> ReadStepRecord(const std::string& dir) {
  std::optional<Json> json = ReadJson(dir + kRecordFile);
  if (!json || !json->is_object()) return Status::Error("no step record in " + dir);
  auto request = StepRequestFromJson(json->value("request", Json::object()));
  if (!request.ok()) return request.status();
  StepRecord record;
  record.request = std::move(*request);
  std::string isolation = json->value("isolation", "auto");
  record.isolation = isolation == "none"      ? Isolation::kNone
                     : isolation == "overlay" ? Isolation::kOverlay
                                              : Isolation::kAuto;
  record.handed_at = TimePoint(std::chrono::duration_cast<Clock::duration>(
      std::chrono::nanoseconds(json->value("handedAt", int64_t{0}))));
  return record;
}

Status WriteSupervisorPid(const std::string& dir, pid_t pid) {
  return ReplaceFile(dir + kPidFile, std::to_string(pid) + "\n", false);
}

std::optional<pid_t> ReadSupervisorPid(const std::string& dir) {
  std::ifstream in(dir + kPidFile);
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return pid;
}

Status WriteStepResult(const std::string& dir, const StepResult& result) {
  return ReplaceFile(dir + kResultFile, Dump(StepResultToJson(result)), true);
}

std::optional<StepResult> ReadStepResult(const std::string& dir) {
  std::optional<Json> json = ReadJson(dir + kResultFile);
  if (!json) return std::nullopt;
  auto result = StepResultFromJson(*json);
  if (!result.ok()) return std::nullopt;
  return std::move(*result);
}

}  // namespace loom::executor
