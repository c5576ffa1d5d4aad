#pragma once
// The central view: a grid of decoded tiles on a latent plane that the person
// drags (pan), scrolls (zoom around the cursor) and double-clicks (centre), with the
// encoded data set as a scatter on the same plane. Decoding runs in a MapDecoder;
// while a frame is on its way the last one is shown moved and scaled into place.
#include <QElapsedTimer>
#include <QHash>
#include <QImage>
#include <QWidget>

#include <memory>

#include "core/data/Dataset.h"
#include "core/latent/LatentCodes.h"
#include "ui/MapRequest.h"
#include "ui/ScatterColouring.h"

class QLabel;

namespace latentlab {

class ExplorerDocument;

class LatentMapView : public QWidget {
    Q_OBJECT

public:
    explicit LatentMapView(QWidget* parent = nullptr);
    ~LatentMapView() override;

    // Follows the document: its shown model, overlay codes, picks and class.
    void setDocument(ExplorerDocument* document);
    // The model decoded from; a new snapshot redraws with the same view.
    void setModel(std::shared_ptr<const Model> model);
    // The plane and the part of it to show (resets the view).
    void setPlane(const LatentPlane& plane, const PlaneRange& range);
    void setSpacing(GridSpacing spacing);
    void setTiles(int tiles); // 4 to 32 per side
    void setConditionClass(int conditionClass); // what a conditional model decodes
    // Encoded images shown as a scatter (codes[i] belongs to data image i).
    void setScatter(std::shared_ptr<const Dataset> data, std::shared_ptr<const LatentCodes> codes);
    void setScatterOpacity(double opacity); // 0 hides it
    // What the scatter is coloured by (a ScatterColouring choice of its data set).
    void setScatterColouring(const QString& choice);
    const ScatterColouring& scatterColouring() const { return colouring_; }
    void setSelection(const QList<int>& indices); // marked A, B, C

    const LatentPlane& plane() const { return plane_; }
    PlaneRange range() const { return range_; }
    GridSpacing spacing() const { return spacing_; }
    int tiles() const { return tiles_; }
    int conditionClass() const { return conditionClass_; }
    bool hasModel() const { return model_ != nullptr; }
    quint64 latestStamp() const { return latestStamp_; }
    quint64 paintedStamp() const { return paintedStamp_; }
    QImage frame() const { return frame_; } // the newest decoded tiles
    QString errorText() const { return error_; } // the last decode error, until a frame arrives
    // The square the tiles fill, in widget pixels.
    QRectF mapRect() const;
    // Plane coordinates under a widget pixel, and back.
    QPointF toPlane(const QPointF& pixel) const;
    QPointF toPixel(const QPointF& ab) const;

    void zoomAt(const QPointF& pixel, double factor);
    void panByPixels(const QPointF& delta);
    // Moves the plane so that the point under pixel `from` comes to lie under `to`.
    void panBy(const QPointF& from, const QPointF& to);
    void centreOn(const QPointF& pixel);

    QSize sizeHint() const override { return {720, 720}; }
    QSize minimumSizeHint() const override { return {240, 240}; }

Q_SIGNALS:
    // A frame of the newest request is on screen; ms from request to painted.
    void framePainted(quint64 stamp, double milliseconds, double decodeMilliseconds);
    void imageHovered(int index);
    void imageClicked(int index);
    void decodeFailed(const QString& message);
    // A new frame was requested: the model, plane, range, spacing, tiles or class changed.
    void viewChanged();

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void requestFrame();
    void onFrameReady(quint64 stamp, const MapFrame& frame);
    void onDecodeFailed(quint64 stamp, const QString& message);
    void projectScatter();
    int scatterPointAt(const QPointF& pixel) const;
    void showHover(int index, const QPointF& pixel);
    ViewMapping mapping() const;
    void paintAxes(QPainter& painter, const QRectF& square) const;
    void paintScatter(QPainter& painter, const QRectF& square) const;
    void paintLegend(QPainter& painter, const QRectF& square) const;
    void paintColourBar(QPainter& painter, const QRectF& square) const;

    std::unique_ptr<MapDecoder> worker_;
    std::shared_ptr<const Model> model_;
    LatentPlane plane_;
    PlaneRange range_;
    GridSpacing spacing_ = GridSpacing::Linear;
    int tiles_ = 16;
    int conditionClass_ = 0;

    QImage frame_;            // the newest decoded frame
    PlaneRange frameRange_;   // the range it was decoded for
    GridSpacing frameSpacing_ = GridSpacing::Linear;
    double frameDecodeMs_ = 0;
    QString error_;
    quint64 latestStamp_ = 0;  // of the newest request
    quint64 frameStamp_ = 0;   // of frame_
    quint64 paintedStamp_ = 0; // last stamp reported painted
    // What each request in flight was for: stale frames of an older generation (another
    // model, plane, spacing or tile count) are dropped; frames that only lag behind a
    // pan or zoom are drawn moved and scaled into place.
    struct RequestInfo {
        qint64 issuedNs = 0;
        PlaneRange range;
        quint64 generation = 0;
    };
    QHash<quint64, RequestInfo> requests_;
    quint64 generation_ = 0;
    quint64 frameGeneration_ = 0;
    QElapsedTimer clock_;

    std::shared_ptr<const Dataset> scatterData_;
    std::shared_ptr<const LatentCodes> scatterCodes_;
    QVector<QPointF> scatterAb_;   // plane coordinates of each code
    double scatterOpacity_ = 0.6;
    QString colouringChoice_;
    ScatterColouring colouring_;
    QList<int> selection_;
    int hovered_ = -1;
    QLabel* hoverLabel_ = nullptr;

    bool dragging_ = false;
    QPointF lastDragPos_;
    QPointF pressPos_;
};

} // namespace latentlab
