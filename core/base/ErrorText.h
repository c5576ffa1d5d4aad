#pragma once
// What a program prints for an exception it did not expect: LibTorch's messages carry a
// C++ backtrace ("frame #0: ...", "Exception raised from ..."), useless to a user.
#include <string>

namespace latentlab {

class ErrorText {
public:
    // `what` up to the first backtrace line, without trailing blank lines; a message of
    // several lines otherwise stays whole (LatentLab's own errors list choices that way).
    static std::string withoutBacktrace(const std::string& what);
    // The first line of `what` only (LibTorch's what_without_backtrace() still adds
    // "Exception raised from ..." lines on some builds).
    static std::string firstLine(const std::string& what);
    // The last line that is not blank: TorchScript's interpreter puts the error there,
    // after the script's traceback.
    static std::string lastLine(const std::string& what);
};

} // namespace latentlab
