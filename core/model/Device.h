#pragma once
#include <string>

namespace latentlab {

// Where computations run and on how many CPU threads.
class Device {
public:
    static bool cudaAvailable();
    // "auto" -> "cuda" when available, else "cpu"; "cpu" and "cuda" are checked.
    static std::string resolve(const std::string& requested);
    // 0 means all cores. Debian's LibTorch starts with one thread, so every entry point
    // that computes sets this; it also keeps glibc from unmapping large tensor buffers.
    static void setThreadCount(int threads);
    static int threadCount();
    static int coreCount();
};

} // namespace latentlab
