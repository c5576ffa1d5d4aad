// latentlab-cli info: a model file's header as JSON.
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/verbs/Verbs.h"
#include "core/base/CommandLine.h"
#include "core/base/Error.h"
#include "core/formats/ModelFile.h"

namespace latentlab::cli {

int infoVerb(int argc, char** argv)
{
    CommandLine cl("Usage: latentlab-cli info --model FILE [--history csv]\n\n"
                   "Prints the model file's header as JSON (a TorchScript file's description), or with\n"
                   "--history csv its training history: one row per epoch.",
                   {{"model", "FILE", "", "model file"}, {"history", "csv", "", "print the training history as CSV"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    if (cl.value("model").empty())
        throw Error("info needs --model FILE");
    if (cl.value("history").empty()) {
        std::cout << ModelFile::readHeader(cl.value("model")) << std::endl;
        return 0;
    }
    if (cl.value("history") != "csv")
        throw Error("--history " + cl.value("history") + " is not known (expected csv)");
    const nlohmann::json header = nlohmann::json::parse(ModelFile::readHeader(cl.value("model")));
    const char* const columns[] = {"epoch", "seconds", "train_loss", "train_recon", "train_kl",
                                   "test_loss", "test_recon", "test_kl"};
    for (const char* column : columns)
        std::cout << (column == columns[0] ? "" : ",") << column;
    std::cout << "\n";
    if (header.contains("training") && header["training"].contains("history"))
        for (const nlohmann::json& epoch : header["training"]["history"]) {
            for (const char* column : columns) // NaN is null in JSON and empty in CSV
                std::cout << (column == columns[0] ? "" : ",")
                          << (epoch.contains(column) && !epoch[column].is_null() ? epoch[column].dump() : "");
            std::cout << "\n";
        }
    std::cout << std::flush;
    return 0;
}

} // namespace latentlab::cli
