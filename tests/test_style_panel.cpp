// The Dream | Style switch and the Style panel, as an artist uses them: switching is one undo
// step and paints at once in live mode; paintings are added by button or drop, weighted and
// removed, each an undo step that names it; a file that is not an image is refused with its
// name; the settings come back in the next run.

#include <QtTest>

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QMimeData>
#include <QSettings>
#include <QSlider>
#include <QStackedWidget>
#include <QTabBar>

#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/dream_controller.h"
#include "ui/widgets/canvas.h"
#include "ui/widgets/main_window.h"
#include "ui/widgets/message_bar.h"
#include "ui/widgets/mode_panel.h"
#include "ui/widgets/slider_spin.h"
#include "ui/widgets/style_panel.h"

using namespace inceptionist;
using namespace inceptionist::ui;

namespace {

QString data(const char* name) { return QString::fromStdString(test::dataPath(name)); }

// Drops `files` onto `target` as a file manager would.
void dropFiles(QWidget* target, const QStringList& files) {
    QMimeData mime;
    QList<QUrl> urls;
    for (const QString& f : files) urls << QUrl::fromLocalFile(f);
    mime.setUrls(urls);
    const QPointF at(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(target, &drop);
}

}  // namespace

class StylePanelTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { test::isolateSettings(settingsDir_.path()); }

    void init() {
        QSettings().remove("style/params");
        DreamParams p;
        p.workingSize = 128;
        window_ = test::sampleWindow(p);
        window_->show();
    }

    void cleanup() { window_.reset(); }

    QString lastUndoText() {
        auto* stack = window_->document()->undoStack();
        return stack->text(stack->index() - 1);
    }

    void switchIsOneUndoStep() {
        ModePanel* modes = window_->modePanel();
        QCOMPARE(modes->modeBar()->currentIndex(), 0);
        const int steps = window_->document()->undoStack()->count();
        modes->modeBar()->setCurrentIndex(1);
        QCOMPARE(window_->document()->params().mode, std::string("style"));
        QCOMPARE(window_->document()->undoStack()->count(), steps + 1);
        QCOMPARE(lastUndoText(), QString("Change mode dream → style"));
        QVERIFY(modes->stylePanel()->isVisibleTo(window_.get()));
        // No painting yet: nothing to paint, and no error either.
        window_->startDream();
        QVERIFY(!window_->controller()->busy());
        QVERIFY(window_->messageBar()->text().isEmpty());
        window_->document()->undoStack()->undo();
        QCOMPARE(window_->document()->params().mode, std::string("dream"));
        QCOMPARE(modes->modeBar()->currentIndex(), 0);
        QVERIFY(!modes->stylePanel()->isVisibleTo(window_.get()));
    }

    void paintingsAreAddedDroppedWeightedAndRemoved() {
        window_->modePanel()->setStyleMode(true);
        StylePanel* panel = window_->modePanel()->stylePanel();
        panel->addImages({data("scream.jpg")});
        QCOMPARE(panel->imageCount(), 1);
        QCOMPARE(lastUndoText(), QString("Add style image scream.jpg"));
        dropFiles(panel->imageList(), {data("kite.jpg")});
        const auto& images = window_->document()->params().style.images;
        QCOMPARE(images.size(), size_t(2));
        QCOMPARE(QString::fromStdString(images[1].path), data("kite.jpg"));
        QCOMPARE(lastUndoText(), QString("Add style image kite.jpg"));

        const auto weights = panel->imageList()->findChildren<QDoubleSpinBox*>("styleWeight");
        QCOMPARE(weights.size(), 2);
        weights[1]->setValue(0.5);
        QCOMPARE(window_->document()->params().style.images[1].weight, 0.5);
        QCOMPARE(lastUndoText(), QString("Change weight of kite.jpg 1 → 0.5"));

        panel->removeImage(0);
        QCOMPARE(window_->document()->params().style.images.size(), size_t(1));
        QCOMPARE(lastUndoText(), QString("Remove style image scream.jpg"));
        window_->document()->undoStack()->undo();
        QCOMPARE(panel->imageCount(), 2);
        QCOMPARE(panel->imageList()->findChildren<QFrame*>("styleImageRow").size(), 2);
    }

