#pragma once
// What a faces: source is (a folder's photos or a video) and its fingerprint, and the
// cache of the faces found in it: one file per source and options, whole or ignored.
// Private to the face pipeline.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/data/faces/FacePipeline.h"

namespace latentlab {

struct FaceSource {
    bool video = false;
    std::vector<std::filesystem::path> photos; // sorted
    std::string key;              // names the cache file: the path and the options
    std::string fingerprint;      // the key and every file's size and time
};


struct FoundFaces {
    std::vector<std::string> names;
    std::vector<signed char> attributes; // two per face: Smiling_auto, Eyeglasses_auto
    std::vector<std::uint8_t> pixels;    // channel-first, as the data set keeps them
};


// Throws latentlab::Error when the path is neither a folder with photos nor a video.
FaceSource describeFaceSource(const std::string& path, const FaceOptions& options);
bool isVideoFile(const std::filesystem::path& p);
std::string faceCacheFile(const std::string& dir, const FaceSource& source, const std::string& path);
// A cache that cannot be written only makes the next run slower: never throws.
void writeFaceCache(const std::string& file, const FaceSource& source, int size, const FoundFaces& faces,
                    const FaceReport& report);
// The cached faces when the file is whole and made from this very source with these
// options; false on anything else (missing, truncated, corrupt, stale), to detect again.
bool readFaceCache(const std::string& file, const FaceSource& source, int size, FoundFaces* faces, FaceReport* report);

} // namespace latentlab
