#pragma once
// The readers LatentLab fuzzes take paths, so each input is written to a file first:
// one folder per process in /dev/shm (memory, no disk wear), removed at exit.
#include <cstddef>
#include <cstdint>
#include <string>

namespace latentlab::fuzz {

class ScratchFile {
public:
    // NAME is the file's name in the folder (its extension matters to some readers).
    explicit ScratchFile(const std::string& name);
    ~ScratchFile();
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    // Replaces the file's contents with SIZE bytes at DATA; aborts when it cannot
    // (a harness that cannot write its input would test nothing).
    void write(const std::uint8_t* data, std::size_t size) const;
    const std::string& path() const { return path_; }

private:
    std::string folder_;
    std::string path_;
};

} // namespace latentlab::fuzz
