#pragma once
#include <QColor>

namespace latentlab {

// Distinct colours for class labels (the ten of Tableau's palette, then hues).
class ClassPalette {
public:
    static QColor colour(int label);
};

} // namespace latentlab
