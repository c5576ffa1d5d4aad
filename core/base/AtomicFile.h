#pragma once
// Replaces a file so that its name always points at either the old content or the whole
// new one, after a crash or a power cut too: the parts go to a temporary beside it,
// which is synced to disk before it is renamed over the name, then the folder is synced.
// POSIX only.
#include <string>
#include <string_view>
#include <vector>

namespace latentlab {

class AtomicFile {
public:
    // Writes `parts`, in order, as the new content of `path`. `what` names the file in
    // messages ("the model file"). Throws latentlab::Error naming the path and the
    // reason; the file at `path`, if any, is then unchanged and no temporary is left.
    // Before writing it removes temporaries of `path` that a killed save left behind.
    // Saves to the same path from several threads or processes may overlap: each has
    // its own temporary, and the last rename wins.
    static void write(const std::string& path, const std::vector<std::string_view>& parts,
                      const std::string& what = "the file");

    // The temporary a save of `path` by this process writes first (unique per call).
    static std::string temporaryFor(const std::string& path);
    // Removes temporaries of `path` whose writer is gone: "PATH.tmp" (older LatentLab) and
    // "PATH.tmp-PID-N" of a process that no longer runs. Returns how many it removed.
    static int removeStaleTemporaries(const std::string& path);
};

} // namespace latentlab
