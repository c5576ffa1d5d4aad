// libFuzzer harness: the CelebA-style attribute file reader, then a lookup of its
// first attribute. latentlab::Error is the expected answer to a bad file; a crash,
// another exception, a leak, an allocation past -rss_limit_mb or a timeout is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/Error.h"
#include "core/formats/AttributeTable.h"
#include "tests/fuzz/ScratchFile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const latentlab::fuzz::ScratchFile file("list_attr.txt");
    file.write(data, size);
    try {
        const latentlab::AttributeTable table = latentlab::AttributeTable::read(file.path());
        if (!table.names().empty())
            table.groups({"000001.png", "a/000002.jpg"}, table.names().front());
    } catch (const latentlab::Error&) {
    }
    return 0;
}
