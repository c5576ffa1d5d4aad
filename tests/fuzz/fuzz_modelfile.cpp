// libFuzzer harness: the model file reader, the header alone (readHeader, what
// `info` shows) and the whole file (load: header, network, tensor list, weights).
// latentlab::Error is the expected answer to a bad file; a crash, another exception,
// a leak, an allocation past -rss_limit_mb or a timeout is a finding.
#include <cstddef>
#include <cstdint>

#include "core/base/Error.h"
#include "core/formats/ModelFile.h"
#include "core/model/Device.h"
#include "tests/fuzz/ScratchFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const latentlab::fuzz::ScratchFile file = [] {
        latentlab::Device::setThreadCount(1); // one core per fuzzer: the others run tests
        return latentlab::fuzz::ScratchFile("input.latentlab");
    }();
    file.write(data, size);
    try {
        latentlab::ModelFile::readHeader(file.path());
    } catch (const latentlab::Error&) {
    }
    try {
        latentlab::ModelFile::load(file.path());
    } catch (const latentlab::Error&) {
    }
    return 0;
}
