#include "core/data/DatasetLoader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

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

DatasetSplit loadIdx(const std::string& spec, const std::string& args)
{
    const std::size_t comma = args.find(',');
    const std::string images = args.substr(0, comma);
    const std::string labels = comma == std::string::npos ? std::string() : args.substr(comma + 1);
    if (images.empty())
        throw Error("idx: give the images file, as idx:IMAGES[,LABELS]");
    Dataset train = loadIdxPair(spec, images, labels, {});

    // MNIST naming: train-images... has a t10k-images... sibling holding the test set.
    const std::string imageName = fs::path(images).filename().string();
    if (imageName.rfind("train", 0) == 0) {
        const auto sibling = [](const std::string& p) {
            return p.empty() ? p : (fs::path(p).parent_path() / ("t10k" + fs::path(p).filename().string().substr(5))).string();
        };
        const std::string testImages = sibling(images);
        const std::string testLabels = fs::path(labels).filename().string().rfind("train", 0) == 0 ? sibling(labels) : "";
        if (fs::exists(testImages) && (labels.empty() || fs::exists(testLabels))) {
            Dataset test = loadIdxPair(spec, testImages, testLabels, train.classNames());
            if (test.shape() != train.shape())
                throw Error(testImages + ": image size differs from " + images);
            return {spec, std::move(train), std::move(test), {}};
        }
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

DatasetSplit loadFolder(const std::string& spec, const std::string& dir, const DatasetOptions& options)
{
    if (dir.empty())
        throw Error("folder: give the folder, as folder:PATH");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(dir + ": not a folder");

    // Files directly in the folder are unlabelled; files in sub-folders take the sub-folder's name.
    std::vector<std::pair<fs::path, std::string>> files;
    for (const fs::directory_entry& entry : fs::recursive_directory_iterator(dir, ec)) {
        if (!entry.is_regular_file() || !ImageIO::isImageFile(entry.path().string()))
            continue;
        const fs::path relative = fs::relative(entry.path(), dir);
        files.emplace_back(entry.path(), relative.has_parent_path() ? relative.begin()->string() : std::string());
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

    const int size = options.imageSize, channels = options.channels;
    if (size < 4 || size > 1024 || (channels != 1 && channels != 3))
        throw Error("folder images: size must be 4 to 1024 px and channels 1 or 3");
    std::vector<std::uint8_t> pixels;
    pixels.reserve(files.size() * std::size_t(size * size * channels));
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
        names.push_back(fs::relative(file.first, dir).string());
    all.setFileNames(std::move(names));
    return holdOutTenth(spec, all);
}

std::size_t countArgument(const std::string& spec, const std::string& args, std::size_t fallback)
{
    if (args.empty())
        return fallback;
    std::size_t used = 0;
    unsigned long long n = 0;
    try {
        n = std::stoull(args, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != args.size() || n < 10 || n > 1000000)
        throw Error(spec + ": the count must be a whole number from 10 to 1,000,000");
    return std::size_t(n);
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

DatasetSplit loadSyntheticFaces(const std::string& spec, const std::string& args)
{
    const std::size_t train = countArgument(spec, args, 20000);
    return splitGenerated(spec, SyntheticFaces::generate(train + train / 10, 1, "synth-faces"), train);
}

DatasetSplit loadCards(const std::string& spec, const std::string& args)
{
    const CardsPreset preset = CardsGenerator::preset(args.empty() ? "cards1" : args);
    constexpr std::size_t kTrain = 20000;
    return splitGenerated(spec, CardsGenerator::generate(preset, kTrain + kTrain / 10, 1, preset.name), kTrain);
}

DatasetSplit loadFaces(const std::string& spec, const std::string& path, const DatasetOptions& options)
{
    if (path.empty())
        throw Error("faces: give a folder of photos or a video file, as faces:PATH");
    FaceOptions faceOptions; // 64 x 64 colour, whatever the folder options say
    faceOptions.cacheDir = options.faceCacheDir.empty()
                               ? envOr("XDG_CACHE_HOME", (envOr("HOME", "/tmp") + "/.cache").c_str()) + "/latentlab/faces"
                               : options.faceCacheDir;
    FaceReport report;
    const Dataset faces = FacePipeline::load(path, faceOptions, &report);
    DatasetSplit split = holdOutTenth(spec, faces);
    split.report = report.summary();
    return split;
}

// The kinds of data set spec: `prefix[:argument]`. One row each; the loader, the error
// for an unknown spec and every help text read this table.
struct SpecKind {
    const char* prefix;
    const char* form; // as the help shows it
    const char* help;
    DatasetSplit (*load)(const std::string& spec, const std::string& argument, const DatasetOptions& options);
    bool takesArgument;
};

const SpecKind kSpecKinds[] = {
    {"fashion-mnist", "fashion-mnist", "Fashion-MNIST from Debian's dataset-fashion-mnist (default)",
     [](const std::string& spec, const std::string&, const DatasetOptions&) { return loadFashionMnist(spec); }, false},
    {"idx", "idx:IMAGES[,LABELS]", "an MNIST-style IDX pair, gzipped or not",
     [](const std::string& spec, const std::string& arg, const DatasetOptions&) { return loadIdx(spec, arg); }, true},
    {"digits", "digits", "OpenCV's 5,000 handwritten digits (opencv-doc)",
     [](const std::string& spec, const std::string&, const DatasetOptions&) { return loadDigits(spec); }, false},
    {"folder", "folder:PATH", "PNG/JPEG images; sub-folder names are labels", loadFolder, true},
    {"synth-faces", "synth-faces[:COUNT]", "generated 64x64 faces with known attributes (20,000 + 2,000)",
     [](const std::string& spec, const std::string& arg, const DatasetOptions&) { return loadSyntheticFaces(spec, arg); }, true},
    {"cards", "cards[:PRESET]", "generated card suits, rotated and sheared (cards1 to cards4; also plain cards2)",
     [](const std::string& spec, const std::string& arg, const DatasetOptions&) { return loadCards(spec, arg); }, true},
    {"faces", "faces:PATH", "faces found in a folder of photos or a video (Haar cascades)", loadFaces, true},
};

} // namespace

DatasetSplit DatasetLoader::load(const std::string& spec, const DatasetOptions& options)
{
    const std::size_t colon = spec.find(':');
    std::string kind = spec.substr(0, colon);
    std::string argument = colon == std::string::npos ? std::string() : spec.substr(colon + 1);
    if (kind != "cards" && kind.rfind("cards", 0) == 0 && argument.empty()) { // cards2 means cards:cards2
        argument = kind;
        kind = "cards";
    }
    for (const SpecKind& k : kSpecKinds)
        if (kind == k.prefix && (k.takesArgument || argument.empty()))
            return k.load(spec, argument, options);
    throw Error("unknown data set '" + spec + "'; expected one of:\n" + specHelp());
}

std::string DatasetLoader::specHelp()
{
    std::string text;
    for (const SpecKind& k : kSpecKinds)
        text += "  " + std::string(k.form) + std::string(std::max<std::size_t>(2, 23 - std::string(k.form).size()), ' ')
                + k.help + "\n";
    return text;
}

} // namespace latentlab
