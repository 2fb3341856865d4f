// Host mount discovery and overlay creation for step isolation.
#include "executor/sandbox.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace loom::executor {

namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8)));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> TopLevelMounts() {
  std::ifstream in("/proc/self/mountinfo");
  if (!in) return Result<std::vector<std::string>>::Error("cannot read /proc/self/mountinfo");
  std::map<int, int> parent_of;
  std::map<int, std::string> point_of;
  int root_id = -1;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    int id = 0, parent = 0;
    std::string device, root, point;
    if (!(fields >> id >> parent >> device >> root >> point)) continue;
    point = Unescape(point);
    parent_of[id] = parent;
    point_of[id] = point;
    if (point == "/") root_id = id;  // the last one mounted on / is the visible root
  }
  std::vector<std::string> out;
  for (const auto& [id, parent] : parent_of) {
    if (parent == root_id && id != root_id) out.push_back(point_of[id]);
  }
  return out;
}

Result<Overlay> Overlay::Create(const std::string& upper_dir, const std::string& work_dir) {
  int fs = fsopen("overlay", FSOPEN_CLOEXEC);
  if (fs < 0) return Result<Overlay>::Error(std::string("fsopen overlay: ") + std::strerror(errno));
  const char* step = "lowerdir";
  bool ok = fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", "/", 0) == 0;
  if (ok) step = "upperdir";
  ok = ok && fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", upper_dir.c_str(), 0) == 0;
  if (ok) step = "workdir";
  ok = ok && fsconfig(fs, FSCONFIG_SET_STRING, "workdir", work_dir.c_str(), 0) == 0;
  if (ok) step = "create";
  ok = ok && fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) == 0;
  int fd = ok ? fsmount(fs, FSMOUNT_CLOEXEC, 0) : -1;
  int error = errno;
  close(fs);
  if (fd < 0) {
    return Result<Overlay>::Error(std::string("overlay mount (") + (ok ? "fsmount" : step) +
                                  "): " + std::strerror(error));
  }
  return Overlay(fd);
}

Overlay& Overlay::operator=(Overlay&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Overlay::~Overlay() {
  if (fd_ >= 0) close(fd_);
}

}  // namespace loom::executor
