// The test Slurm cluster's settings, from the fixture's folder.
#include "tests/slurm_cluster.h"

#include <gtest/gtest.h>
#include <stdio.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace loom {

void UseTestSlurmCluster() {
  std::string conf = std::string(LOOM_TEST_SLURM_DIR) + "/slurm.conf";
  if (!std::filesystem::exists(conf)) {
    ADD_FAILURE() << "no " << conf << ": the test cluster did not start (see slurm_cluster_up)";
    return;
  }
  setenv("SLURM_CONF", conf.c_str(), 1);
}

std::string SlurmCommand(const std::vector<std::string>& argv) {
  std::string command;
  for (const std::string& arg : argv) command += "'" + arg + "' ";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return "";
  std::string out;
  char buffer[4096];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  pclose(pipe);
  return out;
}

}  // namespace loom
