#include "ui/LatentMapView.h"

#include <QKeyEvent>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/ClassPalette.h"
#include "core/latent/LatentGrid.h"
#include "ui/ExplorerDocument.h"
#include "ui/ImageConversion.h"

namespace latentlab {

namespace {

constexpr double kLeftMargin = 52, kBottomMargin = 40, kTopMargin = 10, kRightMargin = 10;
constexpr double kMinHalfRange = 1e-3, kMaxHalfRange = 50;

// 1, 2 or 5 times a power of ten, about span / 6.
double niceStep(double span)
{
    const double raw = span / 6;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (raw <= m * power)
            return m * power;
    return 10 * power;
}

MapFrame decodeFrame(const MapRequest& request)
{
    QElapsedTimer timer;
    timer.start();
    const ViewMapping mapping(request.range, request.spacing, 1, 1);
    const Image grid = LatentGrid::render(*request.model, request.plane, mapping, request.tiles, request.tiles,
                                          0, // seamless, like the classic manifold figure
                                          request.conditionClass);
    return {ImageConversion::toQImage(grid), double(timer.nsecsElapsed()) / 1e6};
}

} // namespace

LatentMapView::LatentMapView(QWidget* parent) : QWidget(parent), worker_(std::make_unique<MapDecoder>(decodeFrame))
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    clock_.start();
    hoverLabel_ = new QLabel(this);
    hoverLabel_->setStyleSheet("QLabel { background: palette(tooltip-base); color: palette(tooltip-text);"
                               " border: 1px solid palette(mid); padding: 3px; }");
    hoverLabel_->hide();
    hoverLabel_->setAttribute(Qt::WA_TransparentForMouseEvents);
}

LatentMapView::~LatentMapView() = default;

void LatentMapView::setDocument(ExplorerDocument* document)
{
    connect(document, &ExplorerDocument::shownModelChanged, this, [this, document] {
        if (document->shownModel())
            setModel(document->shownModel());
    });
    connect(document, &ExplorerDocument::codesChanged, this,
            [this, document] { setScatter(document->overlay(), document->codes()); });
    connect(document, &ExplorerDocument::colourByChanged, this, &LatentMapView::setScatterColouring);
    connect(document, &ExplorerDocument::picksChanged, this, [this, document] { setSelection(document->picks()); });
    connect(document, &ExplorerDocument::conditionClassChanged, this, &LatentMapView::setConditionClass);
}

void LatentMapView::setModel(std::shared_ptr<const Model> model)
{
    const bool sameSpace = model_ && model && model_->config().latentDim == model->config().latentDim;
    model_ = std::move(model);
    ++generation_;
    if (!sameSpace && model_ && plane_.dim() != model_->config().latentDim) {
        plane_ = LatentPlane::fromDimensions(std::vector<float>(std::size_t(model_->config().latentDim), 0.0f), 0,
                                             model_->config().latentDim > 1 ? 1 : 0);
        range_ = PlaneRange::around(0, 0, 3, 3);
    }
    projectScatter();
    requestFrame();
}

void LatentMapView::setPlane(const LatentPlane& plane, const PlaneRange& range)
{
    plane_ = plane;
    range_ = range;
    ++generation_;
    projectScatter();
    requestFrame();
}

void LatentMapView::setSpacing(GridSpacing spacing)
{
    if (spacing == spacing_)
        return;
    spacing_ = spacing;
    if (spacing_ == GridSpacing::InverseCdf) // keep the range where the CDF can be inverted
        range_ = PlaneRange::around(0.5 * (range_.aMin + range_.aMax), 0.5 * (range_.bMin + range_.bMax),
                                    std::min(3.0, 0.5 * (range_.aMax - range_.aMin)),
                                    std::min(3.0, 0.5 * (range_.bMax - range_.bMin)));
    ++generation_;
    requestFrame();
}

void LatentMapView::setTiles(int tiles)
{
    tiles = std::clamp(tiles, 4, 32);
    if (tiles == tiles_)
        return;
    tiles_ = tiles;
    ++generation_;
    requestFrame();
}

void LatentMapView::setConditionClass(int conditionClass)
{
    if (conditionClass == conditionClass_)
        return;
    conditionClass_ = conditionClass;
    ++generation_;
    requestFrame();
}

