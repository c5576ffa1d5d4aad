#include "core/base/AtomicFile.h"

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <system_error>

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include "core/base/Error.h"

namespace latentlab {

namespace {

std::string reason(int error)
{
    return std::error_code(error, std::generic_category()).message();
}

std::string folderOf(const std::string& path)
{
    const std::string folder = std::filesystem::path(path).parent_path().string();
    return folder.empty() ? "." : folder;
}

// "PID-N" after the prefix: the writer's process id, or 0 when the rest is not that.
pid_t writerOf(const std::string& rest)
{
    const std::size_t dash = rest.find('-');
    if (dash == 0 || dash == std::string::npos || dash + 1 == rest.size() || dash > 9)
        return 0;
    pid_t pid = 0;
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (i == dash)
            continue;
        if (rest[i] < '0' || rest[i] > '9')
            return 0;
        if (i < dash)
            pid = pid * 10 + (rest[i] - '0');
    }
    return pid;
}

// Closes the temporary and removes it unless the rename took it.
class Temporary {
public:
    Temporary(std::string name, int fd) : name_(std::move(name)), fd_(fd) {}
    ~Temporary()
    {
        if (fd_ >= 0)
            ::close(fd_);
        if (!renamed_)
            ::unlink(name_.c_str());
    }
    Temporary(const Temporary&) = delete;
    Temporary& operator=(const Temporary&) = delete;

    int fd() const { return fd_; }
    const std::string& name() const { return name_; }
    int close()
    {
        const int result = ::close(fd_);
        fd_ = -1;
        return result;
    }
    void renamed() { renamed_ = true; }

private:
    std::string name_;
    int fd_;
    bool renamed_ = false;
};

} // namespace

std::string AtomicFile::temporaryFor(const std::string& path)
{
    static std::atomic<unsigned long long> counter{0};
    return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(++counter);
}

int AtomicFile::removeStaleTemporaries(const std::string& path)
{
    const std::string prefix = std::filesystem::path(path).filename().string() + ".tmp";
    if (prefix == ".tmp")
        return 0;
    int removed = 0;
    std::error_code ec;
    // Best effort: a folder that cannot be listed fails the write itself, with its reason.
    for (std::filesystem::directory_iterator it(folderOf(path), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        bool stale = name.size() == prefix.size(); // an older LatentLab's fixed name
        if (!stale && name[prefix.size()] == '-') {
            const pid_t writer = writerOf(name.substr(prefix.size() + 1));
            // Ours may be in flight in another thread; another process's only when it is gone.
            stale = writer > 0 && writer != ::getpid() && ::kill(writer, 0) != 0 && errno == ESRCH;
        }
        if (stale && ::unlink(it->path().c_str()) == 0)
            ++removed;
    }
    return removed;
}

void AtomicFile::write(const std::string& path, const std::vector<std::string_view>& parts, const std::string& what)
{
    removeStaleTemporaries(path);
    const std::string name = temporaryFor(path);
    // O_EXCL and O_NOFOLLOW: never write through a link someone left at the temporary's name.
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        throw Error(path + ": cannot write " + what + " (" + reason(errno) + "; is the folder there and writable?)");
    Temporary temporary(name, fd);
    for (const std::string_view part : parts) {
        const char* data = part.data();
        std::size_t left = part.size();
        while (left > 0) {
            const ssize_t written = ::write(temporary.fd(), data, left);
            if (written < 0 && errno == EINTR)
                continue;
            if (written <= 0)
                throw Error(path + ": writing " + what + " failed (" + reason(written < 0 ? errno : ENOSPC)
                            + "); the file there, if any, is unchanged");
            data += written;
            left -= std::size_t(written);
        }
    }
    // The data reaches the disk before the name points at it: a power cut then leaves
    // the old file or the new one, never a name for blocks that were never written.
    if (::fsync(temporary.fd()) != 0)
        throw Error(path + ": writing " + what + " failed (" + reason(errno) + "); the file there, if any, is unchanged");
    if (temporary.close() != 0)
        throw Error(path + ": writing " + what + " failed (" + reason(errno) + "); the file there, if any, is unchanged");
    if (::rename(name.c_str(), path.c_str()) != 0)
        throw Error(path + ": cannot replace " + what + " (" + reason(errno) + ")");
    temporary.renamed();
    // The rename itself lives in the folder. Best effort: the file is in place whatever
    // this says, and some file systems cannot sync a folder.
    const int folder = ::open(folderOf(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (folder >= 0) {
        ::fsync(folder);
        ::close(folder);
    }
}

} // namespace latentlab
