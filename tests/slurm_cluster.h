// For tests that run steps on the test Slurm cluster that ctest starts (the
// `slurm` fixture, scripts/slurm-test-cluster.sh) in LOOM_TEST_SLURM_DIR, a
// folder CMake compiles in.
#pragma once

#include <string>
#include <vector>

namespace loom {

// Points SLURM_CONF (for this process and the `loom` it runs) at the test
// cluster. A missing cluster fails the test: these tests must not pass by
// not running.
void UseTestSlurmCluster();

// Runs a Slurm command (scontrol, squeue, ...) on the test cluster; its stdout.
std::string SlurmCommand(const std::vector<std::string>& argv);

}  // namespace loom
