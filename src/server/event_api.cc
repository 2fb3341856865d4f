// GET /api/v1/workflow-events/{ns}: a watch, as Server-Sent Events of
// {"result":{"type":"ADDED|MODIFIED|DELETED","object":WORKFLOW}}. It polls
// the store a few times a second and sends what changed, so a workflow gets
// at most a few events a second and its last event is its final state. A
// watch of one workflow (fieldSelector metadata.name=NAME) sends it with its
// nodes and ends once it has completed or been deleted; a watch of many
// sends them without nodes and goes on until the client leaves.
#include <thread>

#include "server/api.h"
#include "server/list_query.h"
#include "server/stored_workflow.h"

namespace loom::server {

namespace {

constexpr std::chrono::milliseconds kPollInterval(250);
constexpr int kPollsPerKeepAlive = 20;  // a comment every 5 s finds clients that left

std::string Event(const char* type, const Json& object) {
  Json event = {{"result", {{"type", type}, {"object", object}}}};
  return "data: " + event.dump() + "\n\n";
}

class Watch {
 public:
  Watch(store::Store& store, ListQuery query) : store_(store), query_(std::move(query)) {}

  void Run(StreamSink& sink) {
    for (int poll = 1; sink.Open(); ++poll) {
      auto headers = store_.List(query_.filter());
      if (!headers.ok()) return;
      std::map<std::string, Json> now;  // by uid
      for (const store::WorkflowHeader& header : *headers) {
        if (!query_.Matches(header)) continue;
        if (!query_.name()) {
          now[header.uid] = HeaderToWorkflow(header);
          continue;
        }
        auto full = LoadWorkflow(store_, header.namespace_, header.name);
        if (full.ok()) now[header.uid] = std::move(full).value();
      }
      bool ended = false;
      for (auto& [uid, object] : now) {
        auto seen = last_.find(uid);
        if (seen != last_.end() && seen->second == object) continue;
        if (!sink.Write(Event(seen == last_.end() ? "ADDED" : "MODIFIED", object))) return;
        if (query_.name() && Completed(object)) ended = true;
      }
      for (const auto& [uid, object] : last_) {
        if (now.count(uid)) continue;
        if (!sink.Write(Event("DELETED", object))) return;
        if (query_.name()) ended = true;
      }
      last_ = std::move(now);
      if (ended) return;
      if (poll % kPollsPerKeepAlive == 0 && !sink.Write(": keep-alive\n\n")) return;
      std::this_thread::sleep_for(kPollInterval);
    }
  }

 private:
  store::Store& store_;
  ListQuery query_;
  std::map<std::string, Json> last_;
};

HttpResponse Events(const ApiContext& context, const HttpRequest& request) {
  auto query = ListQuery::Parse(request, request.captures[0]);
  if (!query.ok()) return HttpResponse::Error(query.error().code, query.error().message);
  auto watch = std::make_shared<Watch>(context.store, std::move(query).value());
  HttpResponse response;
  response.content_type = "text/event-stream";
  response.stream = [watch](StreamSink& sink) { watch->Run(sink); };
  return response;
}

}  // namespace

void AddEventRoutes(Router& router, const ApiContext& context) {
  router.Add("GET", "/api/v1/workflow-events/{?}",
             [context](const HttpRequest& r) { return Events(context, r); });
}

}  // namespace loom::server
