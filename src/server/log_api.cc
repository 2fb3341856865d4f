// GET /api/v1/workflows/{ns}/{name}/log: step logs as Argo's grpc-gateway
// streams them, one {"result":{"content":LINE,"podName":NODE}} a line. The
// logs are read from <run dir>/steps/<node id>/log; with follow the stream
// goes on until the workflow is done.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <regex>
#include <thread>

#include "server/api.h"
#include "server/stored_workflow.h"

namespace loom::server {

namespace {

constexpr std::chrono::milliseconds kPollInterval(250);

struct LogOptions {
  std::string pod;  // node id, name or display name; "" = every step
  bool follow = false;
  std::optional<size_t> tail;
  std::optional<std::regex> grep;
};

// One step's log, read from where the last read ended.
struct LogSource {
  std::string node_id;
  std::string path;
  std::streamoff offset = 0;
  std::string partial;  // a line not ended yet
  bool tailed = false;
};

bool Matches(const Json& node, const std::string& pod) {
  return pod.empty() || node.value("id", "") == pod || node.value("name", "") == pod ||
         node.value("displayName", "") == pod;
}

// Pod nodes of `workflow` that `options` selects, in the order they started.
std::vector<Json> SelectNodes(const Json& workflow, const LogOptions& options) {
  std::vector<Json> nodes;
  const Json all = workflow["status"].value("nodes", Json::object());
  for (const auto& [id, node] : all.items()) {
    if (node.value("type", "") == "Pod" && Matches(node, options.pod)) nodes.push_back(node);
  }
  std::sort(nodes.begin(), nodes.end(), [](const Json& a, const Json& b) {
    return std::pair(a.value("startedAt", ""), a.value("id", "")) <
           std::pair(b.value("startedAt", ""), b.value("id", ""));
  });
  return nodes;
}

class LogStreamer {
 public:
  LogStreamer(store::Store& store, std::string ns, std::string name, LogOptions options)
      : store_(store), ns_(std::move(ns)), name_(std::move(name)), options_(std::move(options)) {}

  void Run(StreamSink& sink) {
    while (sink.Open()) {
      auto workflow = LoadWorkflow(store_, ns_, name_);
      if (!workflow.ok()) return;  // deleted while we followed it
      bool last = !options_.follow || Completed(*workflow);
      std::string run_dir =
          (*workflow)["metadata"]["annotations"].value("loom.dev/run-dir", std::string());
      for (const Json& node : SelectNodes(*workflow, options_)) {
        std::string id = node.value("id", "");
        if (!sources_.count(id)) {
          order_.push_back(id);
          sources_[id] = LogSource{id, run_dir + "/steps/" + id + "/log"};
        }
      }
      for (const std::string& id : order_) {
        if (!Drain(sources_[id], last, sink)) return;
      }
      if (last) return;
      std::this_thread::sleep_for(kPollInterval);
    }
  }

 private:
  // Sends the complete lines added to `source` (and, at the end, the last
  // unterminated one); false if the client has gone.
  bool Drain(LogSource& source, bool end, StreamSink& sink) {
    std::ifstream in(source.path, std::ios::binary);
    std::vector<std::string> lines;
    if (in) {
      in.seekg(source.offset);
      std::string chunk((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      source.offset += static_cast<std::streamoff>(chunk.size());
      source.partial += chunk;
      size_t start = 0;
      for (size_t nl; (nl = source.partial.find('\n', start)) != std::string::npos;
           start = nl + 1) {
        lines.push_back(source.partial.substr(start, nl - start));
      }
      source.partial.erase(0, start);
    }
    if (end && !source.partial.empty()) {
      lines.push_back(std::move(source.partial));
      source.partial.clear();
    }
    if (!source.tailed && options_.tail && lines.size() > *options_.tail) {
      lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(*options_.tail));
    }
    if (!lines.empty()) source.tailed = true;  // tailLines applies to what was there at first
    for (const std::string& line : lines) {
      if (options_.grep && !std::regex_search(line, *options_.grep)) continue;
      Json entry = {{"result", {{"content", line}, {"podName", source.node_id}}}};
      if (!sink.Write(entry.dump() + "\n")) return false;
    }
    return true;
  }

  store::Store& store_;
  std::string ns_, name_;
  LogOptions options_;
  std::map<std::string, LogSource> sources_;
  std::vector<std::string> order_;
};

HttpResponse Logs(const ApiContext& context, const HttpRequest& request) {
  const std::string& ns = request.captures[0];
  const std::string& name = request.captures[1];
  LogOptions options;
  options.pod = request.Query("podName");
  options.follow = request.Query("logOptions.follow") == "true";
  std::string tail = request.Query("logOptions.tailLines");
  if (!tail.empty()) {
    size_t lines = 0;
    auto [end, error] = std::from_chars(tail.data(), tail.data() + tail.size(), lines);
    if (error != std::errc() || end != tail.data() + tail.size()) {
      return HttpResponse::Error(400, "logOptions.tailLines: '" + tail + "' is not a count");
    }
    options.tail = lines;
  }
  std::string grep = request.Query("grep");
  if (!grep.empty()) {
    try {
      options.grep.emplace(grep);
    } catch (const std::regex_error& e) {
      return HttpResponse::Error(400,
                                 "grep: '" + grep + "' is not a regular expression: " + e.what());
    }
  }
  std::string container = request.Query("logOptions.container", "main");
  if (container != "main") {
    return HttpResponse::Error(400, "logOptions.container: Loom steps have one container, main");
  }
  auto workflow = LoadWorkflow(context.store, ns, name);
  if (!workflow.ok()) return HttpResponse::Error(workflow.error().code, workflow.error().message);
  if (!options.pod.empty() && !options.follow && SelectNodes(*workflow, options).empty()) {
    return HttpResponse::Error(404,
                               "workflow \"" + name + "\" has no step \"" + options.pod + "\"");
  }
  HttpResponse response;
  auto streamer = std::make_shared<LogStreamer>(context.store, ns, name, std::move(options));
  response.stream = [streamer](StreamSink& sink) { streamer->Run(sink); };
  return response;
}

}  // namespace

void AddLogRoutes(Router& router, const ApiContext& context) {
  router.Add("GET", "/api/v1/workflows/([^/]+)/([^/]+)/log",
             [context](const HttpRequest& r) { return Logs(context, r); });
}

}  // namespace loom::server
