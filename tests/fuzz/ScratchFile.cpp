#include "tests/fuzz/ScratchFile.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace fs = std::filesystem;

namespace latentlab::fuzz {

ScratchFile::ScratchFile(const std::string& name)
{
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    folder_ = (base / ("latentlab-fuzz-" + std::to_string(::getpid()))).string();
    std::error_code ec;
    fs::create_directories(folder_, ec);
    if (ec) {
        std::fprintf(stderr, "fuzz: cannot create %s: %s\n", folder_.c_str(), ec.message().c_str());
        std::abort();
    }
    path_ = folder_ + "/" + name;
}

ScratchFile::~ScratchFile()
{
    std::error_code ec;
    fs::remove_all(folder_, ec);
}

void ScratchFile::write(const std::uint8_t* data, std::size_t size) const
{
    std::FILE* file = std::fopen(path_.c_str(), "wb");
    if (!file || (size > 0 && std::fwrite(data, 1, size, file) != size) || std::fclose(file) != 0) {
        std::fprintf(stderr, "fuzz: cannot write %s\n", path_.c_str());
        std::abort();
    }
}

} // namespace latentlab::fuzz
