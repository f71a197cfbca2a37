// Helper of test_autosave: the window in a process of its own. It opens the sample photo and
// dreams; moves the seed to 99 and keeps the dream; sets 3 steps and dreams again; keeps that
// dream and moves the seed to 5. Once the autosaved session on disk holds all of it, it writes
// both kept images and the undo stack as it stands (each step's text, the index) to OUT_DIR and
// prints "saved"; then it waits to be killed.
//   autosave_child SETTINGS_DIR OUT_DIR

#include <cstdio>

#include <QDir>
#include <QFile>
#include <QUndoStack>

#include <nlohmann/json.hpp>

#include "core/io/image_io.h"
#include "tests/gui_test_support.h"
#include "ui/model/document.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/session_autosave.h"

using namespace inceptionist;

namespace {

void writeDeep(const QString& file, const QImage& image) {
    WriteOptions deep;
    deep.bitDepth = 16;
    writeImage(file.toStdString(), ui::toMat(image), deep);
}

}  // namespace

int main(int argc, char** argv) {
    Q_INIT_RESOURCE(resources);
    QApplication app(argc, argv);
    if (argc != 3) return 1;
    test::isolateSettings(QString::fromLocal8Bit(argv[1]));
    const QDir out(QString::fromLocal8Bit(argv[2]));
    DreamParams p;
    p.layers = {{"mixed3", 1.0, {}}};
    p.octaves = 1;
    p.steps = 2;
    p.workingSize = 96;
    auto window = test::sampleWindow(p);
    window->show();
    ui::MainWindow* w = window.get();
    ui::Document* doc = w->document();
    auto finished = std::make_shared<int>(0);
    QObject::connect(w->controller(), &ui::DreamController::dreamFinished, w, [=] {
        DreamParams next = doc->params();
        if (++*finished == 1) {
            next.seed = 99;
            doc->editParams(next, ui::ParamField::Seed);
            w->keepDream();
            writeDeep(out.filePath("kept1.png"), doc->image());
            next.steps = 3;
            doc->editParams(next, ui::ParamField::Steps);
            w->startDream();
        } else if (*finished == 2) {
            w->keepDream();
            writeDeep(out.filePath("kept2.png"), doc->image());
            next.seed = 5;
            doc->editParams(next, ui::ParamField::Seed);
            w->autosave()->saveSoon();  // as the interval would, minutes later
        }
    });
    QObject::connect(w->autosave(), &ui::SessionAutosave::saved, w, [=](const QString& file) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) return;
        const auto session = nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
        const QUndoStack* stack = doc->undoStack();
        if (*finished < 2 || session["dream"]["seed"] != 5 ||
            session["history"]["steps"].size() != size_t(stack->count()))
            return;  // an earlier save
        nlohmann::json texts = nlohmann::json::array();
        for (int i = 0; i < stack->count(); ++i) texts.push_back(stack->text(i).toStdString());
        const std::string stackJson =
            nlohmann::json{{"texts", texts}, {"index", stack->index()}}.dump();
        writeFileAtomically(out.filePath("stack.json").toStdString(),
                            {stackJson.begin(), stackJson.end()});
        std::printf("saved\n");
        std::fflush(stdout);
    });
    w->startDream();
    return app.exec();
}
