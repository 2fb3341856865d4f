// Where `loom cron` finds CronWorkflows: a Loom server's REST API when one is
// named (--server or LOOM_SERVER), else the embedded store, edited directly.
// Only a running `loom server` fires schedules; one started later on that
// store takes up what was edited there. Both return Argo's CronWorkflow objects.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "cli/workflow_client.h"

namespace loom::cli {

class CronClient {
 public:
  virtual ~CronClient() = default;

  // Stores a CronWorkflow (checked first, as `loom lint` checks it); returns it as created.
  virtual Result<Json> Create(const Json& cron) = 0;
  // By name; `label_selector` as `loom list -l`.
  virtual Result<std::vector<Json>> List(const std::string& label_selector,
                                         bool all_namespaces) = 0;
  virtual Result<Json> Get(const std::string& name) = 0;
  // Sets or clears spec.suspend; returns the CronWorkflow after it.
  virtual Result<Json> SetSuspend(const std::string& name, bool suspend) = 0;
  // Removes it and the workflows it created (without a server: the finished ones).
  virtual Status Delete(const std::string& name) = 0;

  // "the server http://..." or "the store ~/.loom/loom.db", for messages.
  virtual std::string Where() const = 0;
};

// The server if options.server is set, else the embedded store.
Result<std::unique_ptr<CronClient>> ConnectCron(const ClientOptions& options);

}  // namespace loom::cli
