// The window adds a model file dropped on it (or chosen with File > Add Model…) to the user's
// models in the background and lists it in the Model box at once; a broken file is reported in
// the message bar and changes nothing.

#include <QtTest>

#include <QComboBox>
#include <QMimeData>

#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/widgets/canvas.h"
#include "ui/widgets/message_bar.h"
#include "ui/widgets/parameter_panel.h"

using namespace inceptionist;

namespace {

// The ids the panel's Model box offers.
QStringList offeredModels(ui::MainWindow& window) {
    QStringList ids;
    for (auto* box : window.panel()->findChildren<QComboBox*>())
        for (int i = 0; i < box->count(); ++i)
            if (box->itemData(i).toString() == "inception_v3")
                for (int k = 0; k < box->count(); ++k) ids << box->itemData(k).toString();
    return ids;
}

void drop(QWidget* target, const QString& file) {
    QMimeData data;
    data.setUrls({QUrl::fromLocalFile(file)});
    const QPointF at(target->width() / 2.0, target->height() / 2.0);
    QDragEnterEvent enter(at.toPoint(), Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QDropEvent dropped(at, Qt::CopyAction, &data, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &dropped);
}

}  // namespace

class WindowAddModelTest : public QObject {
    Q_OBJECT
    QTemporaryDir home_;

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(home_.isValid());
        test::isolateSettings(home_.filePath("settings"));
        qputenv("XDG_DATA_HOME", home_.filePath("data").toUtf8());
    }

    void droppedModelFileIsAddedAndListed() {
        DreamParams params;
        params.workingSize = 96;
        auto window = test::sampleWindow(params);
        QVERIFY(!offeredModels(*window).contains("model"));
        drop(window->canvas(),
             QString::fromStdString(test::dataPath("conformance/googlenet_opset9/model.onnx")));
        // Named after the file.
        QTRY_VERIFY_WITH_TIMEOUT(offeredModels(*window).contains("model"), 20000);
        QVERIFY(window->messageBar()->text().contains("Added the model model"));
        QVERIFY(QFileInfo::exists(home_.filePath("data/inceptionist/models/model/model.onnx")));
        // The photo stayed: a model file is not opened as an image.
        QVERIFY(!window->document()->image().isNull());
    }

    void brokenModelFileIsReported() {
        DreamParams params;
        params.workingSize = 96;
        auto window = test::sampleWindow(params);
        const int before = offeredModels(*window).size();
        window->addModelFile(
            QString::fromStdString(test::dataPath("conformance/onnx_unsupported/model.onnx")));
        QTRY_VERIFY_WITH_TIMEOUT(window->messageBar()->text().contains("HardSwish"), 20000);
        QCOMPARE(offeredModels(*window).size(), before);
    }
};

INCEPTIONIST_GUI_TEST_MAIN(WindowAddModelTest)
#include "test_window_add_model.moc"
