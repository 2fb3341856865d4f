// The REST API, modelled on Argo Server's: the routes and their handlers.
// Workflows (create, list, get, delete, stop/terminate/suspend/resume/
// resubmit/retry) in workflow_api.cc, logs in log_api.cc, the watch (Server-Sent
// Events) in event_api.cc, CronWorkflows in cron_api.cc, (Cluster)WorkflowTemplates
// in template_api.cc, submitting from a stored resource in submit_api.cc. See docs/API.md.
#pragma once

#include "server/controller.h"
#include "server/metrics.h"
#include "server/router.h"
#include "store/store.h"

namespace loom::server {

class CronController;

struct ApiContext {
  store::Store& store;
  Controller& controller;
  Metrics& metrics;
  CronController* cron = nullptr;  // told of CronWorkflow changes, when the server has one
};

void AddWorkflowRoutes(Router& router, const ApiContext& context);
void AddLogRoutes(Router& router, const ApiContext& context);
void AddEventRoutes(Router& router, const ApiContext& context);
void AddCronRoutes(Router& router, const ApiContext& context);
void AddTemplateRoutes(Router& router, const ApiContext& context);
void AddSubmitRoutes(Router& router, const ApiContext& context);

// Every route above.
inline void AddApiRoutes(Router& router, const ApiContext& context) {
  AddWorkflowRoutes(router, context);
  AddLogRoutes(router, context);
  AddEventRoutes(router, context);
  AddCronRoutes(router, context);
  AddTemplateRoutes(router, context);
  AddSubmitRoutes(router, context);
}

}  // namespace loom::server
