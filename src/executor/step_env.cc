// StepEnvironment and ProgramCandidates.
#include "executor/step_env.h"

#include <algorithm>
#include <map>

namespace loom::executor {

namespace {

constexpr char kDefaultPath[] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Libraries that size their thread pools from these, instead of from every core.
constexpr const char* kThreadVariables[] = {"OMP_NUM_THREADS", "MKL_NUM_THREADS",
                                            "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS"};

}  // namespace

std::vector<std::string> StepEnvironment(const StepRequest& request) {
  std::map<std::string, std::string> env = {{"PATH", kDefaultPath}, {"HOME", "/root"}};
  if (request.resources.cpu_millis > 0) {
    int64_t threads = std::max<int64_t>(1, (request.resources.cpu_millis + 999) / 1000);
    for (const char* name : kThreadVariables) env[name] = std::to_string(threads);
  }
  for (const auto& [name, value] : request.env) env[name] = value;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

std::vector<std::string> ProgramCandidates(const std::string& program,
                                           const std::vector<std::string>& environment) {
  if (program.find('/') != std::string::npos) return {program};
  std::string path = kDefaultPath;
  for (const std::string& entry : environment) {
    if (entry.rfind("PATH=", 0) == 0) path = entry.substr(5);
  }
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = path.substr(start, end - start);
    out.push_back((dir.empty() ? "." : dir) + "/" + program);
    start = end + 1;
  }
  return out;
}

}  // namespace loom::executor