void LatentMapView::setScatter(std::shared_ptr<const Dataset> data, std::shared_ptr<const LatentCodes> codes)
{
    scatterData_ = std::move(data);
    scatterCodes_ = std::move(codes);
    colouring_ = scatterData_ ? ScatterColouring(*scatterData_, colouringChoice_) : ScatterColouring();
    hovered_ = -1;
    projectScatter();
    update();
}

void LatentMapView::setScatterColouring(const QString& choice)
{
    colouringChoice_ = choice;
    colouring_ = scatterData_ ? ScatterColouring(*scatterData_, choice) : ScatterColouring();
    update();
}

void LatentMapView::setScatterOpacity(double opacity)
{
    scatterOpacity_ = std::clamp(opacity, 0.0, 1.0);
    update();
}

void LatentMapView::setSelection(const QList<int>& indices)
{
    selection_ = indices;
    update();
}

QRectF LatentMapView::mapRect() const
{
    const double side = std::max(10.0, std::min(width() - kLeftMargin - kRightMargin,
                                                 height() - kTopMargin - kBottomMargin));
    // Centred both ways: the slack goes evenly to both sides, never to one band.
    const double left = kLeftMargin + std::max(0.0, (width() - kLeftMargin - kRightMargin - side) / 2);
    const double top = kTopMargin + std::max(0.0, (height() - kTopMargin - kBottomMargin - side) / 2);
    return QRectF(left, top, side, side);
}

ViewMapping LatentMapView::mapping() const
{
    const QRectF square = mapRect();
    return ViewMapping(range_, spacing_, square.width(), square.height());
}

QPointF LatentMapView::toPlane(const QPointF& pixel) const
{
    const QRectF square = mapRect();
    const auto [a, b] = mapping().toPlane(pixel.x() - square.left(), pixel.y() - square.top());
    return {a, b};
}

QPointF LatentMapView::toPixel(const QPointF& ab) const
{
    const QRectF square = mapRect();
    const auto [x, y] = mapping().toPixel(ab.x(), ab.y());
    return {x + square.left(), y + square.top()};
}

void LatentMapView::zoomAt(const QPointF& pixel, double factor)
{
    const QPointF p = toPlane(pixel);
    const double half = 0.5 * (range_.aMax - range_.aMin) * factor;
    if (half < kMinHalfRange || half > kMaxHalfRange)
        return;
    PlaneRange zoomed{p.x() - (p.x() - range_.aMin) * factor, p.x() + (range_.aMax - p.x()) * factor,
                      p.y() - (p.y() - range_.bMin) * factor, p.y() + (range_.bMax - p.y()) * factor};
    if (spacing_ == GridSpacing::InverseCdf && (std::abs(zoomed.aMin) > 7 || std::abs(zoomed.aMax) > 7
                                               || std::abs(zoomed.bMin) > 7 || std::abs(zoomed.bMax) > 7))
        return; // beyond where the normal CDF can be told from 0 or 1
    range_ = zoomed;
    requestFrame();
}

void LatentMapView::panByPixels(const QPointF& delta)
{
    const QPointF centre = mapRect().center();
    panBy(centre, centre + delta);
}

void LatentMapView::panBy(const QPointF& from, const QPointF& to)
{
    const QPointF grabbed = toPlane(from);
    const QRectF square = mapRect();
    const auto shifted = [&](double sa, double sb) {
        return PlaneRange{range_.aMin + sa, range_.aMax + sa, range_.bMin + sb, range_.bMax + sb};
    };
    PlaneRange moved;
    if (spacing_ == GridSpacing::Linear) {
        moved = shifted(grabbed.x() - toPlane(to).x(), grabbed.y() - toPlane(to).y());
    } else {
        // Inverse-CDF spacing is not shift-invariant: find each axis's shift by bisection
        // (the coordinate under a pixel grows with the shift).
        const auto solve = [&](auto coordinateAt, double target) {
            double low = -20, high = 20;
            for (int i = 0; i < 60; ++i) {
                const double mid = 0.5 * (low + high);
                (coordinateAt(mid) < target ? low : high) = mid;
            }
            return 0.5 * (low + high);
        };
        const double x = to.x() - square.left(), y = to.y() - square.top();
        const double sa = solve([&](double s) {
            return ViewMapping(shifted(s, 0), spacing_, square.width(), square.height()).toPlane(x, y).first;
        }, grabbed.x());
        const double sb = solve([&](double s) {
            return ViewMapping(shifted(0, s), spacing_, square.width(), square.height()).toPlane(x, y).second;
        }, grabbed.y());
        moved = shifted(sa, sb);
        if (std::abs(moved.aMin) > 7 || std::abs(moved.aMax) > 7 || std::abs(moved.bMin) > 7 || std::abs(moved.bMax) > 7)
            return; // beyond where the normal CDF can be told from 0 or 1
    }
    range_ = moved;
    requestFrame();
}

