#include "tests/gui_test_support.h"

#include <cstring>

#include <QImage>
#include <QSettings>

#include "tests/test_support.h"

namespace inceptionist::test {

bool samePixels(const QImage& a, const QImage& b) {
    const QImage x = a.convertToFormat(QImage::Format_RGBX64);
    const QImage y = b.convertToFormat(QImage::Format_RGBX64);
    if (x.size() != y.size() || x.isNull()) return false;
    for (int r = 0; r < x.height(); ++r)
        if (memcmp(x.constScanLine(r), y.constScanLine(r), size_t(x.width()) * 8) != 0)
            return false;
    return true;
}

void isolateSettings(const QString& dir) {
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir);
    qputenv("XDG_DATA_HOME", (dir + "/data").toLocal8Bit());  // presets, the autosaved session
    QCoreApplication::setOrganizationName("InceptionistTest");
    QCoreApplication::setApplicationName("InceptionistTest");
}

std::unique_ptr<ui::MainWindow> sampleWindow(const DreamParams& params) {
    auto window = std::make_unique<ui::MainWindow>(QString::fromStdString(modelsDir()));
    window->setLiveMode(false);
    window->document()->applyParams(params);
    if (!window->openFile(QString::fromStdString(sampleImage())))
        throw std::runtime_error("the sample photo did not open");
    return window;
}

}  // namespace inceptionist::test
