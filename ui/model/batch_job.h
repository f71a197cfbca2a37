#pragma once
// Batch in the window: a folder of photos dreamed with the current parameters, one after the
// other on the dream worker (a sequence job: the canvas's dreams go first, cancel stops within a
// step, a cancelled batch goes on from the next photo), each written atomically beside the photo
// or into a chosen folder with the parameters embedded. A photo that cannot be read is skipped
// and named at the end; it never stops the others, and no photo is ever written over.

#include <memory>
#include <mutex>
#include <vector>

#include <QString>
#include <QStringList>

#include "core/params/dream_params.h"
#include "ui/model/sequence_job.h"

namespace inceptionist::ui {

struct BatchRequest {
    QStringList photos;      // in the order they are dreamed
    QString outputFolder;    // empty: beside each photo
    QString format = "png";  // "png", "jpg" or "tif"
    int bits = 8;            // PNG and TIFF: 8 or 16
    DreamParams params;
    bool photoSize = false;  // dream at each photo's own size (as a print), not at working size
};

// The photos in `folder` a batch would dream, by name: image files, without the batch's own
// results ("…-dream.png"), so a second run does not dream the first run's dreams.
QStringList batchPhotos(const QString& folder);

// Where the dream of `photo` goes: "STEM-dream.EXT" in the output folder (or beside the photo),
// numbered ("STEM-dream-2.EXT", …) rather than replacing a file that exists.
QString batchOutputPath(const QString& photo, const BatchRequest& request);

class BatchSequence : public SequenceJob {
public:
    explicit BatchSequence(BatchRequest request);

    size_t itemCount() const override { return request_.photos.size(); }
    double itemCost(size_t) const override { return 1; }
    const DreamParams& itemParams(size_t) const override { return request_.params; }
    void runItem(size_t item, const Network& network, const CancelToken& cancel,
                 const Progress& progress) override;
    void finish(const CancelToken&) override {}

    struct Skipped {
        QString photo, reason;
    };
    // What was written and what was skipped so far (any thread).
    QStringList written() const;
    std::vector<Skipped> skipped() const;
    const BatchRequest& request() const { return request_; }

private:
    const BatchRequest request_;
    mutable std::mutex mutex_;
    QStringList written_;
    std::vector<Skipped> skipped_;
};

}  // namespace inceptionist::ui
