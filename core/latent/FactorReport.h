#pragma once
// How well a latent space recovers the factors a data set was made from: per factor and
// latent dimension the absolute correlation and the (discretised) mutual information, the
// Mutual Information Gap (Chen et al. 2018), 5-nearest-neighbour label accuracy and k-means
// agreement with the labels, and circular statistics for an angle factor. Torch-free.
#include <cstdint>
#include <string>
#include <vector>

namespace latentlab {

class Dataset;

struct FactorInput {
    enum class Kind { Label, Continuous, Angle };
    std::string name;
    Kind kind = Kind::Continuous;
    std::vector<double> values; // one per code; labels as class indices, angles in degrees
    int classes = 0;            // Label: the number of classes
};

struct FactorScores {
    std::string name;
    FactorInput::Kind kind = FactorInput::Kind::Continuous;
    double entropy = 0;                     // nats, of the discretised factor
    std::vector<double> correlation;        // per dimension, in [0, 1]
    std::vector<double> mutualInformation;  // per dimension, nats
    double mig = 0;                         // (top - second MI) / entropy
    int bestDimension = -1;                 // the dimension with the most MI
};

// An angle factor against the code: circular statistics (the angle repeats every 360
// degrees, a suit with k-fold symmetry every 360 / k).
struct AngleScores {
    // Circular-linear correlation (Mardia) of each dimension with the angle, in [0, 1]:
    // how well cos and sin of the true angle predict it. The largest over the dimensions.
    double bestLinearCorrelation = 0;
    int bestLinearDimension = -1;
    // The largest |correlation| of a content dimension with cos or sin of the true angle
    // (centred within each class, when there are labels): how much of the angle the
    // content part still carries, beyond saying the class.
    double carriedByContent = 0;
    // With an angle latent (the rVAE's, radians): its circular correlation with the true
    // angle per class (a class with k-fold symmetry compares k times both angles), and overall:
    // the mean over the classes without symmetry (each class may have its own canonical
    // orientation), or over every code when there are no labels.
    bool hasAngleLatent = false;
    double angleLatentCorrelation = 0;
    std::vector<double> angleLatentCorrelationPerClass; // empty without labels
};

struct FactorReport {
    std::vector<std::string> dimensionNames;
    std::vector<FactorScores> factors;
    double mig = 0; // mean over the factors
    // With a label factor: leave-one-out 5-NN accuracy and the NMI of k-means (k = the
    // number of classes) with the labels, in the whole code and in the content part.
    bool hasLabels = false;
    double knnAccuracy = 0, contentKnnAccuracy = 0;
    double kmeansNmi = 0, contentKmeansNmi = 0;
    bool hasAngle = false;
    AngleScores angle;

    static constexpr int kBins = 20;      // equal-width bins, as disentanglement_lib discretises
    static constexpr int kNeighbours = 5;
    static constexpr std::size_t kMaxCodes = 20000; // the 5-NN is quadratic in the count

    // `codes` is count x dim; `contentDimensions` are the code's content part (all of it
    // for a plain VAE); `angleDimension` the angle latent (radians) or -1; `symmetry` the
    // k-fold rotational symmetry of each class (empty: none has any). Throws
    // latentlab::Error for no factors, mismatched lengths, fewer than 10 or more than
    // kMaxCodes codes, a non-finite value or a label outside [0, classes).
    static FactorReport analyse(const std::vector<float>& codes, int dim, const std::vector<std::string>& dimensionNames,
                                const std::vector<FactorInput>& factors, const std::vector<int>& contentDimensions,
                                int angleDimension = -1, const std::vector<int>& symmetry = {});

    // The report on a data set's codes: its classes (the label factor, with each suit's
    // rotational symmetry for cards), binary attributes (labels of two classes) and
    // continuous factors (one named "angle" is an angle in degrees). The first `poseSize`
    // dimensions are a pose (the first an angle latent), the rest the content. Of more than
    // kMaxCodes images, the first kMaxCodes are described.
    static FactorReport fromDataset(const std::vector<float>& codes, int dim, const Dataset& data,
                                    const std::vector<std::string>& dimensionNames, int poseSize);

    // Leave-one-out k-NN accuracy of `labels` among the given dimensions of `codes`.
    static double nearestNeighbourAccuracy(const std::vector<float>& codes, int dim, const std::vector<int>& dimensions,
                              const std::vector<int>& labels, int k = kNeighbours);
    // k-means (k-means++ seeding, best of 5 restarts, a fixed seed) on the given dimensions;
    // returns the NMI (arithmetic normalisation, as scikit-learn) of its clusters with labels.
    static double clusterAgreement(const std::vector<float>& codes, int dim, const std::vector<int>& dimensions,
                            const std::vector<int>& labels, int classes, std::uint64_t seed = 1);
    // Mutual information (nats) of two discrete sequences with values in [0, a) and [0, b).
    static double mutualInformation(const std::vector<int>& x, int a, const std::vector<int>& y, int b);
    // Values into kBins equal-width bins between their minimum and maximum.
    static std::vector<int> discretise(const std::vector<double>& values, int bins = kBins);
};

} // namespace latentlab
