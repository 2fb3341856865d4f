// A stand-in for `loom __supervise STEP_DIR` in the executor's own tests, so
// that they need not build the whole `loom` binary.
#include <iostream>

#include "executor/supervisor.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: loom_test_supervisor STEP_DIR\n";
    return 2;
  }
  return loom::executor::Supervise(argv[1]);
}
