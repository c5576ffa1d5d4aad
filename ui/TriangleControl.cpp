#include "ui/TriangleControl.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace latentlab {

TriangleControl::TriangleControl(QWidget* parent) : QWidget(parent)
{
    setMinimumSize(120, 100);
    setToolTip(tr("Click or drag inside the triangle to mix A, B and C"));
}

QPointF TriangleControl::corner(int i) const
{
    const QRectF r = rect().adjusted(14, 14, -14, -14);
    switch (i) {
    case 0: return r.bottomLeft();                       // A
    case 1: return r.bottomRight();                      // B
    default: return {r.center().x(), r.top()};           // C
    }
}

void TriangleControl::setWeights(QPointF ab)
{
    // Clamp into the triangle.
    double a = std::max(0.0, ab.x()), b = std::max(0.0, ab.y());
    if (a + b > 1) {
        const double s = a + b;
        a /= s;
        b /= s;
    }
    if (QPointF(a, b) == weights_)
        return;
    weights_ = {a, b};
    update();
    Q_EMIT weightsChanged(weights_);
}

void TriangleControl::pick(const QPointF& p)
{
    // Solve p = A + a (B - A) + b (C - A).
    const QPointF A = corner(0), u = corner(1) - A, v = corner(2) - A, d = p - A;
    const double det = u.x() * v.y() - u.y() * v.x();
    setWeights({(d.x() * v.y() - d.y() * v.x()) / det, (u.x() * d.y() - u.y() * d.x()) / det});
}

void TriangleControl::mousePressEvent(QMouseEvent* event)
{
    pick(event->position());
}

void TriangleControl::mouseMoveEvent(QMouseEvent* event)
{
    if (event->buttons() & Qt::LeftButton)
        pick(event->position());
}

void TriangleControl::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QPointF A = corner(0), B = corner(1), C = corner(2);
    painter.setPen(QPen(palette().color(QPalette::WindowText), 1.5));
    painter.setBrush(palette().color(QPalette::Base));
    painter.drawPolygon(QPolygonF{A, B, C});
    painter.drawText(A + QPointF(-12, 4), "A");
    painter.drawText(B + QPointF(4, 4), "B");
    painter.drawText(C + QPointF(-4, -4), "C");
    const QPointF p = A + weights_.x() * (B - A) + weights_.y() * (C - A);
    painter.setBrush(palette().color(QPalette::Highlight));
    painter.drawEllipse(p, 5, 5);
}

} // namespace latentlab
