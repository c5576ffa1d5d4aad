#pragma once
// The attributes dock: the model's attribute vectors, a slider each (-3 to 3) that
// edits the selected image live (several combine), an orthogonalise toggle, rename and
// delete, and each vector's cross-talk with the other attributes; creating vectors from
// labels, a CelebA-style attribute file or images picked by hand, by any of
// AttributeDirections' methods; and the plane of two vectors for the map.
#include <QMap>
#include <QWidget>

#include <memory>

#include "core/formats/AttributeTable.h"
#include "core/latent/AttributeDirections.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QStackedWidget;
class QVBoxLayout;

namespace latentlab {

class EditSession;

class AttributesPanel : public QWidget {
    Q_OBJECT

public:
    explicit AttributesPanel(EditSession* session, QWidget* parent = nullptr);

    // Hand-picked sets (indices into the session's data), from the data set browser.
    void addToWith(const QList<int>& indices);
    void addToWithout(const QList<int>& indices);
    // Reads a CelebA-style attribute file in the background; `attributeFileLoaded` follows.
    void loadAttributeFile(const QString& path);
    void setColumn(const QString& column);
    // Starts making `name` from the current source and method in the background;
    // `vectorCreated` follows. False (and a message) when it cannot start.
    bool createVector(const QString& name);
    enum class Source { ClassVsClass, ClassVsRest, AttributeFile, HandPicked };
    void setSource(Source source);
    void setClasses(const QString& with, const QString& without);
    void setMethod(VectorMethod method);
    // The line under a vector: the strength that reaches 90% of the "without" images (for
    // vectors made here) and the cross-talk (empty when there is nothing to say).
    QString crossTalkText(const QString& name) const;
    QSlider* slider(const QString& name) const;
    QString lastError() const { return lastError_; }

Q_SIGNALS:
    void attributePlaneRequested(const QString& first, const QString& second);
    void message(const QString& text);
    void attributeFileLoaded(bool ok);
    void vectorCreated(const QString& name, bool ok); // lastError() says why not

private:
    void rebuildList();
    void refreshSourceWidgets();
    AttributeGroups groupsFromSource(QString* description) const;

    EditSession* session_;
    QVBoxLayout* list_;
    QWidget* listBox_;
    QMap<QString, QSlider*> sliders_;
    QMap<QString, AttributeGroups> groups_; // what each vector made here was computed from
    QMap<QString, std::vector<CrossTalk>> crossTalk_; // with labelled attributes, for vectors made here
    QMap<QString, double> strengths_; // AttributeDirections::strengthToReach 90%, for vectors made here
    QLineEdit* name_;
    QComboBox* source_;
    QComboBox* method_;
    bool labelledSource_ = false; // whether the method list was last set for an attribute source
    const Dataset* sourceData_ = nullptr; // the data set the source list was last chosen for
    QComboBox* classWith_;
    QComboBox* classWithout_;
    QPushButton* chooseFile_;
    QComboBox* column_;
    std::shared_ptr<const AttributeTable> attributeTable_;
    QLabel* picked_;
    QList<int> with_, without_;
    QLabel* selected_;
    QLabel* edited_;
    QComboBox* planeX_;
    QComboBox* planeY_;
    QString lastError_;
};

} // namespace latentlab
