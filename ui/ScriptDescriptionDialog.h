#pragma once
// Asks what a TorchScript VAE's file does not say (it has no latentlab.json): its image
// shape and, where probing should not decide, what encode takes and decode gives. The
// latent size is always probed. The answers are kept beside the file (its sidecar).
#include <QDialog>

#include "core/formats/ScriptDescription.h"

class QComboBox;
class QSpinBox;

namespace latentlab {

class ScriptDescriptionDialog : public QDialog {
    Q_OBJECT

public:
    ScriptDescriptionDialog(const QString& fileName, const QString& why, QWidget* parent = nullptr);
    ScriptDescription description() const;

private:
    QComboBox* channels_;
    QSpinBox* height_;
    QSpinBox* width_;
    QComboBox* input_;
    QComboBox* output_;
};

} // namespace latentlab
