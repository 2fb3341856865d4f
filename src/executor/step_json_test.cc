// StepRequest and StepResult survive a trip through JSON text unchanged.
#include "executor/step_json.h"

#include <gtest/gtest.h>

namespace loom::executor {
namespace {

TEST(StepJsonTest, RequestRoundTrips) {
  StepRequest r;
  r.id = "uid.node-1";
  r.log_path = "/runs/x/steps/node-1/log";
  r.name = "wf.train(0)";
  r.command = {"python", "-c", "print(1)"};
  r.script = "echo hi\n";
  r.env = {{"A", "1"}, {"B", "two words"}};
  r.working_dir = "/work";
  r.input_artifacts.push_back({"data", "/in/data", std::nullopt, "/store/data.tgz", true, 0644});
  r.input_artifacts.push_back({"raw", "/in/raw", "inline text", "", false, std::nullopt});
  r.output_parameters.push_back({"score", "/tmp/score"});
  r.output_artifacts.push_back({"model", "/out/model", "/store/model.tgz", true, false});
  r.output_artifacts.push_back({"notes", "/out/notes", "/store/notes", false, true});
  r.empty_dirs = {"/scratch"};
  r.annotations = {{"loom.dev/slurm-partition", "gpu"}};
  r.resources = {1500, 2LL << 30, 1};
  r.deadline = Clock::now();

  auto back = StepRequestFromJson(Json::parse(StepRequestToJson(r).dump()));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->id, r.id);
  EXPECT_EQ(back->log_path, r.log_path);
  EXPECT_EQ(back->name, r.name);
  EXPECT_EQ(back->command, r.command);
  EXPECT_EQ(back->script, r.script);
  EXPECT_EQ(back->env, r.env);
  EXPECT_EQ(back->working_dir, r.working_dir);
  ASSERT_EQ(back->input_artifacts.size(), 2u);
  EXPECT_EQ(back->input_artifacts[0].source, "/store/data.tgz");
  EXPECT_TRUE(back->input_artifacts[0].source_is_archive);
  EXPECT_EQ(back->input_artifacts[0].mode, 0644);
  EXPECT_EQ(back->input_artifacts[1].raw_data, "inline text");
  EXPECT_EQ(back->input_artifacts[1].mode, std::nullopt);
  ASSERT_EQ(back->output_parameters.size(), 1u);
  EXPECT_EQ(back->output_parameters[0].path, "/tmp/score");
  ASSERT_EQ(back->output_artifacts.size(), 2u);
  EXPECT_FALSE(back->output_artifacts[1].archive);
  EXPECT_TRUE(back->output_artifacts[1].optional);
  EXPECT_EQ(back->empty_dirs, r.empty_dirs);
  EXPECT_EQ(back->annotations, r.annotations);
  EXPECT_EQ(back->resources.cpu_millis, 1500);
  EXPECT_EQ(back->resources.memory_bytes, 2LL << 30);
  EXPECT_EQ(back->resources.gpus, 1);
  EXPECT_EQ(back->deadline, r.deadline);
}

TEST(StepJsonTest, ResultRoundTrips) {
  StepResult r;
  r.id = "uid.node-1";
  r.started = true;
  r.exit_code = 137;
  r.deadline_exceeded = true;
  r.killed = true;
  r.message = "why";
  r.stdout_text = "line 1\nline 2";
  r.stderr_last_line = "oops";
  r.parameters = {{"score", "0.9\n"}, {"missing", std::nullopt}};
  r.artifacts = {{"model", true}, {"notes", false}};
  r.started_at = Clock::now();
  r.finished_at = r.started_at + std::chrono::milliseconds(1234);

  auto back = StepResultFromJson(Json::parse(StepResultToJson(r).dump()));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(back->id, r.id);
  EXPECT_EQ(back->started, r.started);
  EXPECT_EQ(back->exit_code, r.exit_code);
  EXPECT_EQ(back->deadline_exceeded, r.deadline_exceeded);
  EXPECT_EQ(back->killed, r.killed);
  EXPECT_EQ(back->message, r.message);
  EXPECT_EQ(back->stdout_text, r.stdout_text);
  EXPECT_EQ(back->stderr_last_line, r.stderr_last_line);
  EXPECT_EQ(back->parameters, r.parameters);
  EXPECT_EQ(back->artifacts, r.artifacts);
  EXPECT_EQ(back->started_at, r.started_at);
  EXPECT_EQ(back->finished_at, r.finished_at);
}

TEST(StepJsonTest, MalformedInputIsAnError) {
  EXPECT_FALSE(StepRequestFromJson(Json{{"id", "x"}}).ok());
  EXPECT_FALSE(StepResultFromJson(Json::array()).ok());
}

}  // namespace
}  // namespace loom::executor
