#pragma once
// The inspector dock: the selected image, its reconstruction and the edited decode,
// its code as bars, a slider per latent dimension (or principal component) that edits
// the code live, for conditional models the edited code in every class (one style,
// every class), and its nearest neighbours in the data set.
#include <QWidget>

class QCheckBox;
class QGroupBox;
class QLabel;
class QGridLayout;
class QHBoxLayout;
class QSlider;
class QToolButton;

namespace latentlab {

class CodeBarChart;
class EditSession;

class InspectorPanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int kNeighbours = 8;

    explicit InspectorPanel(EditSession* session, QWidget* parent = nullptr);

    QSlider* slider(int i) const;
    QLabel* editedLabel() const { return edited_; }
    QLabel* canonicalLabel() const { return canonical_; }
    QString titleText() const;
    QString errorText() const;
    QImage editedImage() const { return editedImage_; }
    QList<int> neighbours() const { return neighbours_; }
    QList<QToolButton*> classButtons() const { return classButtons_; }
    QCheckBox* corruptedToggle() const { return corruptedToggle_; }
    // A warning about the inspected image (unlike the training data), until the selection changes.
    void setNotice(const QString& text);

Q_SIGNALS:
    // A denoising or colourising model: show test images corrupted as the model was trained,
    // next to their restorations (on), or as they are (off).
    void corruptedViewToggled(bool on);

private:
    void rebuildSliders();
    void showSelection();
    void updateNeighbours();
    void updateBars();
    void showClasses(const QList<QImage>& images);

    EditSession* session_;
    QLabel* title_;
    QLabel* error_;     // the last decode error, until a decode succeeds
    QLabel* notice_;    // a warning about the inspected image
    QCheckBox* corruptedToggle_; // models trained with a corruption only
    QLabel* originalCaption_;
    QLabel* reconstructionCaption_;
    QWidget* details_;  // images, bars, sliders, classes, neighbours: shown once something is selected
    QLabel* original_;
    QLabel* reconstruction_;
    QWidget* canonicalColumn_;
    QLabel* canonical_;
    QLabel* edited_;
    QImage editedImage_;
    CodeBarChart* bars_;
    QGridLayout* sliderGrid_;
    QWidget* sliderBox_;
    QList<QSlider*> sliders_;
    QList<QLabel*> sliderValues_;
    QGroupBox* classBox_;
    QGridLayout* classGrid_;
    QList<QToolButton*> classButtons_;
    QHBoxLayout* neighbourRow_;
    QList<QToolButton*> neighbourButtons_;
    QList<int> neighbours_;
};

} // namespace latentlab
