#include "ui/ScriptDescriptionDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>

namespace latentlab {

ScriptDescriptionDialog::ScriptDescriptionDialog(const QString& fileName, const QString& why, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Describe %1").arg(fileName));
    auto* intro = new QLabel(tr("<p><b>%1</b> is a TorchScript model without a description (%2).</p>"
                                "<p>Say what images it takes; the latent size is found by encoding one. "
                                "Your answers are kept beside the file, so this is asked once.</p>")
                                 .arg(fileName.toHtmlEscaped(), why.toHtmlEscaped()),
                             this);
    intro->setWordWrap(true);
    channels_ = new QComboBox(this);
    channels_->addItem(tr("1 (grey)"), 1);
    channels_->addItem(tr("3 (colour)"), 3);
    channels_->setObjectName("scriptChannels");
    const auto side = [this](const char* name) {
        auto* box = new QSpinBox(this);
        box->setRange(1, 1024);
        box->setValue(28);
        box->setObjectName(name);
        return box;
    };
    height_ = side("scriptHeight");
    width_ = side("scriptWidth");
    input_ = new QComboBox(this);
    input_->addItem(tr("Found by trying both"), QString());
    input_->addItem(tr("Flat: [N, C·H·W] (pytorch/examples' VAE)"), "flat");
    input_->addItem(tr("Images: [N, C, H, W]"), "image");
    output_ = new QComboBox(this);
    output_->addItem(tr("Found from a few decodes"), QString());
    output_->addItem(tr("Probabilities in [0, 1] (a sigmoid at the end)"), "probabilities");
    output_->addItem(tr("Logits"), "logits");

    auto* form = new QFormLayout;
    form->addRow(tr("Channels"), channels_);
    form->addRow(tr("Height"), height_);
    form->addRow(tr("Width"), width_);
    form->addRow(tr("encode takes"), input_);
    form->addRow(tr("decode gives"), output_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

ScriptDescription ScriptDescriptionDialog::description() const
{
    ScriptDescription d;
    d.image = ImageShape{channels_->currentData().toInt(), height_->value(), width_->value()};
    if (!input_->currentData().toString().isEmpty())
        d.flatInput = input_->currentData().toString() == "flat";
    if (!output_->currentData().toString().isEmpty())
        d.decodesLogits = output_->currentData().toString() == "logits";
    return d;
}

} // namespace latentlab
