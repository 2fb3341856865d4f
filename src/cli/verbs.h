// The verbs that read or act on workflows, as `argo` has them: submit, list,
// get, watch, wait, logs, retry, delete, stop, terminate, suspend, resume,
// resubmit.
// They talk to a Loom server when one is named (--server or LOOM_SERVER),
// else to the embedded store that `loom run` records into.
#pragma once

#include <CLI/CLI.hpp>

#include "cli/workflow_client.h"

namespace loom::cli {

// Adds every workflow verb to `app`. The chosen verb's exit code lands in
// `*exit_code`: 0 it worked (for --wait: every workflow Succeeded), 1 a
// workflow failed or an operation did not work, 2 bad input.
void AddWorkflowVerbs(CLI::App& app, int* exit_code);

// --- for the verb files ---

// --server, -n/--namespace and --db on `verb`, read into `options`
// (LOOM_SERVER and LOOM_TOKEN from the environment).
void AddClientFlags(CLI::App* verb, ClientOptions* options);
// Connects, or prints why not and returns null.
std::unique_ptr<WorkflowClient> ConnectOrSay(const ClientOptions& options);
// Prints "loom: <message>" to stderr and returns 1.
int Fail(const std::string& message);

void AddListVerb(CLI::App& app, int* exit_code);
void AddGetVerbs(CLI::App& app, int* exit_code);  // get, watch, wait
void AddLogsVerb(CLI::App& app, int* exit_code);
void AddSubmitVerb(CLI::App& app, int* exit_code);
void AddManageVerbs(CLI::App& app, int* exit_code);  // delete, stop, terminate, ...
void AddRerunVerbs(CLI::App& app, int* exit_code);   // retry, resubmit
void AddCronVerbs(CLI::App& app, int* exit_code);    // cron create, list, get, ...
// template and cluster-template: create, list, get, delete, lint
void AddTemplateVerbs(CLI::App& app, int* exit_code);

// Prints a Workflow object as -o asks: json, yaml, name, or the summary
// like `argo get` ("" or wide). Returns the exit code.
int PrintWorkflow(const Json& workflow, const std::string& output);
// Follows a workflow until it completes, with the live view on stderr when
// `show`; returns its final state.
Result<Json> WatchWorkflow(WorkflowClient& client, const std::string& name, bool show);

// Milliseconds of "90s", "10m", "2h", "7d" (Go durations plus days), for --since and --older.
Result<int64_t> ParseAge(const std::string& text);

}  // namespace loom::cli