void LatentMapView::centreOn(const QPointF& pixel)
{
    panBy(pixel, mapRect().center());
}

void LatentMapView::requestFrame()
{
    update();
    Q_EMIT viewChanged();
    if (!model_ || plane_.dim() != model_->config().latentDim)
        return;
    const qint64 issuedNs = clock_.nsecsElapsed();
    latestStamp_ = worker_->submit(
        "map", MapRequest{model_, plane_, range_, spacing_, tiles_, conditionClass_}, this,
        [this](quint64 stamp, const MapFrame& frame) { onFrameReady(stamp, frame); },
        [this](quint64 stamp, const QString& message) { onDecodeFailed(stamp, message); });
    requests_.insert(latestStamp_, {issuedNs, range_, generation_});
}

void LatentMapView::onDecodeFailed(quint64 stamp, const QString& message)
{
    requests_.remove(stamp);
    if (stamp != latestStamp_) // a newer request may still succeed
        return;
    error_ = tr("The map cannot be decoded: %1").arg(message);
    update();
    Q_EMIT decodeFailed(error_);
}

void LatentMapView::onFrameReady(quint64 stamp, const MapFrame& decoded)
{
    const QImage& image = decoded.image;
    const double milliseconds = decoded.milliseconds;
    const auto info = requests_.constFind(stamp);
    if (info == requests_.cend())
        return;
    const bool stale = stamp < frameStamp_ || info->generation != generation_;
    if (!stale) {
        frame_ = image;
        frameRange_ = info->range;
        frameSpacing_ = spacing_;
        frameStamp_ = stamp;
        frameGeneration_ = info->generation;
        frameDecodeMs_ = milliseconds;
        error_.clear();
        update();
    }
    // Requests up to this one are answered or superseded.
    for (auto it = requests_.begin(); it != requests_.end();)
        it = it.key() < stamp && it.key() != frameStamp_ ? requests_.erase(it) : std::next(it);
}

void LatentMapView::projectScatter()
{
    scatterAb_.clear();
    if (!scatterCodes_ || scatterCodes_->dim != plane_.dim())
        return;
    // Point i is code i and image i: only as many points as there are both (codes of
    // another data set may still be on their way out), and no more than a QVector holds.
    std::size_t count = scatterCodes_->count();
    if (scatterData_)
        count = std::min(count, scatterData_->size());
    count = std::min<std::size_t>(count, std::numeric_limits<int>::max() / 2);
    scatterAb_.reserve(int(count));
    std::vector<float> z(std::size_t(scatterCodes_->dim));
    for (std::size_t i = 0; i < count; ++i) {
        std::copy(scatterCodes_->code(i), scatterCodes_->code(i) + scatterCodes_->dim, z.begin());
        const auto [a, b] = plane_.coordinates(z);
        scatterAb_.append({a, b});
    }
}

int LatentMapView::scatterPointAt(const QPointF& pixel) const
{
    if (scatterOpacity_ <= 0 || scatterAb_.isEmpty() || !mapRect().contains(pixel))
        return -1;
    const ViewMapping m = mapping();
    const QRectF square = mapRect();
    int best = -1;
    double bestDistance = 6 * 6; // pixels
    for (int i = 0; i < scatterAb_.size(); ++i) {
        const auto [x, y] = m.toPixel(scatterAb_[i].x(), scatterAb_[i].y());
        const double dx = x + square.left() - pixel.x(), dy = y + square.top() - pixel.y();
        if (dx * dx + dy * dy < bestDistance) {
            bestDistance = dx * dx + dy * dy;
            best = i;
        }
    }
    return best;
}

