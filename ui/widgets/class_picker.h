#pragma once
// Choosing classes for the network to draw (mode "class"): a search field over the names of the
// model's classifier head (ImageNet's 1000 for an ImageNet head) and their indices, the chosen
// classes each with a weight and a remove button, and "minus the others". Enter in the search
// field adds the top match. Without a head the picker is disabled and its tooltip says why.

#include <string>
#include <vector>

#include <QWidget>

#include "core/params/dream_params.h"

class QCheckBox;
class QLineEdit;
class QListWidget;
class QTableWidget;

namespace inceptionist::ui {

// The indices of a head of `count` classes called `names` (possibly none) that a search for `text`
// matches, best first: the exact name or index, then names that start with the text, then names
// with a word that does, then the rest that contain it. All of them for an empty text.
std::vector<int> matchClasses(const std::vector<std::string>& names, int count,
                              const QString& text);

// How a class is written into the parameters: its name where the name finds it again (ImageNet
// has two "crane"s), else its index.
std::string classSpec(const std::vector<std::string>& names, int count, int index);

class ClassPicker : public QWidget {
    Q_OBJECT
public:
    explicit ClassPicker(QWidget* parent = nullptr);

    // The classes on offer: a head of `count` classes called `names` (empty: by index only) of
    // the model `modelName`. A count of 0 disables the picker, saying the model has no head.
    void setHead(std::vector<std::string> names, int count, const QString& modelName);
    int headClasses() const { return count_; }

    // Shows `classes` and `others` without reporting an edit.
    void setClasses(const std::vector<ClassObjective>& classes, bool others);
    const std::vector<ClassObjective>& classes() const { return classes_; }
    bool others() const;

    // Adds class `index` with weight 1 (or does nothing where it is chosen already).
    void addClass(int index);
    // The indices the search field matches, best first (matchClasses).
    std::vector<int> matches(const QString& text) const {
        return matchClasses(names_, count_, text);
    }

    QLineEdit* searchField() const { return search_; }
    QListWidget* matchList() const { return matchList_; }
    QTableWidget* chosenTable() const { return chosen_; }
    QCheckBox* othersBox() const { return others_; }

Q_SIGNALS:
    // The chosen classes or "minus the others" changed; `othersOnly` when only the latter did.
    void edited(bool othersOnly);

private:
    QString label(int index) const;
    // The index of a class as a preset names it, or -1 where this head has no such class.
    int indexOf(const ClassObjective& c) const;
    void refilter();
    void rebuildChosen();
    void addTopMatch();

    std::vector<std::string> names_;
    int count_ = -1;  // until the first setHead
    QString modelName_;
    std::vector<ClassObjective> classes_;
    bool updating_ = false;

    QLineEdit* search_;
    QListWidget* matchList_;
    QTableWidget* chosen_;
    QCheckBox* others_;
};

}  // namespace inceptionist::ui
