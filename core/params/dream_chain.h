#pragma once
// What made an image: the dreams kept on the way from the photo (oldest first), then the dream
// itself. Exports and prints embed it as the last dream's parameters with a `chain` array of
// the kept ones, so `inceptionist-cli dream PHOTO OUT --preset-from IMAGE` replays the whole
// chain. A file without `chain` is a single dream, as before; the rest of the object is the
// shared schema (core/params/dream_params.h).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/params/dream_params.h"

namespace inceptionist {

struct DreamChain {
    static constexpr const char* kKey = "chain";

    std::vector<DreamParams> kept;  // replayed in order before `last`
    DreamParams last;

    nlohmann::json toJson() const;
    // Throws Error(Parameter) naming the step of the chain that is malformed; warnings as
    // DreamParams::fromJson, each naming its step.
    static DreamChain fromJson(const nlohmann::json& j,
                               std::vector<std::string>* warnings = nullptr);
};

}  // namespace inceptionist
