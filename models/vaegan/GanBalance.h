#pragma once
// Larsen et al.'s balance of the VAE-GAN's game, and the sign that it is lost. Torch-free.
#include <string>

namespace latentlab {

class GanBalance {
public:
    // Larsen's: D's mean cross-entropies on data and on generated images kept within
    // kMargin of kEquilibrium (about log 2, a D that cannot tell).
    static constexpr double kEquilibrium = 0.68, kMargin = 0.4;
    // D has won outright when both cross-entropies stay under kWonCost this many batches.
    static constexpr double kWonCost = 1e-3;
    static constexpr int kWonBatches = 200;

    struct Steps {
        bool discriminator = true; // false: D is too good this batch, let the decoder catch up
        bool decoder = true;       // false: D is too bad, let it learn first
    };
    // One batch's cross-entropies (-log D(x) on data, -log(1 - D(x~)) on generated images).
    Steps update(double realCost, double fakeCost)
    {
        Steps s;
        s.discriminator = !(realCost < kEquilibrium - kMargin || fakeCost < kEquilibrium - kMargin);
        s.decoder = !(realCost > kEquilibrium + kMargin || fakeCost > kEquilibrium + kMargin);
        if (!s.discriminator && !s.decoder)
            s.discriminator = s.decoder = true;
        wonBatches_ = realCost < kWonCost && fakeCost < kWonCost ? wonBatches_ + 1 : 0;
        return s;
    }
    // Empty while the game goes on; else why it is lost.
    std::string failure() const
    {
        if (wonBatches_ < kWonBatches)
            return {};
        return "the discriminator won outright (its cross-entropies stayed under " + std::to_string(kWonCost)
               + " for " + std::to_string(kWonBatches) + " batches): the decoder gets no useful gradient";
    }

private:
    int wonBatches_ = 0; // consecutive batches D has won outright
};

} // namespace latentlab
