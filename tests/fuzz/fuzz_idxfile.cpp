// libFuzzer harness: the IDX reader (gzipped or plain: gzread takes both), and the
// Dataset the loader builds from a 3-dimensional array. latentlab::Error is the
// expected answer to a bad file; a crash, another exception, a leak, an allocation
// past -rss_limit_mb or a timeout is a finding.
#include <cstddef>
#include <cstdint>
#include <utility>

#include "core/base/Error.h"
#include "core/data/Dataset.h"
#include "core/formats/IdxFile.h"
#include "tests/fuzz/ScratchFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const latentlab::fuzz::ScratchFile file("input-idx3-ubyte.gz");
    file.write(data, size);
    try {
        latentlab::IdxArray array = latentlab::IdxFile::read(file.path());
        if (array.dims.size() == 3)
            latentlab::Dataset("fuzz", latentlab::ImageShape{1, array.dims[1], array.dims[2]}, std::move(array.data));
    } catch (const latentlab::Error&) {
    }
    return 0;
}
