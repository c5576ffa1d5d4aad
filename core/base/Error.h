#pragma once
#include <stdexcept>
#include <string>

namespace latentlab {

// Every failure a user can cause (bad file, bad option, diverged training)
// surfaces as this, with a message meant for that user.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

} // namespace latentlab
