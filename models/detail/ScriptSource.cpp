#include "models/detail/ScriptSource.h"

#include <cstdio>

namespace latentlab {

std::string ScriptSource::linearStack(const std::string& prefix, std::size_t layers, std::size_t activated,
                                      const std::string& activation)
{
    std::string s;
    for (std::size_t i = 0; i < layers; ++i) {
        const std::string l = "self." + prefix + "_" + std::to_string(2 * i);
        const std::string linear = "torch.linear(h, " + l + "_weight, " + l + "_bias)";
        s += "    h = " + (i < activated ? activation + "(" + linear + ")" : linear) + "\n";
    }
    return s;
}

std::string ScriptSource::encodeHeads()
{
    return "    return torch.linear(h, self.mu_weight, self.mu_bias), torch.linear(h, self.logvar_weight, self.logvar_bias)\n\n";
}

std::string ScriptSource::denseEncode(std::size_t layers, const std::string& activation)
{
    return "def encode(self, x: Tensor) -> Tuple[Tensor, Tensor]:\n"
           "    h = x.reshape(x.size(0), -1)\n"
           + linearStack("encoder", layers, layers, activation) + encodeHeads();
}

std::string ScriptSource::number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    const std::string s = text;
    return s.find_first_of(".e") == std::string::npos ? s + ".0" : s;
}

} // namespace latentlab
