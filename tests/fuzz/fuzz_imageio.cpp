// libFuzzer harness: the image loader (PNG or JPEG, whatever the bytes are), read as
// a grey 28 px square and as a colour 64 px square, as folder data sets read them.
// latentlab::Error is the expected answer to a bad file; a crash, another exception,
// a leak, an allocation past -rss_limit_mb or a timeout is a finding.
#include <cstddef>
#include <cstdint>

#include <opencv2/core.hpp>

#include "core/base/Error.h"
#include "core/formats/ImageIO.h"
#include "tests/fuzz/ScratchFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const latentlab::fuzz::ScratchFile file = [] {
        cv::setNumThreads(1); // one core per fuzzer: the others run tests
        return latentlab::fuzz::ScratchFile("input.png");
    }();
    file.write(data, size);
    try {
        latentlab::ImageIO::read(file.path(), 28, 1);
    } catch (const latentlab::Error&) {
    }
    try {
        latentlab::ImageIO::read(file.path(), 64, 3);
    } catch (const latentlab::Error&) {
    }
    return 0;
}
