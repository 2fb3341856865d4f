// Step selection in start order, and log files read from where the last
// read stopped, so following costs what is new.
#include "store/step_logs.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <thread>

#include "base/loom_home.h"

namespace loom::store {

namespace {

bool Names(const Json& node, const std::string& pod) {
  return pod.empty() || node.value("id", "") == pod || node.value("name", "") == pod ||
         node.value("displayName", "") == pod;
}

// Node ids in depth-first order of the tree from the root (the node whose
// id is the workflow's name), then any the tree does not reach.
std::vector<std::string> TreeOrder(const Json& nodes, const std::string& root) {
  std::vector<std::string> order;
  std::set<std::string> seen;
  std::vector<std::string> stack = {root};
  while (!stack.empty()) {
    std::string id = stack.back();
    stack.pop_back();
    auto node = nodes.find(id);
    if (node == nodes.end() || !seen.insert(id).second) continue;
    order.push_back(id);
    const Json children = node->value("children", Json::array());
    for (auto child = children.rbegin(); child != children.rend(); ++child) {
      if (child->is_string()) stack.push_back(child->get<std::string>());
    }
  }
  for (const auto& [id, node] : nodes.items()) {
    if (!seen.count(id)) order.push_back(id);
  }
  return order;
}

}  // namespace

bool Completed(const Json& workflow) {
  const Json& status = workflow.value("status", Json::object());
  return status.is_object() && status.contains("finishedAt");
}

std::string RunDir(const Json& workflow) {
  const Json metadata = workflow.value("metadata", Json::object());
  return metadata.value("annotations", Json::object()).value(kRunDirAnnotation, "");
}

std::vector<Json> SelectPods(const Json& workflow, const std::string& pod) {
  const Json nodes = workflow.value("status", Json::object()).value("nodes", Json::object());
  std::string root = workflow.value("metadata", Json::object()).value("name", "");
  std::vector<Json> pods;
  for (const std::string& id : TreeOrder(nodes, root)) {
    const Json& node = nodes[id];
    if (node.value("type", "") == "Pod" && Names(node, pod)) pods.push_back(node);
  }
  std::stable_sort(pods.begin(), pods.end(), [](const Json& a, const Json& b) {
    return a.value("startedAt", "") < b.value("startedAt", "");
  });
  return pods;
}

StepLogFollower::StepLogFollower(std::function<Result<Json>()> load, StepLogOptions options)
    : load_(std::move(load)), options_(std::move(options)) {}

Status StepLogFollower::Run(
    const std::function<bool(const std::string&, const std::string&)>& emit) {
  while (true) {
    auto workflow = load_();
    if (!workflow.ok()) return workflow.status();
    bool last = !options_.follow || Completed(*workflow);
    std::string run_dir = RunDir(*workflow);
    for (const Json& node : SelectPods(*workflow, options_.pod)) {
      if (!node.contains("startedAt")) continue;
      std::string id = node.value("id", "");
      if (sources_.emplace(id, Source{run_dir + "/steps/" + id + "/log"}).second) {
        order_.push_back(id);
      }
    }
    for (const std::string& id : order_) {
      if (!Drain(id, sources_[id], last, emit)) return Status::Ok();
    }
    if (last) return Status::Ok();
    std::this_thread::sleep_for(options_.poll);
  }
}

bool StepLogFollower::Drain(
    const std::string& id, Source& source, bool end,
    const std::function<bool(const std::string&, const std::string&)>& emit) {
  std::vector<std::string> lines;
  std::ifstream in(source.path, std::ios::binary);
  if (in) {
    in.seekg(source.offset);
    std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    source.offset += static_cast<std::streamoff>(chunk.size());
    source.partial += chunk;
    size_t start = 0;
    for (size_t nl; (nl = source.partial.find('\n', start)) != std::string::npos; start = nl + 1) {
      lines.push_back(source.partial.substr(start, nl - start));
    }
    source.partial.erase(0, start);
  }
  if (end && !source.partial.empty()) {
    lines.push_back(std::move(source.partial));
    source.partial.clear();
  }
  // As Argo's server: tailLines picks the last lines first, grep then filters them.
  if (!source.tailed && options_.tail && lines.size() > *options_.tail) {
    lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(*options_.tail));
  }
  if (!lines.empty()) source.tailed = true;
  for (const std::string& line : lines) {
    if (options_.keep && !options_.keep(line)) continue;
    if (!emit(id, line)) return false;
  }
  return true;
}

}  // namespace loom::store
