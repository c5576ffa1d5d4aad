// latentlab-cli attribute: computes an attribute vector and stores it in the model.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/CliSupport.h"
#include "app/verbs/Verbs.h"
#include "core/base/Error.h"
#include "core/formats/AttributeTable.h"
#include "core/formats/ModelFile.h"
#include "core/latent/AttributeDirections.h"
#include "core/latent/AttributeTransfer.h"
#include "core/latent/LatentCodes.h"

namespace latentlab::cli {

using nlohmann::json;

namespace {

std::string methodList()
{
    std::string list;
    for (VectorMethod m : AttributeDirections::methods()) {
        std::string n = AttributeDirections::name(m);
        n.resize(std::max<std::size_t>(n.size(), 19), ' ');
        list += "  " + n + AttributeDirections::description(m) + "\n";
    }
    return list;
}

} // namespace

int attributeVerb(int argc, char** argv)
{
    CommandLine cl = withModelOptions(
        "Usage: latentlab-cli attribute --model FILE --name NAME GROUPS [options]\n\n"
        "Computes an attribute vector over the training images, stores it in the model file\n"
        "under NAME (replacing one of that name) and prints its quality: norm, Cohen's d and\n"
        "the best-threshold accuracy of the projection, cosines with the other vectors, and its\n"
        "cross-talk: how far an edit of strength 1 moves each other attribute along that\n"
        "attribute's mean difference (1 = a whole 'with - without') and, for attributes with\n"
        "labels, the share of the 'without' images whose latent classifier of it flips; and\n"
        "the strength at which a latent classifier of this attribute calls 90% of the 'without'\n"
        "images 'with' (-1: never). From classes also the share of the 'without' test images\n"
        "that a nearest-class-mean classifier calls 'with' after adding the vector.\n\n"
        "GROUPS, one of:\n"
        "  --with-label A --without-label B|rest     classes of the data set\n"
        "  --attribute-file FILE --column NAME       a CelebA-style file (1/-1 by file name)\n"
        "  --column NAME                             the data set's own attribute (synth-faces)\n"
        "  --with I,J,.. --without K,L,..            training-set indices or image files\n\n"
        "--method, how the vector is made (stratified, orthogonal and conditional-probe need the\n"
        "other attributes of --column or --attribute-file; the default there is " + AttributeDirections::name(AttributeDirections::kDefault) + ",\n"
        "elsewhere mean):\n" + methodList(),
        {{"name", "NAME", "", "name of the vector"},
         {"split", "train|test|all", "train", "images the vector is computed from"},
         {"with-label", "CLASS", "", "class that has the attribute"},
         {"without-label", "CLASS", "", "class without it, or 'rest' for all others"},
         {"attribute-file", "FILE", "", "CelebA-style attribute file"},
         {"column", "NAME", "", "attribute column of that file, or of the data set"},
         {"with", "LIST", "", "images with the attribute"},
         {"without", "LIST", "", "images without it"},
         {"method", "NAME", "", "how the vector is made (see above)"},
         {"orthogonalise-against", "NAMES", "", "remove these stored vectors' directions (Gram-Schmidt)"},
         {"alpha", "A", "1", "strength used for the transfer figure, -1000 to 1000"},
         imageClassOption()});
    if (!cl.parseOrShowHelp(argc, argv, 2))
        return 0;
    const std::string name = required(cl, "name");
    const double alpha = cl.doubleValue("alpha", -kMaxStrength, kMaxStrength);
    std::unique_ptr<Model> model = loadModel(cl);
    const DatasetSplit all = loadData(cl, *model);
    const Dataset data = pickSplit(all, cl.value("split"));
    const LatentCodes codes = LatentCodes::encode(*model, data);

    AttributeGroups groups;
    LatentCodes groupCodes = codes;  // the codes the group indices refer to
    AttributeLabels labels;          // every attribute, where the source has them
    const bool byLabel = !cl.value("with-label").empty();
    if (byLabel) {
        groups = AttributeMath::groupsFromLabels(codes.labels, codes.classNames, cl.value("with-label"),
                                                 required(cl, "without-label"));
    } else if (!cl.value("attribute-file").empty()) {
        labels = AttributeTable::read(cl.value("attribute-file")).labels(data.fileNames());
    } else if (!cl.value("column").empty()) { // the data set's own attributes (synth-faces, faces:)
        if (data.attributeNames().empty())
            throw Error(data.name() + ": has no attributes of its own; give --attribute-file FILE");
        labels = AttributeLabels::ofDataset(data);
    } else if (!cl.value("with").empty()) {
        // Images by index or file: their codes are appended as their own rows.
        groupCodes = LatentCodes{codes.dim, {}, {}, {}, {}};
        for (const char* option : {"with", "without"}) {
            for (const std::string& ref : splitList(required(cl, option), option)) {
                const std::vector<float> z = codeOf(ref, data, *model, cl.value("class"));
                groupCodes.mu.insert(groupCodes.mu.end(), z.begin(), z.end());
                (std::string(option) == "with" ? groups.with : groups.without).push_back(groupCodes.count() - 1);
            }
        }
    } else {
        throw Error("say which images have the attribute: --with-label, --attribute-file or --with (see --help)");
    }

    const bool labelled = !labels.names.empty();
    std::size_t target = 0;
    if (labelled) {
        const std::string column = required(cl, "column");
        try {
            target = labels.column(column);
        } catch (const Error& e) {
            throw Error((cl.value("attribute-file").empty() ? data.name() : cl.value("attribute-file")) + ": " + e.what());
        }
        groups = labels.groups(target);
    }
    const VectorMethod method = !cl.value("method").empty() ? AttributeDirections::parse(cl.value("method"))
                                : labelled                  ? AttributeDirections::kDefault
                                                            : VectorMethod::Mean;
    std::vector<float> vector = labelled ? AttributeDirections::make(method, groupCodes, labels, target)
                                         : AttributeDirections::make(method, groupCodes, groups);
    std::vector<AttributeVector> others;
    for (const AttributeVector& v : model->info().attributes)
        if (v.name != name)
            others.push_back(v);
    if (!cl.value("orthogonalise-against").empty()) {
        std::vector<std::vector<float>> against;
        for (const std::string& other : splitList(cl.value("orthogonalise-against"), "orthogonalise-against"))
            against.push_back(AttributeMath::find(others, other).direction);
        vector = AttributeMath::orthogonalised(vector, against);
    }
    const AttributeQuality q = AttributeMath::quality(groupCodes, groups, vector, others);

    json result = {{"name", name}, {"method", AttributeDirections::name(method)}, {"with", groups.with.size()},
                   {"without", groups.without.size()}, {"norm", q.norm}, {"cohens_d", q.cohensD},
                   {"separation_accuracy", q.separationAccuracy}, {"threshold", q.threshold},
                   {"cosines", json::object()}, {"cross_talk", json::object()}};
    for (const auto& [other, cosine] : q.cosines)
        result["cosines"][other] = cosine;
    if (method == VectorMethod::Stratified) { // how many images the strata that have both groups hold
        double coverage = 0;
        AttributeDirections::stratifiedMeanDifference(groupCodes, labels, target, &coverage);
        result["strata_coverage"] = coverage;
    }
    // The strength a user would start from: where the target's latent classifier calls
    // 90% of the 'without' images 'with'.
    const LinearProbe classifier = LinearProbe::fit(groupCodes, groups);
    result["strength_for_90_percent"] = AttributeDirections::strengthToReach(vector, groupCodes, classifier, groups.without, 0.9);
    for (const CrossTalk& c : labelled ? AttributeDirections::crossTalk(vector, groupCodes, labels, target, groups.without)
                                       : AttributeDirections::crossTalk(vector, others)) {
        result["cross_talk"][c.name] = {{"shift", c.shift}};
        if (c.flipped >= 0)
            result["cross_talk"][c.name]["flipped"] = c.flipped;
    }

    if (byLabel) {
        // Nearest-class-mean classifier from the training codes, applied to the edited
        // codes of held-out 'without' images.
        const Dataset& test = all.test;
        const LatentCodes testCodes = LatentCodes::encode(*model, test);
        const AttributeGroups testGroups = AttributeMath::groupsFromLabels(
            testCodes.labels, testCodes.classNames, cl.value("with-label"), cl.value("without-label"));
        const int target = AttributeMath::labelIndex(codes.classNames, cl.value("with-label"));
        const TransferRate rate =
            AttributeTransfer::nearestClassMean(codes, testCodes, testGroups.without, target, vector, alpha);
        result["transfer"] = {{"alpha", alpha}, {"test_images", rate.images},
                              {"classified_as_with_before", rate.before},
                              {"classified_as_with_after", rate.after}};
    }

    // Stored with its latent classifier, so that edits with other vectors can hold it.
    AttributeMath::addOrReplace(model->info().attributes, {name, vector, classifier.normal(), classifier.bias()});
    ModelFile::save(*model, cl.value("model"));
    result["model"] = cl.value("model");
    printLine(result);
    return 0;
}

} // namespace latentlab::cli
