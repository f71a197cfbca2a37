// Starts reading the model a command will load before libtorch's initialisers run, so the two
// overlap on two cores (core/model/model_read_ahead.h): a whole `inceptionist-cli dream` reaches
// its first step about 0.2 s sooner. An entry of .preinit_array runs after the libraries are
// loaded and before any of their initialisers, so this guesses the model from the command line
// without Qt: the model named by --model (inception_v3 by default) in --models-dir (or where
// modelsDirectory looks). A guess the command does not load (another model, a preset naming
// one) costs only a read on the other core; the command reads its model as before.

#include <cstring>
#include <string>
#include <utility>

#include "core/engine/memory_reuse.h"
#include "core/model/model_read_ahead.h"
#include "core/model/model_store.h"

namespace {

void readModelAhead(int argc, char** argv, char** env) {
    if (argc < 2) return;
    const std::string command = argv[1];
    if (command != "dream" && command != "animate" && command != "video" && command != "sheet")
        return;
    std::string model = "inception_v3", modelsDir;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--") break;
        // A model file or a preset may name another model: no guessing then.
        if (a.rfind("--model-file", 0) == 0 || a.rfind("--preset", 0) == 0) return;
        const std::pair<const char*, std::string*> valued[] = {{"--model", &model},
                                                               {"--models-dir", &modelsDir}};
        for (const auto& [option, into] : valued) {
            const std::string withValue = std::string(option) + "=";
            if (a == option && i + 1 < argc)
                *into = argv[++i];
            else if (a.rfind(withValue, 0) == 0)
                *into = a.substr(withValue.size());
        }
    }
    // $INCEPTIONIST_MODELS from the environment given to the program: getenv() may not see it
    // yet this early.
    constexpr char kModelsVariable[] = "INCEPTIONIST_MODELS=";
    for (char** e = env; modelsDir.empty() && e != nullptr && *e != nullptr; ++e)
        if (std::strncmp(*e, kModelsVariable, sizeof kModelsVariable - 1) == 0)
            modelsDir = *e + sizeof kModelsVariable - 1;
    try {
        const auto file = inceptionist::modelsDirectory(modelsDir) / model / "model.json";
        if (!std::filesystem::is_regular_file(file)) return;
        // Decoding and transposing the weights frees and allocates some 90 MB at a time: kept
        // for reuse, they page-fault once instead of three times (as Network::load would set).
        inceptionist::keepFreedMemoryForReuse();
        inceptionist::startModelReadAhead(file);
    } catch (...) {  // a guess that fails is no guess: the command reads its model itself
    }
}

__attribute__((section(".preinit_array"),
               used)) void (*const readModelAheadEntry)(int, char**, char**) = &readModelAhead;

}  // namespace
