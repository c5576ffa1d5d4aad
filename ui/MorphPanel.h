#pragma once
// The morph dock: images A and B (and optionally C), a strip of frames, a large
// preview that a slider (or, with three images, a triangle) scrubs live, linear or
// spherical interpolation, and export as PNG strip, GIF or MP4.
#include <QImage>
#include <QWidget>

#include <memory>
#include <vector>

#include "ui/CodeDecoder.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QSpinBox;
class QToolButton;

namespace latentlab {

class ExplorerDocument;
class TriangleControl;

class MorphPanel : public QWidget {
    Q_OBJECT

public:
    explicit MorphPanel(ExplorerDocument* document, QWidget* parent = nullptr);
    ~MorphPanel() override;

    // slot 0, 1, 2 = A, B, C; an empty code clears the slot.
    void setEndpoint(int slot, const QImage& image, std::vector<float> code, const QString& name);
    QSlider* scrubber() const { return scrubber_; }
    QString statusText() const;
    TriangleControl* triangle() const { return triangle_; }
    QImage previewImage() const { return preview_; }
    void setFrameCount(int frames);
    void setSpherical(bool on);
    // The frames' codes (count x dim): the strip, and what export writes.
    std::vector<float> frameCodes(int frames) const;
    // What the strip is made of, for a second model to morph the same images the same way:
    // the endpoints' images (null where a slot is empty), the frame count and the kind.
    QImage endpointImage(int slot) const { return slot >= 0 && slot < 3 ? images_[slot] : QImage(); }
    bool hasEndpoints() const { return ready(); }
    bool hasThirdImage() const { return threeImages(); }
    int frameCount() const;
    bool isSpherical() const;
    // Decodes and writes the frames in the background; `exported` or `exportFailed` follows.
    void exportTo(const QString& path);

Q_SIGNALS:
    void previewReady(const QImage& image);
    void exported(const QString& path, int frames);
    void exportFailed(const QString& message);
    // A strip or preview decode failed; the panel shows it too.
    void decodeFailed(const QString& message);
    // The strip's endpoints, frame count or kind changed (and it is decoded again).
    void stripChanged();

private:
    bool threeImages() const { return !codes_[2].empty(); }
    bool ready() const { return !codes_[0].empty() && !codes_[1].empty(); }
    std::vector<float> codeAt(double s, double t) const;
    void requestStrip();
    void requestPreview();
    void updateControls();
    void showStrip(const QList<QImage>& images);
    void showDecodeError(const QString& message);

    ExplorerDocument* const document_;
    const std::unique_ptr<CodeDecoder> decoder_;
    std::vector<float> codes_[3];
    QImage images_[3];
    QToolButton* slots_[3];
    QComboBox* kind_;
    QSpinBox* frames_;
    QLabel* strip_;
    QLabel* status_; // guidance while A or B is missing, and decode errors
    QLabel* previewLabel_;
    QImage preview_;
    QSlider* scrubber_;
    TriangleControl* triangle_;
    QDoubleSpinBox* secondsPerFrame_;
    quint64 stripStamp_ = 0, previewStamp_ = 0;
};

} // namespace latentlab
