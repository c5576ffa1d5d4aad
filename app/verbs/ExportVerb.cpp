// latentlab-cli export: a model as TorchScript for PyTorch.
#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/TorchScriptFile.h"

namespace latentlab::cli {

int exportVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli export --model FILE --out FILE.pt [--format torchscript]\n\n"
        "Writes the model as a TorchScript module that PyTorch loads with torch.jit.load:\n"
        "encode(x) -> (mu, logvar) for images [N, C, H, W] of floats in [0, 1], decode(z) ->\n"
        "mean images, and forward(x) -> (decode(z), mu, logvar) with z sampled (pytorch/examples'\n"
        "VAE convention), its weights and a latentlab.json description inside (image shape,\n"
        "latent size, likelihood, class names, data set, attribute vectors). LatentLab opens it\n"
        "too. Conditional models and plain autoencoders are not exported.",
        {{"format", "torchscript", "torchscript", "what to write"}, {"out", "FILE", "", "file to write"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    if (cl.value("format") != "torchscript")
        throw Error("--format " + cl.value("format") + " is not known (expected torchscript)");
    const std::string out = required(cl, "out");
    const std::unique_ptr<Model> model = loadModel(cl);
    const auto start = Clock::now();
    TorchScriptFile::exportModel(*model, out);
    printLine({{"out", out}, {"format", "torchscript"}, {"architecture", model->config().architecture},
               {"latent", model->config().latentDim}, {"parameters", model->parameterCount()},
               {"export_ms", millisecondsSince(start)}});
    return 0;
}

} // namespace latentlab::cli
