#pragma once
// Reading a TensorFlow.js model while the program is still starting. libtorch's own loading
// (its libraries' initialisers) takes about 0.3 s on one core before main() runs and needs none
// of the model; reading and decoding the model needs no libtorch. A read-ahead started before
// the libraries' initialisers (app/cli_read_ahead.cpp) does the second on the other core during
// the first; the importer then takes its result instead of reading the file again.

#include <filesystem>
#include <optional>

#include "core/model/model_graph.h"

namespace inceptionist {

// Starts reading `modelJson` on a thread of its own. Uses no static object that needs
// constructing, so it may be called before the program's and its libraries' initialisers
// (from a .preinit_array entry). At most one read-ahead is kept; a second call is ignored.
// The thread reads and decodes the weights at once; it turns them into a ModelGraph (which
// transposes them with OpenCV) once modelReadAheadMayUseLibraries has been called.
void startModelReadAhead(const std::filesystem::path& modelJson);

// Says that the libraries' initialisers have run (call it first thing in main). Also arranges
// for finishModelReadAhead to run at exit.
void modelReadAheadMayUseLibraries();

// Waits for a read-ahead nobody took and drops it, so no thread decodes while the program ends.
// Call it before main returns: at exit, statics the thread uses may already be gone.
void finishModelReadAhead();

// The graph imported ahead from `modelJson` (the same file), after waiting for it. Empty when no
// read-ahead of that file was started, or when it failed (the caller imports the file itself,
// for its error). A read-ahead is handed out once.
std::optional<ModelGraph> takeModelReadAhead(const std::filesystem::path& modelJson);

}  // namespace inceptionist
