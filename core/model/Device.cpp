#include "core/model/Device.h"

#include <mutex>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <torch/cuda.h>
#include <torch/utils.h>

#include "core/base/Error.h"

namespace latentlab {

bool Device::cudaAvailable()
{
    return torch::cuda::is_available();
}

std::string Device::resolve(const std::string& requested)
{
    if (requested == "auto" || requested.empty())
        return cudaAvailable() ? "cuda" : "cpu";
    if (requested == "cuda" && !cudaAvailable())
        throw Error("CUDA was requested but is not available (this LibTorch has no CUDA support or no GPU is visible)");
    if (requested != "cpu" && requested != "cuda")
        throw Error("unknown device '" + requested + "' (expected auto, cpu or cuda)");
    return requested;
}

namespace {

// glibc serves blocks over 128 KiB (every batch's activations) with mmap and unmaps
// them at free, so each step page-faults its buffers in again until glibc's adaptive
// threshold catches up: measured, the first epoch took 2.4 s instead of 1.5 s.
void keepLargeAllocations()
{
#if defined(__GLIBC__)
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 256 << 20);
        mallopt(M_TRIM_THRESHOLD, 512 << 20);
    });
#endif
}

} // namespace

void Device::setThreadCount(int threads)
{
    if (threads < 0)
        throw Error("thread count must be 0 (all cores) or positive");
    keepLargeAllocations();
    torch::set_num_threads(threads == 0 ? coreCount() : threads);
}

int Device::threadCount()
{
    return torch::get_num_threads();
}

int Device::coreCount()
{
    return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace latentlab
