// libFuzzer harness: the data set spec parser (what --dataset and a model file's
// recorded data set give), in memory: parseSpec never touches the disk. A spec it
// accepts must read back the same from its parts, and the unasked-load check must
// answer for it (idx: specs are left out there: that check reads the files named).
// latentlab::Error is the expected answer to a bad spec; a crash, another exception,
// a leak or a broken round trip is a finding.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/base/Error.h"
#include "core/data/DatasetLoader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string spec(reinterpret_cast<const char*>(data), size);
    latentlab::DatasetSpec parsed;
    try {
        parsed = latentlab::DatasetLoader::parseSpec(spec);
    } catch (const latentlab::Error&) {
        return 0;
    }
    const std::string rebuilt = parsed.kind + (parsed.argument.empty() ? "" : ":" + parsed.argument);
    try {
        const latentlab::DatasetSpec again = latentlab::DatasetLoader::parseSpec(rebuilt);
        if (again.kind != parsed.kind || again.argument != parsed.argument) {
            std::fprintf(stderr, "fuzz: '%s' parsed as '%s' : '%s', but '%s' as '%s' : '%s'\n", spec.c_str(),
                         parsed.kind.c_str(), parsed.argument.c_str(), rebuilt.c_str(), again.kind.c_str(),
                         again.argument.c_str());
            std::abort();
        }
    } catch (const latentlab::Error& e) {
        std::fprintf(stderr, "fuzz: '%s' was accepted, but its parts '%s' are refused: %s\n", spec.c_str(),
                     rebuilt.c_str(), e.what());
        std::abort();
    }
    if (parsed.kind != "idx")
        latentlab::DatasetLoader::isSafeToLoadUnasked(spec, nullptr);
    return 0;
}
