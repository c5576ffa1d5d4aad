#include "ui/ScatterColouring.h"

#include <algorithm>
#include <cmath>

#include "core/data/Dataset.h"
#include "ui/ClassPalette.h"

namespace latentlab {

QString ScatterColouring::labelChoice()
{
    return QObject::tr("Label");
}

QStringList ScatterColouring::choices(const Dataset& data)
{
    QStringList out;
    if (data.hasLabels())
        out << labelChoice();
    for (const std::string& name : data.factorNames())
        out << QString::fromStdString(name);
    for (const std::string& name : data.attributeNames())
        out << QString::fromStdString(name);
    return out;
}

ScatterColouring::ScatterColouring(const Dataset& data, const QString& choice) : name_(choice)
{
    const std::string wanted = choice.toStdString();
    const auto& factors = data.factorNames();
    const auto& attributes = data.attributeNames();
    if (const auto f = std::find(factors.begin(), factors.end(), wanted); f != factors.end()) {
        const std::size_t column = std::size_t(f - factors.begin());
        kind_ = wanted == "angle" ? Kind::Angle : Kind::Continuous;
        for (std::size_t i = 0; i < data.size(); ++i)
            values_.append(data.factors()[i * factors.size() + column]);
    } else if (const auto a = std::find(attributes.begin(), attributes.end(), wanted); a != attributes.end()) {
        kind_ = Kind::Binary;
        for (std::size_t i = 0; i < data.size(); ++i)
            values_.append(data.attribute(i, std::size_t(a - attributes.begin())) > 0 ? 1.0f : 0.0f);
    } else {
        name_ = labelChoice();
        return;
    }
    if (!values_.isEmpty()) {
        const auto [lo, hi] = std::minmax_element(values_.begin(), values_.end());
        minimum_ = *lo;
        maximum_ = *hi > *lo ? *hi : *lo + 1;
    }
}

QColor ScatterColouring::colour(int index, int label) const
{
    if (kind_ == Kind::Classes)
        return label >= 0 ? ClassPalette::colour(label) : QColor(255, 200, 0);
    if (index < 0 || index >= values_.size())
        return QColor(160, 160, 160);
    if (kind_ == Kind::Binary)
        return binaryColour(values_[index] > 0);
    return barColour(values_[index]);
}

QColor ScatterColouring::barColour(double v) const
{
    if (kind_ == Kind::Angle)
        return wheel(v);
    return ramp((std::clamp(v, minimum_, maximum_) - minimum_) / (maximum_ - minimum_));
}

QColor ScatterColouring::binaryColour(bool has)
{
    return has ? QColor(0xf2, 0x8e, 0x2b) : QColor(0x4e, 0x79, 0xa7);
}

QColor ScatterColouring::ramp(double t)
{
    static const QColor stops[] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};
    const double x = std::clamp(t, 0.0, 1.0) * 4;
    const int i = std::min(3, int(x));
    const double f = x - i;
    const auto mix = [f](int a, int b) { return int(std::lround(a + (b - a) * f)); };
    return QColor(mix(stops[i].red(), stops[i + 1].red()), mix(stops[i].green(), stops[i + 1].green()),
                  mix(stops[i].blue(), stops[i + 1].blue()));
}

QColor ScatterColouring::wheel(double degrees)
{
    const double turn = std::fmod(std::fmod(degrees, 360.0) + 360.0, 360.0) / 360.0;
    return QColor::fromHsvF(float(turn), 0.75f, 0.95f);
}

} // namespace latentlab
