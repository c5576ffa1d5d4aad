#pragma once
// Decodes lists of latent codes off the GUI thread for the docks (inspector, morph,
// attributes): a StampedWorker whose jobs are code batches and whose results are images.
// Each channel ("edited", "morph-strip", ...) keeps only its newest pending batch.
#include <QImage>
#include <QList>

#include <memory>
#include <vector>

#include "core/latent/AttributeHold.h"
#include "core/model/Model.h"
#include "ui/StampedWorker.h"

namespace latentlab {

struct CodeBatch {
    std::shared_ptr<const Model> model; // a snapshot: never trained while decoded
    std::vector<float> codes;           // count x latentDim
    std::vector<int> classes;           // conditional models: one per code, or one for all (empty: class 0)
    // Edits that hold attributes: the known ones and the code(s) the edits started from
    // (AttributeHold::apply runs in the job, since it decodes and encodes).
    std::vector<HeldAttribute> hold;
    std::vector<float> holdFrom;
};

class CodeDecoder : public StampedWorker<CodeBatch, QList<QImage>> {
public:
    CodeDecoder();
};

} // namespace latentlab
