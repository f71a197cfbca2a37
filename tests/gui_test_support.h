#pragma once
// Helpers for the tests that drive the window.

#include <memory>

#include <QApplication>
#include <QTest>

#include "core/params/dream_params.h"
#include "ui/widgets/main_window.h"

namespace inceptionist::test {

// Points QSettings at `dir`, so a test never reads or changes a person's own settings.
void isolateSettings(const QString& dir);

// Pixel equality of two images, whatever their formats (QImage's == of a shared image compares
// it with itself: pass independent copies to compare pixels).
bool samePixels(const QImage& a, const QImage& b);

// A window on the build's models, live mode off, with `params` and the sample photo open.
std::unique_ptr<ui::MainWindow> sampleWindow(const DreamParams& params);

}  // namespace inceptionist::test

// main() for a test of the window: the application, with the resources of the ui library.
#define INCEPTIONIST_GUI_TEST_MAIN(TestClass)   \
    int main(int argc, char** argv) {           \
        Q_INIT_RESOURCE(resources);             \
        QApplication app(argc, argv);           \
        TestClass test;                         \
        return QTest::qExec(&test, argc, argv); \
    }
