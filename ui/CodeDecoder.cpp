#include "ui/CodeDecoder.h"

#include "ui/ImageConversion.h"

namespace latentlab {

CodeDecoder::CodeDecoder()
    : StampedWorker([](const CodeBatch& batch) {
          QList<QImage> images;
          for (const Image& image : batch.model->decodeImages(batch.codes, batch.classes))
              images.append(ImageConversion::toQImage(image));
          return images;
      })
{
}

} // namespace latentlab
