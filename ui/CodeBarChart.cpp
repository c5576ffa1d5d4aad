#include "ui/CodeBarChart.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace latentlab {

CodeBarChart::CodeBarChart(QWidget* parent) : QWidget(parent)
{
    setMinimumHeight(70);
}

void CodeBarChart::setCodes(std::vector<float> original, std::vector<float> edited)
{
    original_ = std::move(original);
    edited_ = std::move(edited);
    update();
}

void CodeBarChart::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    const QRectF area = rect().adjusted(4, 4, -4, -4);
    painter.fillRect(rect(), palette().base());
    if (edited_.empty())
        return;
    // A scale of at least +-3 (the prior's bulk), more when a code goes further.
    float extent = 3;
    for (float v : edited_)
        extent = std::max(extent, std::abs(v));
    for (float v : original_)
        extent = std::max(extent, std::abs(v));
    const double mid = area.center().y();
    const double scale = area.height() / 2 / extent;
    const double step = area.width() / double(edited_.size());
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(QPointF(area.left(), mid), QPointF(area.right(), mid));
    for (std::size_t i = 0; i < edited_.size(); ++i) {
        const double x = area.left() + step * double(i) + step * 0.15;
        const double w = std::max(1.0, step * 0.7);
        painter.fillRect(QRectF(x, std::min(mid, mid - edited_[i] * scale), w, std::abs(edited_[i]) * scale),
                         QColor(70, 130, 200));
        if (i < original_.size() && original_[i] != edited_[i]) {
            painter.setPen(QPen(QColor(230, 120, 30), 1.5));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(QRectF(x, std::min(mid, mid - original_[i] * scale), w, std::abs(original_[i]) * scale));
        }
    }
}

} // namespace latentlab