void LatentMapView::showHover(int index, const QPointF& pixel)
{
    if (index == hovered_)
        return;
    hovered_ = index;
    if (index < 0 || !scatterData_ || std::size_t(index) >= scatterData_->size()) {
        hovered_ = -1;
        hoverLabel_->hide();
        update();
        return;
    }
    const QImage image = ImageConversion::toQImage(Image::fromPlanarBytes(scatterData_->image(std::size_t(index)),
                                                                          scatterData_->shape()));
    QString caption = tr("#%1").arg(index);
    if (std::size_t(index) < scatterData_->labels().size()) {
        const int label = scatterData_->labels()[std::size_t(index)];
        const auto& names = scatterData_->classNames();
        caption += "  " + (label >= 0 && label < int(names.size()) ? QString::fromStdString(names[std::size_t(label)])
                                                                   : QString::number(label));
    }
    // The image three times its size with its caption underneath.
    const QImage big = image.scaled(image.size() * 3, Qt::KeepAspectRatio, Qt::FastTransformation);
    const QFontMetrics metrics(font());
    QPixmap pixmap(std::max(big.width(), metrics.horizontalAdvance(caption) + 4), big.height() + metrics.height() + 2);
    pixmap.fill(palette().color(QPalette::ToolTipBase));
    {
        QPainter p(&pixmap);
        p.drawImage((pixmap.width() - big.width()) / 2, 0, big);
        p.setPen(palette().color(QPalette::ToolTipText));
        p.drawText(QRect(0, big.height() + 1, pixmap.width(), metrics.height()), Qt::AlignCenter, caption);
    }
    hoverLabel_->setPixmap(pixmap);
    hoverLabel_->setAccessibleName(caption);
    hoverLabel_->adjustSize();
    QPoint at = (pixel + QPointF(14, 14)).toPoint();
    if (at.x() + hoverLabel_->width() > width())
        at.setX(int(pixel.x()) - hoverLabel_->width() - 8);
    if (at.y() + hoverLabel_->height() > height())
        at.setY(int(pixel.y()) - hoverLabel_->height() - 8);
    hoverLabel_->move(at);
    hoverLabel_->show();
    hoverLabel_->raise();
    Q_EMIT imageHovered(index);
    update();
}

void LatentMapView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const QRectF square = mapRect();
    painter.fillRect(square, Qt::black);

    if (!frame_.isNull() && frameSpacing_ == spacing_) {
        // The frame covers frameRange_: place it where that range lies now (exact for
        // linear spacing, a close preview for inverse-CDF spacing until the new frame).
        const QPointF topLeft = toPixel({frameRange_.aMin, frameRange_.bMax});
        const QPointF bottomRight = toPixel({frameRange_.aMax, frameRange_.bMin});
        painter.save();
        painter.setClipRect(square);
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(QRectF(topLeft, bottomRight), frame_);
        painter.restore();
    } else if (!model_) {
        painter.setPen(Qt::white);
        painter.drawText(square.adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("No model yet: open one (File ▸ Open Model…, or drop a .latentlab file here) "
                            "or train one in the Training tab."));
    }
    if (!error_.isEmpty()) {
        painter.setPen(QColor(255, 120, 120));
        painter.drawText(square.adjusted(20, 20, -20, -20), Qt::AlignBottom | Qt::AlignHCenter | Qt::TextWordWrap, error_);
    }
    paintScatter(painter, square);
    paintAxes(painter, square);
    paintLegend(painter, square);

    if (frameStamp_ == latestStamp_ && frameStamp_ != 0 && paintedStamp_ != frameStamp_) {
        paintedStamp_ = frameStamp_;
        const auto info = requests_.constFind(frameStamp_);
        const double ms = info == requests_.cend() ? 0 : double(clock_.nsecsElapsed() - info->issuedNs) / 1e6;
        Q_EMIT framePainted(frameStamp_, ms, frameDecodeMs_);
    }
}

