// Runs a fuzz harness on every file in the folders (or files) given, once each, in
// name order: the corpus and its regression inputs as a plain test in the normal
// build. A crash or an exception other than latentlab::Error fails the test, and the
// last "replay:" line names the input. Like libFuzzer's -rss_limit_mb=2048, an input
// may take 2 GiB (address space here, a single allocation under ASan): a reader that
// allocates what a file declares before checking it fails the test with bad_alloc.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <sys/resource.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {

constexpr unsigned long long kMemoryLimitMiB = 2048;

#if defined(__SANITIZE_ADDRESS__)
#define LATENTLAB_REPLAY_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LATENTLAB_REPLAY_ASAN 1
#endif
#endif

// The address space in use now (libraries mapped, LibTorch's pools), in bytes.
unsigned long long addressSpaceInUse()
{
    std::ifstream statm("/proc/self/statm");
    unsigned long long pages = 0;
    statm >> pages;
    return pages * 4096ull;
}

void limitMemory()
{
#ifndef LATENTLAB_REPLAY_ASAN
    // ASan reserves terabytes of shadow memory: there, __asan_default_options below caps
    // each allocation instead.
    const rlimit limit{addressSpaceInUse() + (kMemoryLimitMiB << 20), RLIM_INFINITY};
    if (setrlimit(RLIMIT_AS, &limit) != 0)
        std::perror("replay: setrlimit");
#endif
}

} // namespace

#ifdef LATENTLAB_REPLAY_ASAN
extern "C" const char* __asan_default_options()
{
    return "max_allocation_size_mb=2048:allocator_may_return_null=0";
}
#endif

int main(int argc, char** argv)
{
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    std::vector<fs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg(argv[i]);
        if (fs::is_directory(arg)) {
            for (const fs::directory_entry& entry : fs::directory_iterator(arg))
                if (entry.is_regular_file())
                    inputs.push_back(entry.path());
        } else if (fs::is_regular_file(arg)) {
            inputs.push_back(arg);
        } else {
            std::fprintf(stderr, "replay: %s: no such file or folder\n", argv[i]);
            return 2;
        }
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "replay: no inputs found (is the corpus there?)\n");
        return 2;
    }
    std::sort(inputs.begin(), inputs.end());
    // An empty input first loads what the harness keeps for good (LibTorch's and
    // OpenCV's threads and pools); the limit counts from what is in use after it.
    std::fprintf(stderr, "replay: (empty input)\n");
    LLVMFuzzerTestOneInput(nullptr, 0);
    limitMemory();
    for (const fs::path& input : inputs) {
        std::fprintf(stderr, "replay: %s\n", input.c_str());
        std::ifstream in(input, std::ios::binary);
        const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (!in.eof() && in.fail()) {
            std::fprintf(stderr, "replay: %s: cannot read\n", input.c_str());
            return 2;
        }
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::fprintf(stderr, "replay: %zu inputs, no crash\n", inputs.size());
    return 0;
}
