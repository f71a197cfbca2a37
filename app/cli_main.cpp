// inceptionist-cli: DeepDream from the command line.

#include <csignal>
#include <cstdio>

#include <QCoreApplication>

#include "app/cli_commands.h"
#include "app/exit_codes.h"
#include "core/model/model_read_ahead.h"
#include "core/params/errors.h"

namespace {

const char kUsage[] =
    "Usage: inceptionist-cli <command> [options]\n"
    "\n"
    "Commands:\n"
    "  dream IN OUT     dream an image and write the result (PNG, JPEG or TIFF)\n"
    "  inspect IMAGE    a layer's shape and its strongest channels for an image\n"
    "  models           the installed models, their layers and channel counts\n"
    "  models add FILE  add an ONNX or Keras model file to your models (models remove NAME)\n"
    "  sheet IN OUT     a contact sheet of small dreams, one per layer, channel, seed or strength\n"
    "  style CONTENT OUT --style IMG   paint a photo in the manner of a painting\n"
    "  animate IN OUT   a zoom journey: each frame dreamed from the last, zoomed a little\n"
    "  video IN OUT     dream every frame of a video, flowing with the motion, sound kept\n"
    "\n"
    "Run 'inceptionist-cli <command> --help' for a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
    // The model read ahead during the libraries' loading (cli_read_ahead.cpp) may be turned into
    // a graph now, while the command parses its options and reads its image.
    inceptionist::modelReadAheadMayUseLibraries();
    // A command that ends before it takes that model (bad options, another model) waits for the
    // reading thread as main returns: at exit, statics it uses may already be destroyed.
    struct FinishReadAhead {
        ~FinishReadAhead() { inceptionist::finishModelReadAhead(); }
    } finishReadAhead;
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("inceptionist-cli");
    QCoreApplication::setApplicationVersion(INCEPTIONIST_VERSION);
    QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
        std::fputs(kUsage, args.size() < 2 ? stderr : stdout);
        return args.size() < 2 ? inceptionist::cli::kUsage : inceptionist::cli::kOk;
    }
    if (args[1] == "--version") {
        std::printf("inceptionist-cli %s\n", INCEPTIONIST_VERSION);
        return 0;
    }
    const QString command = args.takeAt(1);
    // The commands report the project's errors themselves; anything else (out of memory, an
    // OpenCV or libtorch error) still ends in one line and an exit code, not in terminate.
    try {
        if (command == "dream") return inceptionist::cli::dreamCommand(args);
        if (command == "inspect") return inceptionist::cli::inspectCommand(args);
        if (command == "models") return inceptionist::cli::modelsCommand(args);
        if (command == "sheet") return inceptionist::cli::sheetCommand(args);
        if (command == "style") return inceptionist::cli::styleCommand(args);
        if (command == "animate") return inceptionist::cli::animateCommand(args);
        if (command == "video") return inceptionist::cli::videoCommand(args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "inceptionist-cli: error: %s\n",
                     inceptionist::describeFailure(e).c_str());
        return inceptionist::cli::kFailure;
    }
    std::fprintf(stderr, "inceptionist-cli: unknown command '%s'\n\n%s", qPrintable(command),
                 kUsage);
    return inceptionist::cli::kUsage;
}
