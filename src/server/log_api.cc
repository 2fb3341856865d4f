// GET /api/v1/workflows/{ns}/{name}/log: step logs as Argo's grpc-gateway
// streams them, one {"result":{"content":LINE,"podName":NODE}} a line. The
// logs are read from <run dir>/steps/<node id>/log; with follow the stream
// goes on until the workflow is done.
#include <charconv>
#include <memory>

#include "expr/regex.h"
#include "server/api.h"
#include "server/stored_workflow.h"
#include "store/step_logs.h"

namespace loom::server {

namespace {

HttpResponse Logs(const ApiContext& context, const HttpRequest& request) {
  const std::string& ns = request.captures[0];
  const std::string& name = request.captures[1];
  store::StepLogOptions options;
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
    // Go's syntax, as Argo takes it; matching time is linear in the line.
    auto compiled = expr::Regex::Compile(grep);
    if (!compiled.ok()) return HttpResponse::Error(400, "grep: " + compiled.error());
    options.keep = [regex = *compiled](const std::string& line) { return regex->Search(line); };
  }
  std::string container = request.Query("logOptions.container", "main");
  if (container != "main") {
    return HttpResponse::Error(400, "logOptions.container: Loom steps have one container, main");
  }
  auto workflow = LoadWorkflow(context.store, ns, name);
  if (!workflow.ok()) return HttpResponse::Error(workflow.error().code, workflow.error().message);
  if (!options.pod.empty() && !options.follow &&
      store::SelectPods(*workflow, options.pod).empty()) {
    return HttpResponse::Error(404,
                               "workflow \"" + name + "\" has no step \"" + options.pod + "\"");
  }
  HttpResponse response;
  auto follower = std::make_shared<store::StepLogFollower>(
      [&store = context.store, ns, name]() -> Result<Json> {
        auto loaded = LoadWorkflow(store, ns, name);
        if (!loaded.ok()) return Status::Error(loaded.error().message);  // deleted meanwhile
        return std::move(loaded).value();
      },
      std::move(options));
  response.stream = [follower](StreamSink& sink) {
    follower->Run([&sink](const std::string& node, const std::string& line) {
      Json entry = {{"result", {{"content", line}, {"podName", node}}}};
      return sink.Open() && sink.Write(entry.dump() + "\n");
    });
  };
  return response;
}

}  // namespace

void AddLogRoutes(Router& router, const ApiContext& context) {
  router.Add("GET", "/api/v1/workflows/{}/{}/log",
             [context](const HttpRequest& r) { return Logs(context, r); });
}

}  // namespace loom::server
