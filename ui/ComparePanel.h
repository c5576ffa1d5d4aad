#pragma once
// The Compare dock: a second model B beside the explored model A, on the same images.
// Eight test images with A's and B's reconstructions, the Morph dock's current morph and
// the Attributes dock's current edit made by both, and both latent maps side by side
// when A's plane has a counterpart in B. Each model encodes with its own encoder: codes
// are never carried from one latent space to the other. B's work runs in one background
// worker whose channels keep only their newest job, as the other docks' decodes do.
#include <QImage>
#include <QMap>
#include <QWidget>

#include <functional>
#include <memory>

#include "core/model/Model.h"
#include "ui/StampedWorker.h"

class QLabel;
class QPushButton;

namespace latentlab {

class EditSession;
class ExplorerDocument;
class LatentMapView;
class MorphPanel;

class ComparePanel : public QWidget {
    Q_OBJECT

public:
    static constexpr int kImages = 8;

    ComparePanel(ExplorerDocument* document, EditSession* session, MorphPanel* morph, LatentMapView* map,
                 QWidget* parent = nullptr);
    ~ComparePanel() override;

    // Why `second` cannot be compared with `first` (their images differ in size or
    // channels), naming both; empty when it can.
    static QString refusal(const Model& first, const Model& second);
    // B, and the name shown for it (its file); null closes the comparison. The caller has
    // checked refusal() against the document's model.
    void setSecondModel(std::shared_ptr<const Model> model, const QString& name);
    std::shared_ptr<const Model> secondModel() const { return second_; }

    // The images the dock shows, as decoded: the originals, A's and B's reconstructions
    // (kImages each); A's and B's morph frames; the original, A's edit and B's edit.
    QList<QImage> reconstructions() const { return rowImages_; }
    QList<QImage> morphs() const { return morphImages_; }
    QList<QImage> edits() const { return editImages_; }
    QString morphText() const;
    QString editText() const;
    QString mapText() const;
    // B's latent map where the main map is (null while A's plane has no counterpart in B).
    QImage secondMap() const { return mapImages_[1]; }

Q_SIGNALS:
    void openRequested();           // "Open B…"
    void decodeFailed(const QString& message);
    // A dock row was decoded for both models.
    void reconstructionsReady();
    void morphsReady();
    void editsReady();
    void mapReady();

protected:
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    using Work = std::function<QList<QImage>()>;
    using Worker = StampedWorker<Work, QList<QImage>>;

    void requestRows();
    void requestMorph();
    void requestEdit();
    void followMap();
    void showFirstMap();
    void showSecondMap(const QList<QImage>& images);
    void showMapImages();
    void updateHeader();
    quint64 submit(const QString& channel, Work work, void (ComparePanel::*shown)(const QList<QImage>&));
    int tileFor(int columns) const; // the side of a row's images in the dock's width
    void showRows(const QList<QImage>& images);
    void showMorph(const QList<QImage>& images);
    void showEdit(const QList<QImage>& images);
    // The classes a conditional model decodes `count` images in (empty: class 0).
    std::vector<int> classesFor(const Model& model, const std::vector<int>& labels) const;

    ExplorerDocument* const document_;
    EditSession* const session_;
    MorphPanel* const morph_;
    LatentMapView* const mapA_;
    const std::unique_ptr<Worker> worker_;
    std::shared_ptr<const Model> second_;
    QString secondName_;
    QLabel* header_;
    QPushButton* close_;
    QWidget* content_; // the sections below the buttons
    QLabel* rows_;
    QLabel* morphStrips_;
    QLabel* morphNote_;
    QLabel* edit_;
    QLabel* editNote_;
    QLabel* mapLabels_[2]; // A's (the main map's newest frame) and B's
    QImage mapImages_[2];
    QLabel* mapNote_;
    QList<QImage> rowImages_, morphImages_, editImages_;
    QMap<QString, quint64> stamps_; // per channel: older results are dropped
};

} // namespace latentlab
