#include "ui/model/document.h"

#include "ui/model/undo_commands.h"

namespace inceptionist::ui {

Document::Document(QObject* parent) : QObject(parent) { undo_.setUndoLimit(kUndoLimit); }

void Document::replaceImage(const QImage& image, const QString& path, const QString& label) {
    ImageState next{snapshots_.make(image),
                    path,
                    {path, path.isEmpty() ? image : QImage(), {}, image},
                    nullptr,
                    {}};
    pushImageStep(std::move(next), ImageChange::NewImage, label);
}

void Document::keepDream(const QImage& dream, const DreamParams& madeWith) {
    // The dream on show is the one kept: one snapshot serves both states.
    SnapshotPtr kept =
        (dream_ && dream_->cacheKey() == dream.cacheKey()) ? dream_ : snapshots_.make(dream);
    if (!dream_ || dream_ != kept) {
        dream_ = kept;
        dreamParams_ = madeWith;
    }
    Lineage next = lineage_;
    next.kept.push_back(madeWith);
    pushImageStep({kept, path_, next, nullptr, {}}, ImageChange::Kept, tr("Keep dream"));
}

void Document::pushImageStep(ImageState after, ImageChange change, const QString& label) {
    undo_.push(new ImageCommand(this, currentState(), std::move(after), change, label));
    enforceBudget();
}

void Document::editParams(const DreamParams& params, ParamField field) {
    editParamsAs(params, field, {});
}

void Document::editParamsAs(const DreamParams& params, ParamField field, const QString& label) {
    if (params == params_) return;
    undo_.push(new ParamsCommand(this, params_, params, field, label));
}

void Document::setDream(const QImage& dream, const DreamParams& madeWith) {
    if (dream.isNull()) {
        dream_.reset();
        return;
    }
    if (dream_ && dream_->cacheKey() == dream.cacheKey()) return;
    dream_ = snapshots_.make(dream);
    dreamParams_ = madeWith;
    enforceBudget();
}

ImageState Document::currentState() const {
    return {current_, path_, lineage_, dream_, dreamParams_};
}

void Document::applyImage(const ImageState& state, ImageChange change) {
    current_ = state.image;
    image_ = state.image ? state.image->image() : QImage();
    path_ = state.path;
    lineage_ = state.lineage;
    dream_ = state.dream;
    dreamParams_ = state.dreamParams;
    change_ = change;
    Q_EMIT imageChanged();
}

void Document::applyParams(const DreamParams& params) {
    if (params == params_) return;
    params_ = params;
    Q_EMIT paramsChanged();
}

void Document::restoreSession(const QImage& image, const QString& path, const Lineage& lineage,
                              const DreamParams& params, const QString& label) {
    undo_.beginMacro(label);
    pushImageStep({snapshots_.make(image), path, lineage, nullptr, {}}, ImageChange::Kept, label);
    if (params != params_)
        undo_.push(new ParamsCommand(this, params_, params, ParamField::Everything));
    undo_.endMacro();
}

void Document::rebuildHistory(const std::function<void(QUndoStack&)>& build, int index,
                              const DreamParams& params) {
    {
        const QSignalBlocker quiet(this);  // the steps pass by; only where they end is news
        const ImageState was = currentState();
        const DreamParams wasParams = params_;
        const ImageChange wasChange = change_;
        undo_.clear();
        try {
            build(undo_);
            undo_.setIndex(index);
        } catch (...) {  // as before, with an empty history
            undo_.clear();
            applyImage(was, wasChange);
            params_ = wasParams;
            throw;
        }
        params_ = params;
    }
    enforceBudget();
    change_ = ImageChange::Restored;
    Q_EMIT imageChanged();
    Q_EMIT paramsChanged();
}

void Document::setUndoMemoryBudget(qint64 bytes) {
    snapshots_.setBudget(bytes);
    enforceBudget();
}

void Document::enforceBudget() {
    // What is on show stays in memory anyway; spilling it would free nothing.
    std::vector<qint64> shown{image_.cacheKey(), lineage_.photo.cacheKey()};
    if (dream_) shown.push_back(dream_->cacheKey());
    snapshots_.enforce(shown);
}

}  // namespace inceptionist::ui
