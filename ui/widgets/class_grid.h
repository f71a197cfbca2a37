#pragma once
// The explorer's Classes page: a grid of small drawings of classes (one per class, labelled with
// its name), the classes coming from a search field, or without a search from the classes the
// dream draws now followed by well-known ones. For a model without a classifier head the page
// says so instead.

#include <string>
#include <vector>

#include <QWidget>

#include "core/params/dream_params.h"

class QLabel;
class QLineEdit;
class QPushButton;

namespace inceptionist::ui {

class ThumbnailView;

class ClassGrid : public QWidget {
    Q_OBJECT
public:
    static constexpr int kClassesPerPage = 12;

    ClassGrid(int thumbnailSize, QWidget* parent = nullptr);

    // The classes to show, as the parameters write them, for a head of `count` classes called
    // `names`: the search's first page of matches; without a search the `chosen` classes, then
    // well-known ImageNet classes (for a 1000-class ImageNet head) or the head's first classes.
    std::vector<std::string> shownClasses(const std::vector<std::string>& names, int count,
                                          const std::vector<ClassObjective>& chosen) const;
    // The label of a class as shown under its cell: its name, or "class N" where it has none.
    static QString labelOf(const std::vector<std::string>& names, int count,
                           const std::string& spec);
    // Shows `why` instead of the grid (the model has no head); an empty text shows the grid.
    void setUnavailable(const QString& why);

    ThumbnailView* view() const { return view_; }
    QLineEdit* searchField() const { return search_; }
    QPushButton* exportButton() const { return export_; }

Q_SIGNALS:
    void searchChanged();

private:
    QLineEdit* search_;
    QLabel* unavailable_;
    ThumbnailView* view_;
    QPushButton* export_;
};

}  // namespace inceptionist::ui
