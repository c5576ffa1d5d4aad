#pragma once
// The "View" dock: which plane the latent map shows, its spacing and tile count,
// the class a conditional model decodes, and the data overlay. It follows the
// document's shown model (dimensions, classes), class and picks, and sets the last two.
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace latentlab {

class ExplorerDocument;

class PlaneControls : public QWidget {
    Q_OBJECT

public:
    enum class Kind { Dimensions, Pca, ThreeImages };

    explicit PlaneControls(ExplorerDocument* document, QWidget* parent = nullptr);

    Kind kind() const;
    void setKind(Kind kind);
    int dimU() const;
    int dimV() const;
    void setDims(int u, int v);
    QString dimName(int d) const;
    int dimCount() const;
    // The dimensions offered as axes, by name (z0, z1, ... or angle, dx, dy, z0, ...).
    void setDimensionNames(const QStringList& names);
    bool inverseCdf() const;
    void setInverseCdf(bool on);
    int tiles() const;
    void setTiles(int tiles);
    double opacity() const;
    // A conditional model's classes; empty (any other model) hides the choice.
    void setClassNames(const QStringList& names);
    int conditionClass() const;
    void setConditionClass(int conditionClass); // as if chosen
    // Shows the picked images (A, B, C) and enables the three-image plane when complete.
    void setSelectionText(const QString& text, bool threePicked);

Q_SIGNALS:
    void planeChanged();
    void spacingChanged(bool inverseCdf);
    void tilesChanged(int tiles);
    void opacityChanged(double opacity);
    void conditionClassChanged(int conditionClass);

private:
    void updateEnabled();
    void followShownModel();
    void followPicks();
    void followPose();
    void followOverlay();
    void sendPose();

    ExplorerDocument* const document_;
    QFormLayout* form_;
    QComboBox* kind_;
    QComboBox* class_;
    QComboBox* dimU_;
    QComboBox* dimV_;
    // A model with a pose (the rVAE): the angle and shift the map is decoded at.
    QWidget* pose_;
    QSlider* angle_;
    QSlider* shiftX_;
    QSlider* shiftY_;
    QLabel* poseText_;
    QComboBox* spacing_;
    QSpinBox* tiles_;
    QSlider* opacity_;
    QComboBox* colourBy_;
    QLabel* selection_;
    QPushButton* clear_;
    QString shownFamily_; // architecture/latent size of the model shown last
    bool threePicked_ = false;
};

} // namespace latentlab
