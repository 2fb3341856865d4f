// CronWorkflows in the store (its objects of kind CronWorkflow), created,
// replaced, suspended, resumed, listed and deleted the way Argo Server's
// CronWorkflowService does, each one checked as `loom lint` checks it first.
// Used by the REST API and, without a server, by `loom cron`. The status is
// the CronController's: an edit keeps it, and a concurrent status write makes
// the edit read again and retry (the store's expected-version check).
//
// Thread safety: as the store; calls may come from any thread.
#pragma once

#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "base/json.h"
#include "server/api_result.h"
#include "store/store.h"

namespace loom::server {

class CronStore {
 public:
  explicit CronStore(store::Store& store);

  // Names it (metadata.name, else generateName plus 5 characters), gives it
  // uid and creationTimestamp and stores it. 400 if it does not pass the
  // checks, 409 if the name is taken.
  ApiResult<Json> Create(const std::string& namespace_, Json cron);
  // 404 if there is none.
  ApiResult<Json> Get(const std::string& namespace_, const std::string& name);
  // By name; namespace_ "" = every namespace; label_selector as `kubectl -l`.
  ApiResult<std::vector<Json>> List(const std::string& namespace_,
                                    const std::string& label_selector);
  // Replaces metadata and spec. A metadata.resourceVersion in `cron` must be
  // the stored one (409 otherwise), as in Kubernetes.
  ApiResult<Json> Update(const std::string& namespace_, const std::string& name, Json cron);
  // Sets or clears spec.suspend; returns the object after it.
  ApiResult<Json> SetSuspend(const std::string& namespace_, const std::string& name, bool suspend);
  // Removes it; returns it as it was (404 if there was none).
  ApiResult<Json> Delete(const std::string& namespace_, const std::string& name);

 private:
  ApiResult<store::StoredObject> Find(const std::string& namespace_, const std::string& name);
  std::string RandomSuffix(size_t length, bool hex);

  store::Store& store_;
  std::mutex mutex_;  // guards random_
  std::mt19937_64 random_;
};

// "cron workflow \"NAME\" not found in namespace \"NS\"".
std::string CronNotFound(const std::string& namespace_, const std::string& name);

}  // namespace loom::server
