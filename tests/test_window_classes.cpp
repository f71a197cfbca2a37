// Classes in the window. The class picker: typing part of a name and Enter draws that class (the
// dream then raises that class's logit above every other's), the picker follows the model's
// classifier head (disabled, saying why, for a model without one), undo entries name the class,
// and classes from a preset show as they are. The explorer's class grid: its cells carry the
// class names, each cell raises its own class's logit over the others, a click draws the class. The
// model is tests/data/keras/imagenet-classifier.h5 (made by
// tests/conformance/make-keras-fixtures.py --imagenet-classifier --seed 1): small convolutions
// under a 1000-class head in ImageNet's order, in which barbell reads horizontal edges.

#include <QtTest>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QTableWidget>
#include <QUndoStack>

#include "core/io/image_io.h"
#include "core/model/class_names.h"
#include "core/model/classifier_probe.h"
#include "core/model/model_store.h"
#include "core/render/explorer.h"
#include "tests/gui_test_support.h"
#include "tests/test_support.h"
#include "ui/model/document.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/undo_commands.h"
#include "ui/widgets/class_grid.h"
#include "ui/widgets/class_picker.h"
#include "ui/widgets/explorer_panel.h"
#include "ui/widgets/parameter_panel.h"
#include "ui/widgets/thumbnail_view.h"

using namespace inceptionist;
using namespace inceptionist::ui;

namespace {

constexpr int kBarbell = 422;
constexpr int kDumbbell = 543;

// A models folder holding the ImageNet-head fixture as "imagenet_classifier" and the headless
// tiny model as "tiny".
void makeModelsFolder(const QString& dir) {
    auto add = [&](const QString& id, const QString& h5, const QByteArray& manifest) {
        QVERIFY(QDir().mkpath(dir + "/" + id));
        QVERIFY(QFile::copy(QString::fromStdString(test::dataPath("keras/" + h5.toStdString())),
                            dir + "/" + id + "/model.h5"));
        QFile m(dir + "/" + id + "/manifest.json");
        QVERIFY(m.open(QIODevice::WriteOnly));
        m.write(manifest);
    };
    add("imagenet_classifier", "imagenet-classifier.h5",
        R"({"display_name": "ImageNet test classifier", "preprocessing": "unit",
            "default_layers": ["conv2"], "layers": [{"name": "conv2", "channels": 16}]})");
    add("tiny", "tiny.h5",
        R"({"display_name": "Tiny", "preprocessing": "unit",
            "layers": [{"name": "conv2d_1", "channels": 4}]})");
}

std::vector<ModelManifest> modelsIn(const QString& dir) {
    auto models = installedModels(dir.toStdString());
    findClassifierHeads(models, dir.toStdString());
    return models;
}

DreamParams smallParams() {
    DreamParams p;
    p.model = "imagenet_classifier";
    p.layers = {{"conv2", 1.0, {}}};
    p.workingSize = 96;  // kite.jpg's own size
    p.octaves = 1;
    p.steps = 20;
    p.stepSize = 0.02;
    p.jitter = 4;
    return p;
}

}  // namespace

class WindowClassesTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        test::isolateSettings(settings_.path());
        makeModelsFolder(models_.path());
    }

    // The head is found from the topology alone, for TF.js and Keras files.
    void findsHeadsWithoutLoading() {
        QCOMPARE(classifierHeadClasses(test::dataPath("keras/imagenet-classifier.h5")), 1000);
        QCOMPARE(classifierHeadClasses(test::dataPath("keras/classifier.h5")), 5);
        QCOMPARE(classifierHeadClasses(test::dataPath("keras/tiny.h5")), 0);
        QCOMPARE(classifierHeadClasses(test::dataPath("keras/tiny-weights-only.h5")), 0);
        QCOMPARE(classifierHeadClasses(test::dataPath("kite.jpg")), 0);  // not a model
        // The default InceptionV3 (model.json) kept a 5-class content-rating head, on a flattened
        // 299-px map: its class pictures need 299 px on each side, so class cells grow to that.
        const ClassifierHeadFacts inception =
            probeClassifierHead(test::modelsDir() + "/inception_v3");
        QCOMPARE(inception.classes, 5);
        QCOMPARE(inception.minimumSide, 299);
        QCOMPARE(probeClassifierHead(test::dataPath("keras/imagenet-classifier.h5")).minimumSide,
                 0);
        // An ONNX graph: the model zoo GoogLeNet's names, a 10-class Gemm before the softmax, on a
        // flattened map of a declared 224-px input.
        const ClassifierHeadFacts zoo =
            probeClassifierHead(test::dataPath("conformance/zoo_googlenet/model.onnx"));
        QCOMPARE(zoo.classes, 10);
        QCOMPARE(zoo.minimumSide, 224);
        QCOMPARE(classThumbnailSide(192, 0, 400, 300), 192);
        QCOMPARE(classThumbnailSide(192, 299, 400, 300), 399);  // 299 × 4/3, rounded up
        QCOMPARE(classThumbnailSide(512, 299, 300, 400), 512);
    }

    void searchRanksNamesThatStartWithTheText() {
        ClassPicker picker;
        picker.setHead(imagenetClassNames(), 1000, "ImageNet");
        const auto barb = picker.matches("barb");
        QVERIFY(!barb.empty());
        QCOMPARE(barb.front(), kBarbell);  // before "barber chair" and "barbershop"
        QCOMPARE(picker.matches("543").front(), kDumbbell);
        QCOMPARE(picker.matches("Great_White").front(), 2);
        QCOMPARE(picker.matches("").size(), size_t(1000));
        QVERIFY(picker.matches("zzzz").empty());
        QTest::keyClicks(picker.searchField(), "shark");
        QCOMPARE(picker.matchList()->count(), 2);  // great white shark, tiger shark
    }

    // Type "barb", Enter: the window draws barbell, and the dream raises barbell's logit more
    // than any other class's.
    void typingAndEnterDrawsTheClass() {
        MainWindow window(models_.path());
        window.setLiveMode(false);
        window.document()->applyParams(smallParams());
        QVERIFY(window.openFile(QString::fromStdString(test::dataPath("kite.jpg"))));
        window.show();
        ClassPicker* picker = window.panel()->classPicker();
        QVERIFY(picker->isEnabled());
        QCOMPARE(picker->headClasses(), 1000);

        QTest::keyClicks(picker->searchField(), "barb");
        QTest::keyClick(picker->searchField(), Qt::Key_Return);
        const DreamParams p = window.document()->params();
        QCOMPARE(p.mode, std::string("class"));
        QCOMPARE(p.classes.size(), size_t(1));
        QCOMPARE(p.classes[0].name, std::string("barbell"));
        QCOMPARE(classIndex(imagenetClassNames(), 1000, p.classes[0].name), kBarbell);
        QCOMPARE(window.document()->undoStack()->text(window.document()->undoStack()->index() - 1),
                 QString("Draw class: barbell"));
        QVERIFY(picker->searchField()->text().isEmpty());  // ready for the next class
        QVERIFY(!window.panel()->layerBox()->isEnabled());

        QSignalSpy done(window.controller(), &DreamController::dreamFinished);
        window.startDream();
        QVERIFY(done.wait(120000));
        const cv::Mat drawn = toMat(done.last().at(0).value<QImage>());
        auto net = Network::load((models_.path() + "/imagenet_classifier").toStdString());
        auto logits = [&](const cv::Mat& rgb) {
            return net->activations(rgb, {"predictions/linear"})[0].values;
        };
        const auto before = logits(readImage(test::dataPath("kite.jpg")));
        const auto after = logits(drawn);
        const double rise = after[kBarbell] - before[kBarbell];
        double otherRise = -1e9;
        for (int k = 0; k < 1000; ++k)
            if (k != kBarbell) otherRise = std::max(otherRise, double(after[k] - before[k]));
        qInfo("barbell: logit %.3f -> %.3f (+%.3f); largest rise of another class %+.3f",
              before[kBarbell], after[kBarbell], rise, otherRise);
        QVERIFY2(rise > 0.5, qPrintable(QString::number(rise)));
        QVERIFY2(rise > 2 * otherRise, qPrintable(QString::number(otherRise)));
        QCOMPARE(int(std::max_element(after.begin(), after.end()) - after.begin()), kBarbell);
    }

    // Removing the last class dreams with layers again; the history says so.
    void removingTheLastClassReturnsToLayers() {
        MainWindow window(models_.path());
        window.setLiveMode(false);
        window.document()->applyParams(smallParams());
        ClassPicker* picker = window.panel()->classPicker();
        picker->addClass(kBarbell);
        picker->addClass(1);  // goldfish
        QUndoStack* undo = window.document()->undoStack();
        QCOMPARE(undo->text(undo->index() - 1), QString("Draw classes: barbell + goldfish"));
        auto* weight = qobject_cast<QDoubleSpinBox*>(picker->chosenTable()->cellWidget(1, 1));
        QVERIFY(weight);
        weight->setFocus();
        weight->selectAll();
        QTest::keyClicks(weight, "2.5");  // the box stays while its edits go to the document
        QCOMPARE(picker->chosenTable()->cellWidget(1, 1), weight);
        QCOMPARE(window.document()->params().classes[1].weight, 2.5);
        weight->setValue(2);
        QCOMPARE(window.document()->params().classes[1].weight, 2.0);
        QCOMPARE(undo->text(undo->index() - 1), QString("Draw classes: barbell + goldfish ×2"));
        for (int i = 0; i < 2; ++i) {
            auto* remove = qobject_cast<QPushButton*>(picker->chosenTable()->cellWidget(0, 2));
            QVERIFY(remove);
            remove->click();
            QTRY_COMPARE(picker->chosenTable()->rowCount(), 1 - i);
        }
        QCOMPARE(window.document()->params().mode, std::string("dream"));
        QVERIFY(window.document()->params().classes.empty());
        QCOMPARE(undo->text(undo->index() - 1), QString("Stop drawing classes"));
        QVERIFY(window.panel()->layerBox()->isEnabled());
        // Undo brings barbell back, in the panel too.
        undo->undo();
        QCOMPARE(window.document()->params().classes.size(), size_t(1));
        QCOMPARE(picker->chosenTable()->rowCount(), 1);
        QVERIFY(picker->chosenTable()->item(0, 0)->text().startsWith("goldfish"));
    }

    // Classes from a preset (by index, with a weight, minus the others) show as they are and
    // come back out unchanged.
    void presetClassesRoundTrip() {
        ParameterPanel panel;
        panel.setModels(modelsIn(models_.path()));
        DreamParams p = smallParams();
        p.mode = "class";
        p.classes = {{"543", 2.5}, {"Barbell", 1.0}};
        p.classOthers = true;
        panel.setParams(p);
        ClassPicker* picker = panel.classPicker();
        QCOMPARE(picker->chosenTable()->rowCount(), 2);
        QCOMPARE(picker->chosenTable()->item(0, 0)->text(), QString("dumbbell  ·  543"));
        QCOMPARE(qobject_cast<QDoubleSpinBox*>(picker->chosenTable()->cellWidget(0, 1))->value(),
                 2.5);
        QVERIFY(picker->othersBox()->isChecked());
        QVERIFY(panel.params() == p);
        QVERIFY(DreamParams::fromJson(panel.params().toJson()) == p);

        QSignalSpy edits(&panel, &ParameterPanel::edited);
        picker->othersBox()->setChecked(false);
        QCOMPARE(edits.count(), 1);
        QCOMPARE(edits.last().at(1).value<ParamField>(), fieldOf(ParamId::ClassOthers));
        QVERIFY(!edits.last().at(0).value<DreamParams>().classOthers);
        // Adding a class already chosen (barbell, named differently) changes nothing.
        picker->addClass(kBarbell);
        QCOMPARE(edits.count(), 1);
    }

    // A model without a classifier head: the picker is disabled and says why; switching to it
    // drops the classes, which name another head's classes.
    void modelWithoutHead() {
        ParameterPanel panel;
        panel.setModels(modelsIn(models_.path()));
        DreamParams p = smallParams();
        p.mode = "class";
        p.classes = {{"barbell", 1.0}};
        panel.setParams(p);
        QVERIFY(panel.classPicker()->isEnabled());

        QSignalSpy edits(&panel, &ParameterPanel::edited);
        auto* model = panel.findChild<QComboBox*>();
        QVERIFY(model);
        const int tiny = model->findData("tiny");
        QVERIFY(tiny >= 0);
        model->setCurrentIndex(tiny);
        Q_EMIT model->activated(tiny);
        QCOMPARE(edits.count(), 1);
        const auto after = edits.last().at(0).value<DreamParams>();
        QCOMPARE(after.model, std::string("tiny"));
        QCOMPARE(after.mode, std::string("dream"));
        QVERIFY(after.classes.empty());
        QVERIFY(!panel.classPicker()->isEnabled());
        QVERIFY2(panel.classPicker()->toolTip().contains("Tiny has no classifier head"),
                 qPrintable(panel.classPicker()->toolTip()));
    }

    // The grid's first page: well-known classes, each cell drawn with its class, which rises over
    // the others there; clicking a cell takes that class into the panel.
    void classGrid() {
        MainWindow window(models_.path());
        window.setLiveMode(false);
        window.document()->applyParams(smallParams());
        QVERIFY(window.openFile(QString::fromStdString(test::dataPath("kite.jpg"))));
        ExplorerPanel* explorer = window.explorer();
        explorer->tabs()->setCurrentWidget(explorer->classGrid());
        explorer->setActive(true);
        ThumbnailView* view = explorer->classGrid()->view();
        QCOMPARE(view->count(), ClassGrid::kClassesPerPage);
        QCOMPARE(view->item(0)->text(), QString("barbell"));
        QCOMPARE(view->item(1)->text(), QString("goldfish"));
        QCOMPARE(view->item(5)->text(), QString("tree frog"));
        QTRY_COMPARE_WITH_TIMEOUT(view->finishedCount(), view->count(), 120000);

        auto net = Network::load((models_.path() + "/imagenet_classifier").toStdString());
        auto logits = [&](const cv::Mat& rgb) {
            return net->activations(rgb, {"predictions/linear"})[0].values;
        };
        const auto before = logits(readImage(test::dataPath("kite.jpg")));
        // The classes the fixture's head reads clear features for.
        const QStringList clear = {"barbell",   "goldfish", "tree frog",
                                   "jellyfish", "volcano",  "castle"};
        for (const auto& [label, image] : view->images()) {
            if (!clear.contains(label)) continue;
            const int index = classIndex(imagenetClassNames(), 1000, label.toStdString());
            const auto after = logits(toMat(image));
            const double rise = after[index] - before[index];
            double otherRise = -1e9;
            for (int k = 0; k < 1000; ++k)
                if (k != index) otherRise = std::max(otherRise, double(after[k] - before[k]));
            qInfo("cell %s: its logit %+.3f, the largest rise of another class %+.3f",
                  qPrintable(label), rise, otherRise);
            QVERIFY2(rise > 0.2 && rise > 2 * otherRise, qPrintable(label));
        }

        // A search shows its matches; a click draws that class, named in the history.
        QTest::keyClicks(explorer->classGrid()->searchField(), "shark");
        QTest::keyClick(explorer->classGrid()->searchField(), Qt::Key_Return);
        QCOMPARE(view->count(), 2);
        QListWidgetItem* item = view->item(1);
        QCOMPARE(item->text(), QString("tiger shark"));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {},
                          view->visualItemRect(item).center());
        const DreamParams p = window.document()->params();
        QCOMPARE(p.mode, std::string("class"));
        QCOMPARE(p.classes.size(), size_t(1));
        QCOMPARE(p.classes[0].name, std::string("tiger shark"));
        QCOMPARE(window.panel()->classPicker()->chosenTable()->rowCount(), 1);
        QVERIFY(window.panel()->classPicker()->chosenTable()->item(0, 0)->text().startsWith(
            "tiger shark"));
        QUndoStack* undo = window.document()->undoStack();
        QCOMPARE(undo->text(undo->index() - 1), QString("Draw class: tiger shark"));

        // Without a head the page says why.
        DreamParams tiny = smallParams();
        tiny.model = "tiny";
        tiny.layers = {{"conv2d_1", 1.0, {}}};
        window.document()->applyParams(tiny);
        QTRY_VERIFY(view->isHidden());
        QVERIFY(explorer->classGrid()->findChild<QLabel*>()->text().contains(
            "Tiny has no classifier head"));
    }

private:
    QTemporaryDir settings_;
    QTemporaryDir models_;
};

INCEPTIONIST_GUI_TEST_MAIN(WindowClassesTest)
#include "test_window_classes.moc"
