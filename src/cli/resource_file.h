// What the verbs of stored resources (`loom template`, `loom cluster-template`,
// `loom cron`) share: loading them from files checked as `loom lint` checks
// them, their lint verb, printing one with -o, and delete by name or --all.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "server/template_library.h"

namespace loom::cli {

// The documents of kind `kind` in `file` ("-": standard input) as JSON,
// after every document of the file passed LintDocuments as a local run (its
// templateRefs resolved in the file, then in `templates`). On failure
// `problems` holds one file:line:col line per diagnostic, or is empty when
// the error itself says what is wrong (an unreadable file, no such kind).
Result<std::vector<Json>> LoadResources(const std::string& file, const std::string& kind,
                                        const server::TemplateLookup& templates,
                                        std::string* problems);

// The lint verb: every problem of every file on stderr, a count, exit 2 if any.
int LintResourceFiles(const std::vector<std::string>& files, const std::string& kind,
                      const server::TemplateLookup& templates);

// -o name, json or yaml; anything else prints `details`.
void PrintResource(const Json& resource, const std::string& output,
                   const std::function<void()>& details);

// list -o name or json; false (nothing printed) for any other output.
bool PrintResourceList(const std::vector<Json>& resources, const std::string& output);

// Deletes `names`, or with `all` every resource `list_all` returns, saying
// "<kind> '<name>' deleted" for each; the exit code (1 if any failed).
int DeleteResources(const std::string& kind, std::vector<std::string> names, bool all,
                    const std::function<Result<std::vector<Json>>()>& list_all,
                    const std::function<Status(const std::string&)>& remove);

}  // namespace loom::cli
