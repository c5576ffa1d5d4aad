#include "core/Device.h"

#include <thread>

#include <torch/cuda.h>
#include <torch/utils.h>

#include "core/Error.h"

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

void Device::setThreadCount(int threads)
{
    if (threads < 0)
        throw Error("thread count must be 0 (all cores) or positive");
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
