#include "core/data/DatasetLoader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>


#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "core/data/CardsGenerator.h"
#include "core/base/Error.h"
#include "core/data/faces/FacePipeline.h"
#include "core/formats/IdxFile.h"
#include "core/data/SyntheticFaces.h"
#include "core/formats/ImageIO.h"

namespace fs = std::filesystem;

namespace latentlab {

namespace {

const char* const kFashionClasses[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                       "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

std::string envOr(const char* name, const char* fallback)
{
    const char* value = std::getenv(name);
    return value && *value ? value : fallback;
}

// A number with thousands separators, as messages show bounds: 100,000.
std::string withCommas(std::uint64_t n)
{
    std::string digits = std::to_string(n);
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(std::size_t(i), ",");
    return digits;
}

std::string megabytes(std::uint64_t bytes)
{
    return withCommas((bytes + (1u << 20) - 1) >> 20) + " MB";
}

// A spec as messages quote it: short, and without control characters.
std::string quoted(const std::string& spec)
{
    constexpr std::size_t kShown = 200;
    std::string shown = spec.substr(0, kShown);
    for (char& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = '?';
    return "'" + shown + (spec.size() > kShown ? "...'" : "'");
}

std::vector<std::string> digitNames()
{
    std::vector<std::string> names;
    for (int i = 0; i < 10; ++i)
        names.push_back(std::to_string(i));
    return names;
}

// Images (and labels, when given) of one IDX pair as a Dataset.
Dataset loadIdxPair(const std::string& name, const std::string& imagesPath, const std::string& labelsPath,
                    std::vector<std::string> classNames)
{
    IdxArray images = IdxFile::read(imagesPath);
    if (images.dims.size() != 3)
        throw Error(imagesPath + ": expected an IDX array of images (3 dimensions), found "
                    + std::to_string(images.dims.size()) + " dimensions");
    std::vector<int> labels;
    if (!labelsPath.empty()) {
        IdxArray labelArray = IdxFile::read(labelsPath);
        if (labelArray.dims.size() != 1)
            throw Error(labelsPath + ": expected an IDX array of labels (1 dimension), found "
                        + std::to_string(labelArray.dims.size()) + " dimensions");
        if (labelArray.dims[0] != images.dims[0])
            throw Error(labelsPath + ": has " + std::to_string(labelArray.dims[0]) + " labels but "
                        + imagesPath + " has " + std::to_string(images.dims[0]) + " images");
        labels.assign(labelArray.data.begin(), labelArray.data.end());
        if (classNames.empty()) {
            const int maxLabel = *std::max_element(labels.begin(), labels.end());
            for (int i = 0; i <= maxLabel; ++i)
                classNames.push_back(std::to_string(i));
        }
    }
    return Dataset(name, ImageShape{1, images.dims[1], images.dims[2]}, std::move(images.data), std::move(labels),
                   std::move(classNames));
}

// Every tenth image (index % 10 == 9) is held out as the test set.
DatasetSplit holdOutTenth(const std::string& spec, const Dataset& all)
{
    std::vector<std::size_t> train, test;
    for (std::size_t i = 0; i < all.size(); ++i)
        (i % 10 == 9 ? test : train).push_back(i);
    if (test.empty())
        throw Error(spec + ": needs at least 10 images to hold out a test set, has " + std::to_string(all.size()));
    return {spec, all.subset(train), all.subset(test), {}};
}

DatasetSplit loadFashionMnist(const std::string& spec)
{
    const std::string dir = envOr("LATENTLAB_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist");
    if (!fs::exists(dir + "/train-images-idx3-ubyte.gz"))
        throw Error("Fashion-MNIST not found in " + dir + " (install Debian's dataset-fashion-mnist package)");
    const std::vector<std::string> names(std::begin(kFashionClasses), std::end(kFashionClasses));
    return {spec,
            loadIdxPair("fashion-mnist", dir + "/train-images-idx3-ubyte.gz", dir + "/train-labels-idx1-ubyte.gz", names),
            loadIdxPair("fashion-mnist", dir + "/t10k-images-idx3-ubyte.gz", dir + "/t10k-labels-idx1-ubyte.gz", names), {}};
}

// idx:IMAGES[,LABELS]: the labels file is optional.
std::pair<std::string, std::string> idxFiles(const std::string& argument)
{
    const std::size_t comma = argument.find(',');
    return {argument.substr(0, comma), comma == std::string::npos ? std::string() : argument.substr(comma + 1)};
}

// MNIST naming: train-images... has a t10k-images... sibling holding the test set; empty
// when `path` is not named train...
std::string t10kSibling(const std::string& path)
{
    const std::string name = fs::path(path).filename().string();
    if (path.empty() || name.rfind("train", 0) != 0)
        return std::string();
    return (fs::path(path).parent_path() / ("t10k" + name.substr(5))).string();
}

// The files an idx: spec reads: images, labels, and the t10k siblings when they are there.
std::vector<std::string> idxFilesRead(const std::string& argument)
{
    const auto [images, labels] = idxFiles(argument);
    std::vector<std::string> files = {images};
    if (!labels.empty())
        files.push_back(labels);
    const std::string testImages = t10kSibling(images), testLabels = t10kSibling(labels);
    std::error_code ec;
    if (!testImages.empty() && fs::exists(testImages, ec) && (labels.empty() || fs::exists(testLabels, ec))) {
        files.push_back(testImages);
        if (!labels.empty())
            files.push_back(testLabels);
    }
    return files;
}

DatasetSplit loadIdx(const std::string& spec, const std::string& args)
{
    const auto [images, labels] = idxFiles(args);
    Dataset train = loadIdxPair(spec, images, labels, {});

    const std::string testImages = t10kSibling(images);
    const std::string testLabels = t10kSibling(labels);
    std::error_code ec;
    if (!testImages.empty() && fs::exists(testImages, ec) && (labels.empty() || fs::exists(testLabels, ec))) {
        Dataset test = loadIdxPair(spec, testImages, testLabels, train.classNames());
        if (test.shape() != train.shape())
            throw Error(testImages + ": image size differs from " + images);
        return {spec, std::move(train), std::move(test), {}};
    }
    return holdOutTenth(spec, train);
}

DatasetSplit loadDigits(const std::string& spec)
{
    const std::string path = envOr("LATENTLAB_DIGITS_PNG", "/usr/share/doc/opencv-doc/examples/data/digits.png");
    const cv::Mat sheet = cv::imread(path, cv::IMREAD_GRAYSCALE);
    if (sheet.empty())
        throw Error(path + ": cannot read OpenCV's digits sheet (install Debian's opencv-doc package)");
    constexpr int kCell = 20, kColumns = 100, kRows = 50;
    if (sheet.cols != kCell * kColumns || sheet.rows != kCell * kRows)
        throw Error(path + ": expected a 2000x1000 sheet of 20x20 digits, found " + std::to_string(sheet.cols) + "x"
                    + std::to_string(sheet.rows));
    std::vector<std::uint8_t> pixels;
    pixels.reserve(std::size_t(kColumns) * kRows * kCell * kCell);
    std::vector<int> labels;
    for (int row = 0; row < kRows; ++row) {
        for (int col = 0; col < kColumns; ++col) {
            const cv::Mat cell = sheet(cv::Rect(col * kCell, row * kCell, kCell, kCell));
            for (int y = 0; y < kCell; ++y)
                pixels.insert(pixels.end(), cell.ptr<std::uint8_t>(y), cell.ptr<std::uint8_t>(y) + kCell);
            labels.push_back(row / 5); // five rows of 100 per digit, 0 to 9
        }
    }
    return holdOutTenth(spec, Dataset("digits", ImageShape{1, kCell, kCell}, std::move(pixels), std::move(labels),
                                      digitNames()));
}

// OpenCV's digits turned by angles uniform in +-60 degrees (counter-clockwise positive, as
// cv::getRotationMatrix2D), as pyroVED's rotated-MNIST example: each 20 x 20 digit is centred
// on a 28 x 28 canvas first so that no corner is cut off. Image i's angle depends on i only.
DatasetSplit loadRotatedDigits(const std::string& spec)
{
    constexpr int kCell = 20, kSide = 28;
    constexpr double kMaxDegrees = 60;
    const DatasetSplit upright = loadDigits(spec);
    const auto rotate = [&](const Dataset& digits, std::uint64_t salt) {
        std::vector<std::uint8_t> pixels(digits.size() * kSide * kSide);
        std::vector<float> angles(digits.size());
        cv::Mat canvas(kSide, kSide, CV_8UC1), turned;
        const cv::Point2f centre((kSide - 1) / 2.0f, (kSide - 1) / 2.0f);
        for (std::size_t i = 0; i < digits.size(); ++i) {
            // splitmix64 of (salt, i): a uniform in [0, 1) from its top 53 bits.
            std::uint64_t x = (salt << 32) + i + 0x9E3779B97F4A7C15ull;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
            x ^= x >> 31;
            const double angle = (double(x >> 11) / 9007199254740992.0 * 2 - 1) * kMaxDegrees;
            canvas.setTo(0);
            cv::Mat(kCell, kCell, CV_8UC1, const_cast<std::uint8_t*>(digits.image(i)))
                .copyTo(canvas(cv::Rect((kSide - kCell) / 2, (kSide - kCell) / 2, kCell, kCell)));
            cv::warpAffine(canvas, turned, cv::getRotationMatrix2D(centre, angle, 1.0), canvas.size(), cv::INTER_LINEAR,
                           cv::BORDER_CONSTANT, cv::Scalar(0));
            std::copy(turned.datastart, turned.dataend, pixels.begin() + std::ptrdiff_t(i * kSide * kSide));
            angles[i] = float(angle);
        }
        Dataset out("digits-rotated", ImageShape{1, kSide, kSide}, std::move(pixels), digits.labels(), digitNames());
        out.setFactors({"angle"}, std::move(angles));
        return out;
    };
    return {spec, rotate(upright.train, 1), rotate(upright.test, 2), {}};
}

DatasetSplit loadFolder(const std::string& spec, const std::string& dir, const DatasetOptions& options)
{
    if (dir.empty())
        throw Error("folder: give the folder, as folder:PATH");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(dir + ": not a folder");

    const int size = options.imageSize, channels = options.channels;
    if (size < 4 || size > 1024 || (channels != 1 && channels != 3))
        throw Error("folder images: size must be 4 to 1024 px and channels 1 or 3");
    const std::uint64_t imageBytes = std::uint64_t(size) * std::uint64_t(size) * std::uint64_t(channels);
    const std::size_t maxImages = std::size_t(
        std::min<std::uint64_t>(options.maxFolderImages, DatasetLoader::kMaxFolderPixelBytes / imageBytes));

    // Files directly in the folder are unlabelled; files in sub-folders take the sub-folder's name.
    // Links to folders are not followed (no loops), and the walk is bounded.
    std::vector<std::pair<fs::path, std::string>> files;
    std::size_t entries = 0;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (const fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
        if (++entries > options.maxFolderEntries)
            throw Error(dir + ": has more than " + withCommas(options.maxFolderEntries)
                        + " files and folders, the most folder: scans; pick a smaller folder");
        if (it.depth() >= DatasetLoader::kMaxFolderDepth && it->is_directory(ec))
            throw Error(it->path().string() + ": folders nested deeper than "
                        + std::to_string(DatasetLoader::kMaxFolderDepth) + " levels are not read");
        if (!it->is_regular_file(ec) || !ImageIO::isImageFile(it->path().string()))
            continue;
        if (files.size() == maxImages)
            throw Error(dir + ": has more than " + withCommas(maxImages) + " images of " + std::to_string(size) + "x"
                        + std::to_string(size) + "x" + std::to_string(channels) + ", the most folder: loads (at most "
                        + withCommas(options.maxFolderImages) + " images and "
                        + megabytes(DatasetLoader::kMaxFolderPixelBytes) + " of pixels); pick a smaller folder");
        const fs::path relative = it->path().lexically_relative(dir);
        files.emplace_back(it->path(), relative.has_parent_path() ? relative.begin()->string() : std::string());
    }
    if (ec)
        throw Error(dir + ": cannot list the folder (" + ec.message() + ")");
    if (files.empty())
        throw Error(dir + ": no PNG or JPEG images found");
    std::sort(files.begin(), files.end());

    std::map<std::string, int> classIndex;
    for (const auto& file : files)
        if (!file.second.empty())
            classIndex.emplace(file.second, 0);
    std::vector<std::string> classNames;
    for (auto& entry : classIndex) {
        entry.second = int(classNames.size());
        classNames.push_back(entry.first);
    }
    const bool labelled = !classNames.empty();
    if (labelled)
        for (const auto& file : files)
            if (file.second.empty())
                throw Error(file.first.string() + ": lies beside class sub-folders; move it into one of them");

    std::vector<std::uint8_t> pixels;
    pixels.reserve(files.size() * std::size_t(imageBytes));
    std::vector<int> labels;
    for (const auto& [path, label] : files) {
        // Throws "PATH: cannot read the image (corrupt or not a PNG/JPEG)".
        const Image square = ImageIO::read(path.string(), size, channels);
        square.appendPlanarBytes(pixels);
        if (labelled)
            labels.push_back(classIndex.at(label));
    }
    Dataset all("folder:" + dir, ImageShape{channels, size, size}, std::move(pixels), std::move(labels),
                std::move(classNames));
    // Relative paths, so that attribute files (CelebA's list_attr_celeba.txt) can be matched.
    std::vector<std::string> names;
    for (const auto& file : files)
        names.push_back(file.first.lexically_relative(dir).string());
    all.setFileNames(std::move(names));
    return holdOutTenth(spec, all);
}

constexpr std::size_t kDefaultGeneratedCount = 20000;
constexpr std::size_t kFaceBytes = 64 * 64 * 3;

// synth-faces[:COUNT]: the count of training images (a tenth more are the test set).
// Digits only, checked before converting, so no text overflows or allocates.
std::size_t generatedCount(const std::string& spec, const std::string& argument)
{
    if (argument.empty())
        return kDefaultGeneratedCount;
    std::size_t n = 0;
    const bool digits = argument.size() <= 7 && argument.find_first_not_of("0123456789") == std::string::npos;
    if (digits)
        for (char c : argument)
            n = n * 10 + std::size_t(c - '0');
    if (!digits || n < DatasetLoader::kMinGeneratedCount || n > DatasetLoader::kMaxGeneratedCount)
        throw Error("data set " + quoted(spec) + ": the count must be a whole number from "
                    + withCommas(DatasetLoader::kMinGeneratedCount) + " to " + withCommas(DatasetLoader::kMaxGeneratedCount)
                    + " (a face takes 12 KB, a card 2.3 KB)");
    return n;
}

// One generated set split by index: image i depends on (seed, i) only, so the test images
// are simply the ones after the training images.
DatasetSplit splitGenerated(const std::string& spec, const Dataset& all, std::size_t train)
{
    std::vector<std::size_t> first(train), rest(all.size() - train);
    for (std::size_t i = 0; i < all.size(); ++i)
        (i < train ? first[i] : rest[i - train]) = i;
    return {spec, all.subset(first), all.subset(rest), {}};
}

DatasetSplit loadSyntheticFaces(const std::string& spec, const std::string& args, const std::string& kind)
{
    const std::size_t train = generatedCount(spec, args);
    const double hats = kind == "synth-faces-rare" ? SyntheticFaces::kRareHatShare : SyntheticFaces::kAttributeProbability;
    return splitGenerated(spec, SyntheticFaces::generate(train + train / 10, 1, kind, hats), train);
}

// cards[:PRESET[:COUNT]]: the preset (cards1 by default) and the training count (20,000).
std::pair<CardsPreset, std::size_t> cardsArguments(const std::string& spec, const std::string& args)
{
    const std::size_t colon = args.find(':');
    try {
        const CardsPreset preset = CardsGenerator::preset(args.empty() ? "cards1" : args.substr(0, colon));
        if (colon != std::string::npos && colon + 1 == args.size())
            throw Error("data set " + quoted(spec) + ": nothing after the colon; write cards:PRESET:COUNT");
        return {preset, colon == std::string::npos ? kDefaultGeneratedCount : generatedCount(spec, args.substr(colon + 1))};
    } catch (const Error& e) {
        const std::string what = e.what();
        throw Error(what.rfind("data set", 0) == 0 ? what : "data set " + quoted(spec) + ": " + what);
    }
}

DatasetSplit loadCards(const std::string& spec, const std::string& args)
{
    const auto [preset, train] = cardsArguments(spec, args);
    return splitGenerated(spec, CardsGenerator::generate(preset, train + train / 10, 1, preset.name), train);
}

DatasetSplit loadFaces(const std::string& spec, const std::string& path, const DatasetOptions& options)
{
    if (path.empty())
        throw Error("faces: give a folder of photos or a video file, as faces:PATH");
    FaceOptions faceOptions; // 64 x 64 colour, whatever the folder options say
    faceOptions.cacheDir = options.faceCacheDir.empty()
                               ? envOr("XDG_CACHE_HOME", (envOr("HOME", "/tmp") + "/.cache").c_str()) + "/latentlab/faces"
                               : options.faceCacheDir;
    faceOptions.progress = options.progress;
    FaceReport report;
    const Dataset faces = FacePipeline::load(path, faceOptions, &report);
    DatasetSplit split = holdOutTenth(spec, faces);
    split.report = report.summary();
    return split;
}

enum class Argument { None, Required, Optional };

// The kinds of data set spec: `prefix[:argument]`. One row each; the parser, the loader,
// the error for an unknown spec and every help text read this table.
struct SpecKind {
    const char* prefix;
    const char* form; // as the help shows it
    const char* help;
    Argument argument;
    // Checks the argument without touching the disk; throws Error naming the spec.
    void (*check)(const std::string& spec, const std::string& argument);
    DatasetSplit (*load)(const std::string& spec, const std::string& argument, const DatasetOptions& options);
};

void noCheck(const std::string&, const std::string&) {}

const SpecKind kSpecKinds[] = {
    {"fashion-mnist", "fashion-mnist", "Fashion-MNIST from Debian's dataset-fashion-mnist (default)", Argument::None,
     noCheck, [](const std::string& spec, const std::string&, const DatasetOptions&) { return loadFashionMnist(spec); }},
    {"idx", "idx:IMAGES[,LABELS]", "an MNIST-style IDX pair, gzipped or not", Argument::Required,
     [](const std::string& spec, const std::string& arg) {
         const auto [images, labels] = idxFiles(arg);
         if (images.empty() || (arg.find(',') != std::string::npos && labels.empty()))
             throw Error("data set " + quoted(spec) + ": give the images file, as idx:IMAGES[,LABELS]");
     },
     [](const std::string& spec, const std::string& arg, const DatasetOptions&) { return loadIdx(spec, arg); }},
    {"digits", "digits", "OpenCV's 5,000 handwritten digits (opencv-doc)", Argument::None, noCheck,
     [](const std::string& spec, const std::string&, const DatasetOptions&) { return loadDigits(spec); }},
    {"folder", "folder:PATH", "PNG/JPEG images; sub-folder names are labels", Argument::Required, noCheck, loadFolder},
    {"synth-faces", "synth-faces[:COUNT]", "generated 64x64 faces with known attributes (20,000 + 2,000)",
     Argument::Optional, [](const std::string& spec, const std::string& arg) { generatedCount(spec, arg); },
     [](const std::string& spec, const std::string& arg, const DatasetOptions&) {
         return loadSyntheticFaces(spec, arg, "synth-faces");
     }},
    {"synth-faces-rare", "synth-faces-rare[:COUNT]", "synth-faces with hats on 5% of the faces only: a rare group (debiasing)",
     Argument::Optional, [](const std::string& spec, const std::string& arg) { generatedCount(spec, arg); },
     [](const std::string& spec, const std::string& arg, const DatasetOptions&) {
         return loadSyntheticFaces(spec, arg, "synth-faces-rare");
     }},
    {"digits-rotated", "digits-rotated", "the digits turned by up to 60 degrees either way, on 28x28 (factor: angle)",
     Argument::None, noCheck,
     [](const std::string& spec, const std::string&, const DatasetOptions&) { return loadRotatedDigits(spec); }},
    {"cards", "cards[:PRESET[:COUNT]]",
     "generated card suits, rotated and sheared (cards1 to cards4, also plain cards3; 20,000 + 2,000)",
     Argument::Optional, [](const std::string& spec, const std::string& arg) { cardsArguments(spec, arg); },
     [](const std::string& spec, const std::string& arg, const DatasetOptions&) { return loadCards(spec, arg); }},
    {"faces", "faces:PATH", "faces found in a folder of photos or a video (Haar cascades)", Argument::Required, noCheck,
     loadFaces},
};

const SpecKind* findKind(const std::string& prefix)
{
    for (const SpecKind& k : kSpecKinds)
        if (prefix == k.prefix)
            return &k;
    return nullptr;
}

// Why a spec nobody asked for now should not be loaded; empty when it may be.
std::string unaskedRisk(const std::string& spec, const DatasetSpec& parsed)
{
    if (parsed.kind == "folder")
        return "folder: reads every image under " + parsed.argument
               + ", however many there are (a recorded folder:/ would walk the whole file system)";
    if (parsed.kind == "faces")
        return "faces: runs face detection on every photo or video frame under " + parsed.argument
               + ", however many there are";
    if (parsed.kind == "synth-faces" || parsed.kind == "synth-faces-rare") {
        const std::size_t train = generatedCount(spec, parsed.argument);
        if (train > DatasetLoader::kMaxUnaskedGeneratedCount)
            return quoted(spec) + " generates " + withCommas(train + train / 10) + " faces ("
                   + megabytes((train + train / 10) * kFaceBytes) + "); a recorded data set is generated only up to "
                   + withCommas(DatasetLoader::kMaxUnaskedGeneratedCount) + " faces";
    }
    if (parsed.kind == "idx") {
        std::uint64_t total = 0;
        for (const std::string& file : idxFilesRead(parsed.argument))
            total += IdxFile::readHeader(file).dataBytes; // each at most 1 GiB: no overflow
        if (total > DatasetLoader::kMaxUnaskedIdxBytes)
            return "its IDX files declare " + megabytes(total) + " of data; a recorded data set is loaded only up to "
                   + megabytes(DatasetLoader::kMaxUnaskedIdxBytes);
    }
    return std::string();
}

} // namespace

DatasetSpec DatasetLoader::parseSpec(const std::string& spec)
{
    if (spec.empty())
        throw Error("no data set given; expected one of:\n" + specHelp());
    if (spec.size() > kMaxSpecLength)
        throw Error("data set " + quoted(spec) + ": the spec is " + withCommas(spec.size())
                    + " characters long, more than the " + withCommas(kMaxSpecLength) + " allowed");
    for (const char c : spec)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            throw Error("data set " + quoted(spec) + ": contains a control character");
    const std::size_t colon = spec.find(':');
    DatasetSpec parsed{spec.substr(0, colon), colon == std::string::npos ? std::string() : spec.substr(colon + 1)};
    if (parsed.kind != "cards" && parsed.kind.rfind("cards", 0) == 0) {
        parsed.argument = spec; // cards2[:COUNT] means cards:cards2[:COUNT]
        parsed.kind = "cards";
    }
    const SpecKind* kind = findKind(parsed.kind);
    if (!kind)
        throw Error("unknown data set " + quoted(spec) + "; expected one of:\n" + specHelp());
    if (kind->argument == Argument::None && colon != std::string::npos)
        throw Error("data set " + quoted(spec) + ": " + kind->prefix + " takes nothing after it; write " + kind->form);
    if (kind->argument != Argument::None && colon != std::string::npos && parsed.argument.empty())
        throw Error("data set " + quoted(spec) + ": nothing after the colon; write " + kind->form);
    if (kind->argument == Argument::Required && parsed.argument.empty())
        throw Error("data set " + quoted(spec) + ": give its argument, as " + kind->form);
    kind->check(spec, parsed.argument);
    return parsed;
}

DatasetSplit DatasetLoader::load(const std::string& spec, const DatasetOptions& options)
{
    const DatasetSpec parsed = parseSpec(spec);
    return findKind(parsed.kind)->load(spec, parsed.argument, options);
}

bool DatasetLoader::isSafeToLoadUnasked(const std::string& spec, std::string* why)
{
    std::string risk;
    try {
        risk = unaskedRisk(spec, parseSpec(spec));
    } catch (const Error& e) {
        risk = e.what();
    }
    if (why)
        *why = risk;
    return risk.empty();
}

std::string DatasetLoader::specHelp()
{
    constexpr std::size_t kColumn = 26;
    std::string text;
    for (const SpecKind& k : kSpecKinds) {
        const std::string form = k.form;
        text += "  " + form + std::string(form.size() + 2 < kColumn ? kColumn - form.size() : 2, ' ') + k.help + "\n";
    }
    return text;
}

} // namespace latentlab
