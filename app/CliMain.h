#pragma once
// latentlab-cli's whole command line: dispatch to a verb, and every error as one message
// on stderr naming the verb. A library function so that tests can run the error paths
// in-process (a process start costs half a second, most of it LibTorch's start-up).
namespace latentlab::cli {

class CliMain {
public:
    // Returns the exit code: 0 success, 1 an error, 2 no or an unknown verb, and what a
    // verb returns (3: training diverged).
    static int run(int argc, char** argv);
};

} // namespace latentlab::cli
