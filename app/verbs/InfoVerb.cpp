// latentlab-cli info: a model file's header as JSON.
#include <iostream>

#include "app/verbs/Verbs.h"
#include "core/base/CommandLine.h"
#include "core/base/Error.h"
#include "core/formats/ModelFile.h"

namespace latentlab::cli {

int infoVerb(int argc, char** argv)
{
    CommandLine cl("Usage: latentlab-cli info --model FILE\n\nPrints the model file's header as JSON.",
                   {{"model", "FILE", "", "model file"}});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    if (cl.value("model").empty())
        throw Error("info needs --model FILE");
    std::cout << ModelFile::readHeader(cl.value("model")) << std::endl;
    return 0;
}

} // namespace latentlab::cli
