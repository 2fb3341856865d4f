// Engine overhead without processes: the foresight DAG (N models x
// {split_train, split_test} -> train -> check, one report) and a withSequence
// fan-out, each step "finished" the moment it is started. Reports the time
// per step; it must stay flat as the workflow grows (work per event is
// proportional to what the event touches).
#include <benchmark/benchmark.h>

#include <string>

#include "engine/engine.h"
#include "spec/parser.h"

namespace {

using loom::engine::Command;
using loom::engine::Engine;
using loom::engine::EngineOptions;

std::string ForesightDag(int models) {
  std::string yaml =
      "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: foresight}\n"
      "spec:\n  entrypoint: main\n  templates:\n  - name: main\n    dag:\n      tasks:\n";
  std::string report_depends;
  for (int i = 0; i < models; ++i) {
    std::string n = std::to_string(i);
    yaml += "      - {name: split-train-" + n + ", template: step}\n";
    yaml += "      - {name: split-test-" + n + ", template: step}\n";
    yaml += "      - {name: train-" + n + ", template: step, depends: 'split-train-" + n +
            " && split-test-" + n + "'}\n";
    yaml += "      - {name: check-" + n + ", template: step, depends: train-" + n + "}\n";
    report_depends += (i ? " && check-" : "check-") + n;
  }
  yaml += "      - {name: report, template: step, depends: '" + report_depends + "'}\n";
  yaml += "  - name: step\n    container: {image: alpine, command: [sh, -c, 'true']}\n";
  return yaml;
}

std::string Fanout(int items) {
  return "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: fanout}\n"
         "spec:\n  entrypoint: main\n  templates:\n  - name: main\n    steps:\n"
         "    - - {name: item, template: step, withSequence: {count: '" +
         std::to_string(items) +
         "'}}\n  - name: step\n    container: {image: alpine, command: ['true']}\n";
}

// Runs the workflow to the end, finishing every started step at once.
// Returns the number of steps run.
int64_t RunToEnd(const loom::spec::Workflow& workflow) {
  EngineOptions options;
  options.name = workflow.metadata.name;
  Engine engine(workflow, options);
  engine.Start();
  int64_t steps = 0;
  while (!engine.Done()) {
    auto commands = engine.TakeCommands();
    if (commands.empty()) break;
    for (Command& c : commands) {
      if (c.type != Command::Type::kStart) continue;
      auto now = std::chrono::system_clock::now();
      engine.StepStarted(c.request.id, now);
      loom::executor::StepResult result;
      result.id = c.request.id;
      result.started = true;
      result.exit_code = 0;
      result.started_at = result.finished_at = now;
      engine.StepFinished(result);
      ++steps;
    }
    engine.TakeChangedNodes();
  }
  return steps;
}

void Run(benchmark::State& state, const std::string& yaml) {
  auto parsed = loom::spec::ParseText(yaml, "bench.yaml");
  if (!parsed.ok()) {
    state.SkipWithError("workflow did not parse");
    return;
  }
  int64_t steps = 0;
  for (auto _ : state) steps = RunToEnd(parsed.documents.at(0));
  state.counters["steps"] = static_cast<double>(steps);
  state.counters["per_step"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}

void BM_ForesightDag(benchmark::State& state) {
  Run(state, ForesightDag(static_cast<int>(state.range(0))));
}
BENCHMARK(BM_ForesightDag)->Arg(250)->Arg(2500)->Arg(25000)->Unit(benchmark::kMillisecond);

void BM_Fanout(benchmark::State& state) { Run(state, Fanout(static_cast<int>(state.range(0)))); }
BENCHMARK(BM_Fanout)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
