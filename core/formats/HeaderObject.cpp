#include "core/formats/HeaderObject.h"

#include <algorithm>

namespace latentlab {

using nlohmann::json;

int nestingDepth(const std::string& text)
{
    int depth = 0, deepest = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

std::string plainJsonError(const nlohmann::json::exception& e)
{
    const std::string what = e.what();
    const std::size_t end = what.find("] ");
    return what.rfind("[json.exception.", 0) == 0 && end != std::string::npos ? what.substr(end + 2) : what;
}

json attributesToJson(const std::vector<AttributeVector>& attributes)
{
    json list = json::array();
    for (const AttributeVector& a : attributes) {
        json entry = {{"name", a.name}, {"direction", a.direction}};
        if (!a.classifierNormal.empty())
            entry["classifier"] = {{"normal", a.classifierNormal}, {"bias", a.classifierBias}};
        list.push_back(std::move(entry));
    }
    return list;
}

std::vector<AttributeVector> attributesFromJson(const HeaderObject& owner, const char* key, int latentDim)
{
    constexpr std::size_t kMaxEntries = 1 << 20;
    std::vector<AttributeVector> out;
    const json& attributes = owner.array(key, kMaxEntries, true);
    for (std::size_t i = 0; i < attributes.size(); ++i) {
        const std::string where = std::string(key) + "[" + std::to_string(i) + "]";
        const HeaderObject a(attributes[i], where);
        AttributeVector vector;
        vector.name = a.text("name");
        const json& direction = a.array("direction", std::size_t(latentDim));
        if (direction.size() != std::size_t(latentDim))
            throw Error("attribute '" + vector.name + "' has " + std::to_string(direction.size()) + " values for a latent code of "
                        + std::to_string(latentDim));
        for (const json& v : direction)
            vector.direction.push_back(float(HeaderObject::numberOf(v, where + ".direction")));
        if (a.has("classifier")) { // written since issue 12; older files have none
            const HeaderObject c = a.object("classifier");
            const json& normal = c.array("normal", std::size_t(latentDim));
            if (normal.size() != std::size_t(latentDim))
                throw Error("the classifier of attribute '" + vector.name + "' has " + std::to_string(normal.size())
                            + " values for a latent code of " + std::to_string(latentDim));
            for (const json& v : normal)
                vector.classifierNormal.push_back(HeaderObject::numberOf(v, where + ".classifier.normal"));
            vector.classifierBias = c.number("bias");
        }
        out.push_back(std::move(vector));
    }
    return out;
}

} // namespace latentlab
