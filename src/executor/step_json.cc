// Field-by-field JSON mapping of the executor's request and result types.
#include "executor/step_json.h"

namespace loom::executor {

namespace {

int64_t ToNanos(TimePoint time) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
}

TimePoint FromNanos(int64_t nanos) {
  return TimePoint(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(nanos)));
}

}  // namespace

Json StepRequestToJson(const StepRequest& r) {
  Json env = Json::array();
  for (const auto& [name, value] : r.env) env.push_back({name, value});
  Json inputs = Json::array();
  for (const InputArtifact& a : r.input_artifacts) {
    Json in = {{"name", a.name},
               {"path", a.path},
               {"source", a.source},
               {"sourceIsArchive", a.source_is_archive}};
    if (a.raw_data) in["rawData"] = *a.raw_data;
    if (a.mode) in["mode"] = *a.mode;
    inputs.push_back(std::move(in));
  }
  Json parameters = Json::array();
  for (const OutputParameter& p : r.output_parameters) {
    parameters.push_back({{"name", p.name}, {"path", p.path}});
  }
  Json artifacts = Json::array();
  for (const OutputArtifact& a : r.output_artifacts) {
    artifacts.push_back({{"name", a.name},
                         {"path", a.path},
                         {"destination", a.destination},
                         {"archive", a.archive},
                         {"optional", a.optional}});
  }
  Json json = {{"id", r.id},
               {"logPath", r.log_path},
               {"name", r.name},
               {"command", r.command},
               {"env", std::move(env)},
               {"workingDir", r.working_dir},
               {"inputArtifacts", std::move(inputs)},
               {"outputParameters", std::move(parameters)},
               {"outputArtifacts", std::move(artifacts)},
               {"emptyDirs", r.empty_dirs},
               {"annotations", r.annotations},
               {"resources",
                {{"cpuMillis", r.resources.cpu_millis},
                 {"memoryBytes", r.resources.memory_bytes},
                 {"gpus", r.resources.gpus}}}};
  if (r.script) json["script"] = *r.script;
  if (r.deadline) json["deadline"] = ToNanos(*r.deadline);
  return json;
}

Result<StepRequest> StepRequestFromJson(const Json& json) {
  try {
    StepRequest r;
    r.id = json.at("id").get<std::string>();
    r.log_path = json.at("logPath").get<std::string>();
    r.name = json.at("name").get<std::string>();
    r.command = json.at("command").get<std::vector<std::string>>();
    if (json.contains("script")) r.script = json["script"].get<std::string>();
    for (const Json& pair : json.at("env")) {
      r.env.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
    }
    r.working_dir = json.at("workingDir").get<std::string>();
    for (const Json& in : json.at("inputArtifacts")) {
      InputArtifact a;
      a.name = in.at("name").get<std::string>();
      a.path = in.at("path").get<std::string>();
      if (in.contains("rawData")) a.raw_data = in["rawData"].get<std::string>();
      a.source = in.at("source").get<std::string>();
      a.source_is_archive = in.at("sourceIsArchive").get<bool>();
      if (in.contains("mode")) a.mode = in["mode"].get<int>();
      r.input_artifacts.push_back(std::move(a));
    }
    for (const Json& p : json.at("outputParameters")) {
      r.output_parameters.push_back(
          {p.at("name").get<std::string>(), p.at("path").get<std::string>()});
    }
    for (const Json& out : json.at("outputArtifacts")) {
      OutputArtifact a;
      a.name = out.at("name").get<std::string>();
      a.path = out.at("path").get<std::string>();
      a.destination = out.at("destination").get<std::string>();
      a.archive = out.at("archive").get<bool>();
      a.optional = out.at("optional").get<bool>();
      r.output_artifacts.push_back(std::move(a));
    }
    r.empty_dirs = json.at("emptyDirs").get<std::vector<std::string>>();
    r.annotations =
        json.value("annotations", Json::object()).get<std::map<std::string, std::string>>();
    const Json& resources = json.at("resources");
    r.resources.cpu_millis = resources.at("cpuMillis").get<int64_t>();
    r.resources.memory_bytes = resources.at("memoryBytes").get<int64_t>();
    r.resources.gpus = resources.at("gpus").get<int64_t>();
    if (json.contains("deadline")) r.deadline = FromNanos(json["deadline"].get<int64_t>());
    return r;
  } catch (const Json::exception& e) {
    return Status::Error(std::string("step request: ") + e.what());
  }
}

Json StepResultToJson(const StepResult& r) {
  Json parameters = Json::object();
  for (const auto& [name, value] : r.parameters) {
    parameters[name] = value ? Json(*value) : Json(nullptr);
  }
  return {{"id", r.id},
          {"started", r.started},
          {"exitCode", r.exit_code},
          {"deadlineExceeded", r.deadline_exceeded},
          {"killed", r.killed},
          {"message", r.message},
          {"stdout", r.stdout_text},
          {"stderrLastLine", r.stderr_last_line},
          {"parameters", std::move(parameters)},
          {"artifacts", r.artifacts},
          {"startedAt", ToNanos(r.started_at)},
          {"finishedAt", ToNanos(r.finished_at)}};
}

Result<StepResult> StepResultFromJson(const Json& json) {
  try {
    StepResult r;
    r.id = json.at("id").get<std::string>();
    r.started = json.at("started").get<bool>();
    r.exit_code = json.at("exitCode").get<int>();
    r.deadline_exceeded = json.at("deadlineExceeded").get<bool>();
    r.killed = json.at("killed").get<bool>();
    r.message = json.at("message").get<std::string>();
    r.stdout_text = json.at("stdout").get<std::string>();
    r.stderr_last_line = json.at("stderrLastLine").get<std::string>();
    for (const auto& [name, value] : json.at("parameters").items()) {
      r.parameters[name] =
          value.is_null() ? std::nullopt : std::optional<std::string>(value.get<std::string>());
    }
    r.artifacts = json.at("artifacts").get<std::map<std::string, bool>>();
    r.started_at = FromNanos(json.at("startedAt").get<int64_t>());
    r.finished_at = FromNanos(json.at("finishedAt").get<int64_t>());
    return r;
  } catch (const Json::exception& e) {
    return Status::Error(std::string("step result: ") + e.what());
  }
}

}  // namespace loom::executor
