#pragma once
#include <QWidget>

#include <vector>

namespace latentlab {

// A latent code as bars around zero, the edited code over the original in outline.
class CodeBarChart : public QWidget {
    Q_OBJECT

public:
    explicit CodeBarChart(QWidget* parent = nullptr);
    void setCodes(std::vector<float> original, std::vector<float> edited);
    QSize sizeHint() const override { return {300, 90}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<float> original_, edited_;
};

} // namespace latentlab
