#pragma once
// A CelebA-style attribute file (list_attr_celeba.txt): a count line, a line of
// attribute names, then "file v1 v2 ..." with 1 (has it) or -1 (has not).
#include <map>
#include <string>
#include <vector>

#include "core/latent/AttributeLabels.h"

namespace latentlab {

class AttributeTable {
public:
    // Throws latentlab::Error naming the file and line of anything malformed.
    static AttributeTable read(const std::string& path);

    const std::vector<std::string>& names() const { return names_; }
    std::size_t rows() const { return values_.size(); }
    // Groups of the images (by file name, folders ignored) that have and lack `attribute`.
    // Images missing from the table are in neither group.
    AttributeGroups groups(const std::vector<std::string>& fileNames, const std::string& attribute) const;
    // Every attribute of those images, in their order; 0 (unknown) for images missing from the table.
    AttributeLabels labels(const std::vector<std::string>& fileNames) const;

private:
    std::string path_;
    std::vector<std::string> names_;
    std::map<std::string, std::vector<signed char>> values_; // file name -> +1 / -1 per attribute
};

} // namespace latentlab
