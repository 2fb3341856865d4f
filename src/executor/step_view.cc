// StepView: view path -> host path, longest mount prefix first.
#include "executor/step_view.h"

#include <filesystem>

namespace loom::executor {

namespace fs = std::filesystem;

namespace {

// "rest" of `path` below `prefix` ("" for the prefix itself), or false.
bool Below(const std::string& path, const std::string& prefix, std::string* rest) {
  if (prefix == "/") {
    *rest = path.substr(1);
    return true;
  }
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  if (path.size() == prefix.size()) {
    rest->clear();
    return true;
  }
  if (path[prefix.size()] != '/') return false;
  *rest = path.substr(prefix.size() + 1);
  return true;
}

std::string Join(const std::string& dir, const std::string& rest) {
  return rest.empty() ? dir : dir + "/" + rest;
}

}  // namespace

StepView StepView::Host(std::string cwd) {
  StepView view;
  view.cwd_ = std::move(cwd);
  return view;
}

StepView StepView::Isolated(std::string merged_root, std::string cwd,
                            std::vector<ViewMount> mounts) {
  StepView view;
  view.isolated_ = true;
  view.merged_root_ = std::move(merged_root);
  view.cwd_ = std::move(cwd);
  view.mounts_ = std::move(mounts);
  return view;
}

std::string StepView::Absolute(const std::string& path) const {
  fs::path p = fs::path(cwd_) / path;  // an absolute `path` replaces cwd_
  std::string out = p.lexically_normal().string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string StepView::HostPath(const std::string& path, const std::string& beneath) const {
  std::string absolute = Absolute(path);
  if (!isolated_) return absolute;
  const ViewMount* best = nullptr;
  std::string best_rest;
  for (const ViewMount& m : mounts_) {
    std::string rest;
    if (m.view == beneath || !Below(absolute, m.view, &rest)) continue;
    if (!best || m.view.size() > best->view.size()) {
      best = &m;
      best_rest = rest;
    }
  }
  if (best) return Join(best->host, best_rest);
  return Join(merged_root_, absolute.substr(1));
}

}  // namespace loom::executor
