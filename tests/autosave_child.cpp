// Helper of test_autosave: the window in a process of its own. It opens the sample photo,
// dreams, moves the seed to 99, keeps the dream, and once the autosaved session on disk holds
// both, writes the kept image to OUT and prints "saved"; then it waits to be killed.
//   autosave_child SETTINGS_DIR OUT

#include <cstdio>

#include <QFile>

#include <nlohmann/json.hpp>

#include "core/io/image_io.h"
#include "tests/gui_test_support.h"
#include "ui/model/document.h"
#include "ui/model/dream_controller.h"
#include "ui/model/image_convert.h"
#include "ui/model/session_autosave.h"

using namespace inceptionist;

int main(int argc, char** argv) {
    Q_INIT_RESOURCE(resources);
    QApplication app(argc, argv);
    if (argc != 3) return 1;
    test::isolateSettings(QString::fromLocal8Bit(argv[1]));
    const std::string out = argv[2];
    DreamParams p;
    p.layers = {{"mixed3", 1.0, {}}};
    p.octaves = 1;
    p.steps = 2;
    p.workingSize = 96;
    auto window = test::sampleWindow(p);
    window->show();
    ui::MainWindow* w = window.get();
    QObject::connect(w->controller(), &ui::DreamController::dreamFinished, w, [w] {
        DreamParams moved = w->document()->params();
        moved.seed = 99;
        w->document()->editParams(moved, ui::ParamField::Everything);
        w->keepDream();
    });
    QObject::connect(w->autosave(), &ui::SessionAutosave::saved, w, [w, out](const QString& file) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) return;
        const auto session = nlohmann::json::parse(f.readAll().toStdString(), nullptr, false);
        const auto& dream = session["dream"];
        if (!dream.contains("chain") || dream["seed"] != 99) return;  // an earlier save
        WriteOptions deep;
        deep.bitDepth = 16;
        writeImage(out, ui::toMat(w->document()->image()), deep);
        std::printf("saved\n");
        std::fflush(stdout);
    });
    w->startDream();
    return app.exec();
}
