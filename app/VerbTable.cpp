#include "app/VerbTable.h"

#include <algorithm>

#include "app/verbs/Verbs.h"

namespace latentlab::cli {

const std::vector<Verb>& VerbTable::verbs()
{
    static const std::vector<Verb> table = {
        {"train", "train a VAE (or plain autoencoder) and write a model file", trainVerb},
        {"eval", "test loss, its parts and an IWAE log-likelihood estimate of a model", evalVerb},
        {"info", "print a model file's header as JSON", infoVerb},
        {"encode", "encode a data set to CSV and .npy", encodeVerb},
        {"grid", "decode a grid of latent points on a plane to a PNG", gridVerb},
        {"interpolate", "morph between images: PNG strip, GIF or MP4", interpolateVerb},
        {"attribute", "compute an attribute vector and store it in the model", attributeVerb},
        {"edit", "apply attribute vectors to an image", editVerb},
        {"restore", "a denoising model's restoration of an image or folder, and how typical it is", restoreVerb},
        {"stats", "per-dimension statistics, active units, outliers, neighbours", statsVerb},
        {"factors", "how well the code recovers the known factors: correlation, MI, MIG, 5-NN, angles", factorsVerb},
        {"generate", "decode samples of a class, or one style in every class (conditional models)", generateVerb},
        {"export", "write a model as TorchScript for PyTorch (torch.jit.load)", exportVerb},
        {"export-dataset", "write a data set as PNG files with its labels and attributes", exportDatasetVerb},
    };
    return table;
}

const Verb* VerbTable::find(const std::string& name)
{
    const std::vector<Verb>& table = verbs();
    const auto it = std::find_if(table.begin(), table.end(), [&](const Verb& v) { return name == v.name; });
    return it == table.end() ? nullptr : &*it;
}

std::string VerbTable::usage()
{
    std::string text = "Usage: latentlab-cli VERB [options]   (VERB --help for its options)\n\nVerbs:\n";
    constexpr std::size_t kNameColumn = 13; // summaries line up after the usual names
    for (const Verb& v : verbs()) {
        const std::string name = v.name;
        text += "  " + name + std::string(std::max<std::size_t>(2, kNameColumn - std::min(kNameColumn, name.size())), ' ') +
                v.summary + "\n";
    }
    return text;
}

} // namespace latentlab::cli