void LatentMapView::paintScatter(QPainter& painter, const QRectF& square) const
{
    if (scatterOpacity_ <= 0 || scatterAb_.isEmpty())
        return;
    painter.save();
    painter.setClipRect(square);
    const ViewMapping m = mapping();
    const std::vector<int>& labels = scatterCodes_->labels;
    for (int i = 0; i < scatterAb_.size(); ++i) {
        const auto [x, y] = m.toPixel(scatterAb_[i].x(), scatterAb_[i].y());
        if (x < 0 || y < 0 || x > square.width() || y > square.height())
            continue;
        QColor colour = colouring_.colour(i, std::size_t(i) < labels.size() ? labels[std::size_t(i)] : -1);
        colour.setAlphaF(float(scatterOpacity_));
        painter.fillRect(QRectF(square.left() + x - 1.5, square.top() + y - 1.5, 3, 3), colour);
    }
    // Hovered and selected images stand out.
    painter.setRenderHint(QPainter::Antialiasing);
    const auto mark = [&](int index, const QString& text) {
        if (index < 0 || index >= scatterAb_.size())
            return;
        const auto [x, y] = m.toPixel(scatterAb_[index].x(), scatterAb_[index].y());
        const QPointF centre(square.left() + x, square.top() + y);
        painter.setPen(QPen(Qt::white, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(centre, 6, 6);
        if (!text.isEmpty()) {
            QFont bold = painter.font();
            bold.setBold(true);
            painter.setFont(bold);
            painter.drawText(centre + QPointF(8, -8), text);
        }
    };
    for (int k = 0; k < selection_.size(); ++k)
        mark(selection_[k], QString(QChar('A' + k)));
    mark(hovered_, QString());
    painter.restore();
}

void LatentMapView::paintAxes(QPainter& painter, const QRectF& square) const
{
    painter.save();
    painter.setPen(palette().color(QPalette::WindowText));
    const QFontMetrics metrics(painter.font());
    const auto ticks = [](double low, double high) {
        std::vector<double> values;
        const double step = niceStep(high - low);
        for (double v = std::ceil(low / step) * step; v <= high + 1e-9 * step; v += step)
            values.push_back(std::abs(v) < 1e-12 * step ? 0.0 : v);
        return values;
    };
    for (double a : ticks(range_.aMin, range_.aMax)) {
        const double x = toPixel({a, range_.bMin}).x();
        painter.drawLine(QPointF(x, square.bottom()), QPointF(x, square.bottom() + 4));
        const QString text = QString::number(a, 'g', 3);
        painter.drawText(QPointF(x - metrics.horizontalAdvance(text) / 2.0, square.bottom() + 6 + metrics.ascent()), text);
    }
    for (double b : ticks(range_.bMin, range_.bMax)) {
        const double y = toPixel({range_.aMin, b}).y();
        painter.drawLine(QPointF(square.left() - 4, y), QPointF(square.left(), y));
        const QString text = QString::number(b, 'g', 3);
        painter.drawText(QPointF(square.left() - 7 - metrics.horizontalAdvance(text), y + metrics.ascent() / 2.0 - 1), text);
    }
    const QString uName = QString::fromStdString(plane_.uName()), vName = QString::fromStdString(plane_.vName());
    painter.drawText(QRectF(square.left(), square.bottom() + 20, square.width(), metrics.height()), Qt::AlignHCenter, uName);
    painter.translate(square.left() - 40, square.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-square.height() / 2, -metrics.height() / 2.0, square.height(), metrics.height()),
                     Qt::AlignHCenter, vName);
    painter.restore();
}

void LatentMapView::paintLegend(QPainter& painter, const QRectF& square) const
{
    if (scatterOpacity_ <= 0 || scatterAb_.isEmpty() || !scatterCodes_)
        return;
    if (colouring_.kind() == ScatterColouring::Kind::Continuous || colouring_.kind() == ScatterColouring::Kind::Angle) {
        paintColourBar(painter, square);
        return;
    }
    const bool binary = colouring_.kind() == ScatterColouring::Kind::Binary;
    std::vector<std::string> names = scatterCodes_->classNames;
    if (binary)
        names = {colouring_.name().toStdString(), "not " + colouring_.name().toStdString()};
    if (names.empty())
        return;
    const QFontMetrics metrics(painter.font());
    int textWidth = 0;
    for (const std::string& name : names)
        textWidth = std::max(textWidth, metrics.horizontalAdvance(QString::fromStdString(name)));
    const double rowHeight = metrics.height() + 2;
    const QRectF box(square.right() - textWidth - 34, square.top() + 6, textWidth + 28, rowHeight * names.size() + 8);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 150));
    painter.drawRoundedRect(box, 4, 4);
    for (std::size_t i = 0; i < names.size(); ++i) {
        const double y = box.top() + 4 + rowHeight * double(i);
        painter.fillRect(QRectF(box.left() + 6, y + rowHeight / 2 - 4, 8, 8),
                         binary ? ScatterColouring::binaryColour(i == 0) : ClassPalette::colour(int(i)));
        painter.setPen(Qt::white);
        painter.drawText(QPointF(box.left() + 20, y + metrics.ascent() + 1), QString::fromStdString(names[i]));
    }
    painter.restore();
}

