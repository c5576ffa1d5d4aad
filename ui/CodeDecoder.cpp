#include "ui/CodeDecoder.h"

#include "ui/ImageConversion.h"

namespace latentlab {

CodeDecoder::CodeDecoder()
    : StampedWorker([](const CodeBatch& batch) {
          QList<QImage> images;
          const std::vector<float> codes =
              batch.hold.empty() ? batch.codes
                                 : AttributeHold::apply(*batch.model, batch.hold, batch.holdFrom, batch.codes, batch.classes);
          for (const Image& image : batch.model->decodeImages(codes, batch.classes))
              images.append(ImageConversion::toQImage(image));
          return images;
      })
{
}

} // namespace latentlab
