#include "core/latent/AttributeLabels.h"

#include "core/base/Error.h"

namespace latentlab {

std::size_t AttributeLabels::column(const std::string& name) const
{
    for (std::size_t j = 0; j < names.size(); ++j)
        if (names[j] == name)
            return j;
    std::string known;
    for (const std::string& n : names)
        known += (known.empty() ? "" : ", ") + n;
    throw Error("no attribute '" + name + "'" + (known.empty() ? std::string(" (there are no attributes)") : "; known: " + known));
}

AttributeGroups AttributeLabels::groups(std::size_t column) const
{
    if (column >= names.size())
        throw Error("attribute column " + std::to_string(column) + " is out of range (" + std::to_string(names.size())
                    + " attributes)");
    AttributeGroups g;
    for (std::size_t i = 0; i < count(); ++i) {
        const int v = value(i, column);
        if (v > 0)
            g.with.push_back(i);
        else if (v < 0)
            g.without.push_back(i);
    }
    return g;
}

AttributeLabels AttributeLabels::ofDataset(const Dataset& data)
{
    return {data.attributeNames(), data.attributes()};
}

} // namespace latentlab
