// Running the built `loom` binary from integration tests, each run with its
// own LOOM_HOME so tests can run in parallel without sharing state.
#pragma once

#include <string>
#include <vector>

namespace loom {

struct LoomResult {
  int exit_code = -1;
  std::string stdout_text;
  std::string stderr_text;
  bool created_runs = false;  // the run left a runs/ folder in its LOOM_HOME
};

// Runs `loom ARGS...`, killing it after `timeout_seconds`. With
// `interrupt_after_seconds` > 0 it is sent SIGINT (Ctrl-C) once that much time has passed.
LoomResult RunLoom(const std::vector<std::string>& args, int timeout_seconds = 300,
                   double interrupt_after_seconds = 0);
// Runs `loom ARGS...` with LOOM_HOME=`home`, which outlives the call (for
// tests of verbs that read what an earlier `loom run` recorded).
LoomResult RunLoomIn(const std::string& home, const std::vector<std::string>& args,
                     int timeout_seconds = 300);
// RunLoomIn with `input` on its standard input.
LoomResult RunLoomWithInput(const std::string& home, const std::vector<std::string>& args,
                            const std::string& input, int timeout_seconds = 300);

// The repository root and the shared/ folder beside it.
std::string SourceDir();
std::string SharedDir();

}  // namespace loom
