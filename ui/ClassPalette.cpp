#include "ui/ClassPalette.h"

namespace latentlab {

QColor ClassPalette::colour(int label)
{
    static const QRgb tableau[] = {0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                   0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};
    if (label >= 0 && label < 10)
        return QColor::fromRgb(tableau[label]);
    // Any other label (a file's labels are anyone's): a hue in 0..359, without overflow.
    const long long hue = (static_cast<long long>(label) * 47) % 360;
    return QColor::fromHsv(int(hue < 0 ? hue + 360 : hue), 200, 230);
}

} // namespace latentlab
