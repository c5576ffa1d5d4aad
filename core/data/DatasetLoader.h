#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "core/data/Dataset.h"

namespace latentlab {

struct DatasetOptions {
    // Size and colour that folder images are resized, centre-cropped and converted to.
    int imageSize = 28;
    int channels = 1;
    // Where faces:PATH keeps detected faces, so the second run does not detect again
    // (default ~/.cache/latentlab/faces).
    std::string faceCacheDir;
    // How much of a folder: tree is read at most: files and folders scanned, images kept
    // (CelebA has 202,599). Tests lower them.
    std::size_t maxFolderEntries = 1000000;
    std::size_t maxFolderImages = 250000;
    // What takes time reports (done, total) here: faces:PATH's detection, per photo or frame.
    std::function<void(std::size_t, std::size_t)> progress;
};

// A data set spec split into its kind and argument: "synth-faces:100" is {"synth-faces", "100"},
// "cards2" is {"cards", "cards2"}.
struct DatasetSpec {
    std::string kind;
    std::string argument;
};

// Loads a data set from a spec, `kind[:argument]`: the kinds are one table in
// DatasetLoader.cpp, listed by specHelp() (fashion-mnist, the default; idx:, digits,
// folder:, synth-faces, cards, faces:). Sets without their own test split hold out every tenth image (a t10k sibling of an
// idx train file is used as its test set). Throws latentlab::Error naming the file.
class DatasetLoader {
public:
    // Splits and checks a spec without touching the disk (fuzzed: any bytes must give a
    // spec or an Error naming it): unknown kind, missing or malformed argument, a count
    // out of range.
    static DatasetSpec parseSpec(const std::string& spec);
    static DatasetSplit load(const std::string& spec, const DatasetOptions& options = {});
    // Whether a spec nobody asked for now (the one a model file records) may be loaded
    // without asking: only known kinds of bounded size. False for folder: and faces: (they
    // can walk a whole file system), large generated sets, IDX files declaring more than
    // kMaxUnaskedIdxBytes and bad specs; `why` (may be null) then says so for the user.
    // Reads IDX headers, nothing more.
    static bool isSafeToLoadUnasked(const std::string& spec, std::string* why);
    static std::string defaultSpec() { return "fashion-mnist"; }
    // Human-readable list of the spec forms, for --help texts.
    static std::string specHelp();

    // Bounds, named in the messages that enforce them.
    static constexpr std::size_t kMaxSpecLength = 4096;
    static constexpr std::size_t kMinGeneratedCount = 10;
    static constexpr std::size_t kMaxGeneratedCount = 100000;       // synth-faces:N
    static constexpr std::size_t kMaxUnaskedGeneratedCount = 20000; // the default
    static constexpr std::uint64_t kMaxUnaskedIdxBytes = std::uint64_t(256) << 20;
    // folder: also keeps at most this many bytes of pixels, nested at most kMaxFolderDepth.
    static constexpr std::uint64_t kMaxFolderPixelBytes = std::uint64_t(4) << 30;
    static constexpr int kMaxFolderDepth = 32;
};

} // namespace latentlab
