#pragma once
#include <string>

namespace latentlab {

// Where computations run and on how many CPU threads.
class Device {
public:
    static bool cudaAvailable();
    // "auto" -> "cuda" when available, else "cpu"; "cpu" and "cuda" are checked.
    static std::string resolve(const std::string& requested);
    // 0 means all cores. Debian's LibTorch starts with one thread, so this is always set.
    static void setThreadCount(int threads);
    static int threadCount();
    static int coreCount();
};

} // namespace latentlab
