// The parameter schema as presets, `--preset` files and embedded metadata carry it: any bytes
// as JSON through DreamChain::fromJson (and so DreamParams::fromJson). Whatever is accepted must
// validate and survive a round trip unchanged.

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/params/dream_chain.h"
#include "core/params/errors.h"

using namespace inceptionist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
    if (j.is_discarded()) return 0;
    try {
        std::vector<std::string> warnings;
        const DreamChain chain = DreamChain::fromJson(j, &warnings);
        chain.last.validate();
        for (const auto& k : chain.kept) k.validate();
        const DreamChain again = DreamChain::fromJson(chain.toJson());
        if (again.toJson() != chain.toJson()) __builtin_trap();  // a round trip changed it
    } catch (const Error&) {
    }
    return 0;
}