    void aFileThatIsNotAnImageIsRefusedByName() {
        window_->modePanel()->setStyleMode(true);
        QTemporaryDir tmp;
        QFile notes(tmp.filePath("notes.jpg"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("a shopping list, not a painting");
        notes.close();
        const int steps = window_->document()->undoStack()->count();
        window_->modePanel()->stylePanel()->addImages({notes.fileName()});
        QCOMPARE(window_->modePanel()->stylePanel()->imageCount(), 0);
        QCOMPARE(window_->document()->undoStack()->count(), steps);
        QVERIFY2(window_->messageBar()->text().contains("notes.jpg cannot be used as a painting"),
                 qPrintable(window_->messageBar()->text()));
    }

    void sliderDragIsOneNamedStep() {
        window_->modePanel()->setStyleMode(true);
        StylePanel* panel = window_->modePanel()->stylePanel();
        const int steps = window_->document()->undoStack()->count();
        QSlider* slider = panel->strengthControl()->slider();
        for (int v = slider->value() + 20; v < slider->value() + 200; v += 20) slider->setValue(v);
        QCOMPARE(window_->document()->undoStack()->count(), steps + 1);
        const double strength = window_->document()->params().style.styleWeight;
        QVERIFY(strength > 10);
        QCOMPARE(lastUndoText(),
                 QString("Change style strength 10 → %1").arg(QString::number(strength, 'g', 4)));

        panel->sizeControl()->spinBox()->setValue(384);
        QCOMPARE(window_->document()->params().workingSize, 384);
        QCOMPARE(lastUndoText(), QString("Change working size 128 → 384"));

        panel->preserveColoursBox()->setCurrentIndex(1);
        Q_EMIT panel->preserveColoursBox()->activated(1);
        QCOMPARE(window_->document()->params().style.preserveColors, std::string("luminance"));
        window_->document()->undoStack()->undo();
        QCOMPARE(panel->preserveColoursBox()->currentData().toString(), QString("none"));
    }

    // The next run's Style mode starts from the paintings and settings used last.
    void settingsPersist() {
        window_->modePanel()->setStyleMode(true);
        StylePanel* panel = window_->modePanel()->stylePanel();
        panel->addImages({data("scream.jpg")});
        panel->iterationsControl()->spinBox()->setValue(42);
        window_->modePanel()->setStyleMode(false);
        window_.reset();

        DreamParams p;
        p.workingSize = 128;
        window_ = test::sampleWindow(p);
        window_->modePanel()->setStyleMode(true);
        const StyleParams& s = window_->document()->params().style;
        QCOMPARE(s.images.size(), size_t(1));
        QCOMPARE(QString::fromStdString(s.images[0].path), data("scream.jpg"));
        QCOMPARE(s.iterations, 42);
        QCOMPARE(window_->modePanel()->stylePanel()->iterationsControl()->value(), 42.0);
    }

    // Live mode: switching to Style with a painting set paints, and the previews reach the canvas.
    void switchingPaintsInLiveMode() {
        window_->modePanel()->setStyleMode(true);
        window_->modePanel()->stylePanel()->addImages({data("scream.jpg")});
        window_->modePanel()->setStyleMode(false);
        QSignalSpy previews(window_->controller(), &DreamController::previewReady);
        window_->setLiveMode(true);
        QSignalSpy done(window_->controller(), &DreamController::dreamFinished);
        done.wait(60000);  // the dream live mode starts now
        previews.clear();
        window_->modePanel()->modeBar()->setCurrentIndex(1);
        // Pressing Style is a finished change: the transfer starts now, not after live mode's
        // pause for slider drags.
        QVERIFY(window_->controller()->busy());
        QVERIFY(previews.wait(60000));
        QCOMPARE(window_->controller()->latestParams().mode, std::string("style"));
        QCOMPARE(window_->canvas()->after(), previews.last().first().value<QImage>());
    }

private:
    QTemporaryDir settingsDir_;
    std::unique_ptr<MainWindow> window_;
};

INCEPTIONIST_GUI_TEST_MAIN(StylePanelTest)
#include "test_style_panel.moc"
