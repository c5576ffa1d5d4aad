#pragma once
#include <QPointF>
#include <QWidget>

namespace latentlab {

// Picks barycentric weights (a, b) inside the triangle A, B, C: the point is
// A + a (B - A) + b (C - A) with a, b >= 0 and a + b <= 1.
class TriangleControl : public QWidget {
    Q_OBJECT

public:
    explicit TriangleControl(QWidget* parent = nullptr);
    QPointF weights() const { return weights_; }
    void setWeights(QPointF ab);
    QSize sizeHint() const override { return {150, 130}; }

Q_SIGNALS:
    void weightsChanged(QPointF ab);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    QPointF corner(int i) const;
    void pick(const QPointF& pixel);
    QPointF weights_{1.0 / 3, 1.0 / 3};
};

} // namespace latentlab
