#include "core/formats/ScriptDescription.h"

#include "core/formats/HeaderObject.h"

namespace latentlab {

using nlohmann::json;

namespace {

constexpr int kMaxDepth = 32;
constexpr std::size_t kMaxClasses = 1 << 16;
constexpr int kMaxLatent = 1 << 16;

// One of two words, or throws naming the field and both.
bool oneOf(const HeaderObject& h, const char* key, const char* yes, const char* no)
{
    const std::string word = h.text(key);
    if (word != yes && word != no)
        throw Error("'" + std::string(key) + "' is \"" + word + "\"; expected \"" + yes + "\" or \"" + no + "\"");
    return word == yes;
}

} // namespace

ScriptDescription ScriptDescription::parse(const std::string& text, const std::string& where)
{
    if (text.size() > kMaxTextBytes)
        throw Error(where + ": the description is " + std::to_string(text.size()) + " bytes, at most " + std::to_string(kMaxTextBytes));
    if (nestingDepth(text) > kMaxDepth)
        throw Error(where + ": the description is nested deeper than " + std::to_string(kMaxDepth) + " levels");
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(where + ": the description is not JSON (" + plainJsonError(e) + ")");
    }
    try {
        const HeaderObject h(j, "");
        ScriptDescription d;
        if (h.has("image")) {
            const HeaderObject image = h.object("image");
            ImageShape s;
            s.channels = int(image.integer("channels", 1, 3));
            s.height = int(image.integer("height", 1, 1024));
            s.width = int(image.integer("width", 1, 1024));
            d.image = s;
        }
        if (h.has("input"))
            d.flatInput = oneOf(h, "input", "flat", "image");
        if (h.has("latent"))
            d.latent = int(h.integer("latent", 1, kMaxLatent));
        if (h.has("decode_output"))
            d.decodesLogits = oneOf(h, "decode_output", "logits", "probabilities");
        if (h.has("likelihood"))
            d.likelihood = likelihoodFromString(h.text("likelihood"));
        if (h.has("class_names")) {
            const json& names = h.array("class_names", kMaxClasses);
            std::vector<std::string> classes;
            for (std::size_t i = 0; i < names.size(); ++i) {
                if (!names[i].is_string())
                    throw Error("'class_names[" + std::to_string(i) + "]' must be a string");
                classes.push_back(names[i].get<std::string>());
            }
            d.classNames = classes;
        }
        if (h.has("dataset"))
            d.dataset = h.text("dataset");
        if (h.has("attributes")) {
            if (!d.latent)
                throw Error("'attributes' needs 'latent', the length of their directions");
            d.attributes = attributesFromJson(h, "attributes", *d.latent);
        }
        return d;
    } catch (const Error& e) {
        throw Error(where + ": " + e.what());
    }
}

std::string ScriptDescription::toJson() const
{
    json j = json::object();
    if (image)
        j["image"] = {{"channels", image->channels}, {"height", image->height}, {"width", image->width}};
    if (flatInput)
        j["input"] = *flatInput ? "flat" : "image";
    if (latent)
        j["latent"] = *latent;
    if (decodesLogits)
        j["decode_output"] = *decodesLogits ? "logits" : "probabilities";
    if (likelihood)
        j["likelihood"] = toString(*likelihood);
    if (classNames)
        j["class_names"] = *classNames;
    if (dataset)
        j["dataset"] = *dataset;
    if (attributes)
        j["attributes"] = attributesToJson(*attributes);
    return j.dump(2);
}

ScriptDescription ScriptDescription::overriddenBy(const ScriptDescription& over) const
{
    ScriptDescription d = *this;
    if (over.image) d.image = over.image;
    if (over.flatInput) d.flatInput = over.flatInput;
    if (over.latent) d.latent = over.latent;
    if (over.decodesLogits) d.decodesLogits = over.decodesLogits;
    if (over.likelihood) d.likelihood = over.likelihood;
    if (over.classNames) d.classNames = over.classNames;
    if (over.dataset) d.dataset = over.dataset;
    if (over.attributes) d.attributes = over.attributes;
    return d;
}

} // namespace latentlab
