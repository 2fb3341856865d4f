// What the workflow verbs share: client flags, connecting, errors, ages.
#include "cli/verbs.h"

#include <cstdlib>
#include <iostream>

#include "spec/duration.h"

namespace loom::cli {

void AddClientFlags(CLI::App* verb, ClientOptions* options) {
  if (const char* server = std::getenv("LOOM_SERVER")) options->server = server;
  if (const char* token = std::getenv("LOOM_TOKEN")) options->token = token;
  verb->add_option("--server", options->server,
                   "Loom server, http://HOST:PORT (default: $LOOM_SERVER; none: the local store)");
  verb->add_option("-n,--namespace", options->namespace_, "Namespace (default: default)");
  verb->add_option("--db", options->db,
                   "Store to read without a server (default: $LOOM_HOME/loom.db)");
}

std::unique_ptr<WorkflowClient> ConnectOrSay(const ClientOptions& options) {
  auto client = Connect(options);
  if (!client.ok()) {
    Fail(client.error());
    return nullptr;
  }
  return std::move(*client);
}

int Fail(const std::string& message) {
  std::cerr << "loom: " << message << "\n";
  return 1;
}

Result<int64_t> ParseAge(const std::string& text) {
  if (!text.empty() && text.back() == 'd') {
    char* end = nullptr;
    double days = std::strtod(text.c_str(), &end);
    if (end == text.c_str() + text.size() - 1 && days >= 0) {
      return static_cast<int64_t>(days * 86400e3);
    }
  }
  auto seconds = spec::ParseDurationSeconds(text);
  if (!seconds.ok()) return Status::Error("\"" + text + "\": " + seconds.error());
  return static_cast<int64_t>(*seconds * 1e3);
}

void AddWorkflowVerbs(CLI::App& app, int* exit_code) {
  AddSubmitVerb(app, exit_code);
  AddListVerb(app, exit_code);
  AddGetVerbs(app, exit_code);
  AddLogsVerb(app, exit_code);
  AddManageVerbs(app, exit_code);
  AddRerunVerbs(app, exit_code);
  AddCronVerbs(app, exit_code);
  AddTemplateVerbs(app, exit_code);
}

}  // namespace loom::cli
