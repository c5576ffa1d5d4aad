#pragma once
// Pieces of the TorchScript source that the families' torchScript() write (their
// forward passes for latentlab-cli export), in terms of the parameters' names with '_'
// for '.' ("encoder_0_weight").
#include <cstddef>
#include <string>

namespace latentlab {

class ScriptSource {
public:
    // Lines that run `h` through the Linear layers PREFIX_0, PREFIX_2, ... (a Sequential's
    // layers, an activation between), with `activation` ("torch.relu") after each of the
    // first `activated` ones.
    static std::string linearStack(const std::string& prefix, std::size_t layers, std::size_t activated,
                                   const std::string& activation);
    // The line that returns (mu, logvar) of `h` from the mu and logvar heads.
    static std::string encodeHeads();
    // A whole encode(x) of flattened images through `layers` Linear layers of the
    // Sequential "encoder", each followed by `activation`, then the heads (MLP, rVAE).
    static std::string denseEncode(std::size_t layers, const std::string& activation);
    // A number as TorchScript reads it back exactly (always a float literal).
    static std::string number(double value);
};

} // namespace latentlab
