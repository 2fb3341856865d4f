// Where a path of a step's filesystem view lies on the host, as the parent
// sees it: used to place input artifacts before the step starts and to
// collect outputs after it ends. Isolated steps see the overlay's merged view
// with folders mounted over parts of it (/tmp, emptyDirs, host mounts);
// without isolation view paths are host paths.
#pragma once

#include <string>
#include <vector>

namespace loom::executor {

// A folder mounted at `view` inside the step's view, found at `host` on the host.
struct ViewMount {
  std::string view;
  std::string host;
};

class StepView {
 public:
  // No isolation: relative paths are below the host folder `cwd`.
  static StepView Host(std::string cwd);
  // Isolation: `merged_root` is the overlay's merged view (a host path),
  // `cwd` the working directory inside the view.
  static StepView Isolated(std::string merged_root, std::string cwd, std::vector<ViewMount> mounts);

  // `path` as an absolute, normalized path of the view (relative to the working dir).
  std::string Absolute(const std::string& path) const;

  // Where `path` is on the host. With `beneath` set to a mount's view path,
  // that mount is looked through: the host path of its mount point.
  std::string HostPath(const std::string& path, const std::string& beneath = "") const;

  bool isolated() const { return isolated_; }

 private:
  bool isolated_ = false;
  std::string merged_root_;
  std::string cwd_;
  std::vector<ViewMount> mounts_;
};

}  // namespace loom::executor