// A vertical colour bar with the factor's name and its range: what the overlay's colours mean.
void LatentMapView::paintColourBar(QPainter& painter, const QRectF& square) const
{
    const QFontMetrics metrics(painter.font());
    const double barHeight = std::min(180.0, square.height() / 3), barWidth = 12;
    const QString top = QString::number(colouring_.maximum(), 'g', 3), bottom = QString::number(colouring_.minimum(), 'g', 3);
    const int textWidth = std::max({metrics.horizontalAdvance(top), metrics.horizontalAdvance(bottom),
                                    metrics.horizontalAdvance(colouring_.name()) - int(barWidth) - 6});
    const QRectF box(square.right() - textWidth - barWidth - 28, square.top() + 6, textWidth + barWidth + 22,
                     barHeight + metrics.height() + 16);
    painter.save();
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(0, 0, 0, 150));
    painter.drawRoundedRect(box, 4, 4);
    painter.setPen(Qt::white);
    painter.drawText(QPointF(box.left() + 6, box.top() + 4 + metrics.ascent()), colouring_.name());
    const QRectF bar(box.left() + 6, box.top() + metrics.height() + 8, barWidth, barHeight);
    for (int row = 0; row < int(bar.height()); ++row) {
        const double t = 1.0 - row / std::max(1.0, bar.height() - 1);
        painter.fillRect(QRectF(bar.left(), bar.top() + row, bar.width(), 1),
                         colouring_.barColour(colouring_.minimum() + t * (colouring_.maximum() - colouring_.minimum())));
    }
    painter.drawText(QPointF(bar.right() + 6, bar.top() + metrics.ascent() / 2.0 + 2), top);
    painter.drawText(QPointF(bar.right() + 6, bar.bottom() + 2), bottom);
    painter.restore();
}

void LatentMapView::resizeEvent(QResizeEvent*)
{
    update();
}

void LatentMapView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    dragging_ = true;
    lastDragPos_ = pressPos_ = event->position();
    setCursor(Qt::ClosedHandCursor);
}

void LatentMapView::mouseMoveEvent(QMouseEvent* event)
{
    if (dragging_) {
        panBy(lastDragPos_, event->position());
        lastDragPos_ = event->position();
        if ((event->position() - pressPos_).manhattanLength() > 3)
            showHover(-1, event->position());
        return;
    }
    showHover(scatterPointAt(event->position()), event->position());
}

void LatentMapView::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton || !dragging_)
        return;
    dragging_ = false;
    unsetCursor();
    if ((event->position() - pressPos_).manhattanLength() <= 3) {
        const int index = scatterPointAt(event->position());
        if (index >= 0)
            Q_EMIT imageClicked(index);
    }
}

void LatentMapView::mouseDoubleClickEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton && mapRect().contains(event->position()))
        centreOn(event->position());
}

void LatentMapView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomAt(event->position(), std::pow(0.85, steps));
    event->accept();
}

void LatentMapView::keyPressEvent(QKeyEvent* event)
{
    const double step = mapRect().width() / 10;
    switch (event->key()) {
    case Qt::Key_Left: panByPixels({step, 0}); break;   // the view moves left: content right
    case Qt::Key_Right: panByPixels({-step, 0}); break;
    case Qt::Key_Up: panByPixels({0, step}); break;
    case Qt::Key_Down: panByPixels({0, -step}); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomAt(mapRect().center(), 0.8); break;
    case Qt::Key_Minus: zoomAt(mapRect().center(), 1.25); break;
    default: QWidget::keyPressEvent(event);
    }
}

void LatentMapView::leaveEvent(QEvent*)
{
    showHover(-1, {});
}

} // namespace latentlab
