#pragma once
// What the map's data overlay is coloured by: the class labels (the default), a binary
// attribute, or a continuous factor a data set carries (cards: angle and shear; synth-faces:
// skin tone, ...) on a colour ramp, an angle on a colour wheel. It says what its colour
// bar or legend shows.
#include <QColor>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace latentlab {

class Dataset;

class ScatterColouring {
public:
    enum class Kind { Classes, Binary, Continuous, Angle };

    // What `data` can be coloured by: "Label" when it has labels, then its factors and its
    // attributes, by name.
    static QStringList choices(const Dataset& data);
    static QString labelChoice();

    ScatterColouring() = default;
    // A choice that `data` does not have colours by label.
    ScatterColouring(const Dataset& data, const QString& choice);

    Kind kind() const { return kind_; }
    QString name() const { return name_; }
    // Point i's colour (its label's, for Classes; i past the data: grey).
    QColor colour(int index, int label) const;
    // The colour bar's ends (Continuous, Angle).
    double minimum() const { return minimum_; }
    double maximum() const { return maximum_; }
    // The colour at value v of the bar (clamped to its ends).
    QColor barColour(double v) const;

    // A binary attribute's two colours.
    static QColor binaryColour(bool has);
    // A perceptually ordered ramp (viridis' five stops) at t in [0, 1].
    static QColor ramp(double t);
    // A hue wheel: the same colour at an angle and at it plus 360 degrees.
    static QColor wheel(double degrees);

private:
    Kind kind_ = Kind::Classes;
    QString name_;
    QVector<float> values_;
    double minimum_ = 0, maximum_ = 1;
};

} // namespace latentlab
