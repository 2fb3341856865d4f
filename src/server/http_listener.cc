// cpp-httplib glue: one catch-all handler per method hands every request to
// the router, so that 404 and 405 are decided in one place.
#include "server/http_listener.h"

#include <httplib.h>

#include "base/version.h"
#include "server/auth.h"

namespace loom::server {

namespace {

// Long-lived streams (log follow, watches) each hold a thread.
constexpr size_t kThreads = 64;
constexpr size_t kMaxBody = 64 << 20;

class ChunkSink : public StreamSink {
 public:
  ChunkSink(httplib::DataSink& sink, const std::atomic<bool>& stopping)
      : sink_(sink), stopping_(stopping) {}
  bool Write(const std::string& data) override {
    return Open() && sink_.write(data.data(), data.size());
  }
  bool Open() const override { return !stopping_ && sink_.is_writable(); }

 private:
  httplib::DataSink& sink_;
  const std::atomic<bool>& stopping_;
};

HttpRequest Convert(const httplib::Request& in) {
  HttpRequest out;
  out.method = in.method;
  out.path = in.path;
  // Not in.params: cpp-httplib 0.11 keeps only the text after a value's last
  // '=', and Argo's selectors (fieldSelector=metadata.name=x) hold several.
  size_t question = in.target.find('?');
  std::string query = question == std::string::npos ? "" : in.target.substr(question + 1);
  httplib::detail::split(query.data(), query.data() + query.size(), '&',
                         [&](const char* begin, const char* end) {
                           std::string pair(begin, end);
                           size_t eq = pair.find('=');
                           std::string key = pair.substr(0, eq);
                           std::string value = eq == std::string::npos ? "" : pair.substr(eq + 1);
                           out.query.emplace(httplib::detail::decode_url(key, true),
                                             httplib::detail::decode_url(value, true));
                         });
  out.body = in.body;
  return out;
}

}  // namespace

struct HttpListener::Impl {
  Impl(const Router& r, std::string t) : router(r), token(std::move(t)) {}

  const Router& router;
  std::string token;
  httplib::Server http;
  std::thread thread;
  std::atomic<bool> stopping{false};

  void Serve(const httplib::Request& in, httplib::Response& out) {
    HttpResponse response;
    try {
      response = router.Dispatch(Convert(in));
    } catch (const std::exception& e) {
      response = HttpResponse::Error(500, std::string("internal error: ") + e.what());
    }
    out.status = response.status;
    if (!response.stream) {
      out.set_content(response.body, response.content_type);
      return;
    }
    auto stream = std::make_shared<std::function<void(StreamSink&)>>(std::move(response.stream));
    out.set_chunked_content_provider(response.content_type,
                                     [this, stream](size_t, httplib::DataSink& sink) {
                                       ChunkSink chunks(sink, stopping);
                                       try {
                                         (*stream)(chunks);
                                       } catch (const std::exception&) {
                                         // The headers are sent: ending early is all that is left.
                                       }
                                       sink.done();
                                       return true;
                                     });
  }

  // Answers requests that lack the token; lets the others through.
  httplib::Server::HandlerResponse Check(const httplib::Request& in, httplib::Response& out) {
    if (token.empty() || BearerMatches(in.get_header_value("Authorization"), token)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    HttpResponse denied = HttpResponse::Error(
        401,
        "missing or wrong bearer token: send 'Authorization: Bearer <token>' with the "
        "token from the server's token file");
    out.status = denied.status;
    out.set_content(denied.body, denied.content_type);
    return httplib::Server::HandlerResponse::Handled;
  }
};

HttpListener::HttpListener(const Router& router, std::string token)
    : impl_(std::make_unique<Impl>(router, std::move(token))) {}

HttpListener::~HttpListener() { Stop(); }

Result<int> HttpListener::Start(const std::string& host, int port) {
  Impl& impl = *impl_;
  impl.http.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  impl.http.set_payload_max_length(kMaxBody);
  impl.http.set_default_headers({{"X-Loom-Version", kLoomVersion}});
  impl.http.set_pre_routing_handler(
      [&impl](const httplib::Request& in, httplib::Response& out) { return impl.Check(in, out); });
  auto serve = [&impl](const httplib::Request& in, httplib::Response& out) { impl.Serve(in, out); };
  impl.http.Get(".*", serve);
  impl.http.Post(".*", serve);
  impl.http.Put(".*", serve);
  impl.http.Delete(".*", serve);
  impl.http.Patch(".*", serve);
  impl.http.Options(".*", serve);
  int bound = port;
  if (port == 0) {
    bound = impl.http.bind_to_any_port(host);
    if (bound < 0) return Result<int>::Error("cannot listen on " + host + " (any port)");
  } else if (!impl.http.bind_to_port(host, port)) {
    return Result<int>::Error("cannot listen on " + host + ":" + std::to_string(port) +
                              " (in use, or not an address of this machine)");
  }
  impl.thread = std::thread([&impl] { impl.http.listen_after_bind(); });
  return bound;
}

void HttpListener::Stop() {
  if (!impl_->thread.joinable()) return;
  impl_->stopping = true;
  impl_->http.stop();
  impl_->thread.join();
}

}  // namespace loom::server
