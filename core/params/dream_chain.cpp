#include "core/params/dream_chain.h"

#include "core/params/errors.h"

namespace inceptionist {

using nlohmann::json;

json DreamChain::toJson() const {
    json j = last.toJson();
    if (!kept.empty()) {
        json steps = json::array();
        for (const auto& k : kept) steps.push_back(k.toJson());
        j[kKey] = std::move(steps);
    }
    return j;
}

DreamChain DreamChain::fromJson(const json& j, std::vector<std::string>* warnings) {
    if (!j.is_object()) throw Error(ErrorKind::Parameter, "dream parameters must be a JSON object");
    DreamChain chain;
    json own = j;
    if (own.contains(kKey)) {
        const json steps = own[kKey];
        own.erase(kKey);
        if (!steps.is_array())
            throw Error(ErrorKind::Parameter, std::string("'") + kKey + "' must be an array");
        for (size_t i = 0; i < steps.size(); ++i) {
            std::vector<std::string> found;
            try {
                chain.kept.push_back(DreamParams::fromJson(steps[i], &found));
            } catch (const Error& e) {
                throw Error(e.kind(),
                            "kept dream " + std::to_string(i + 1) + " of the chain: " + e.what());
            }
            if (warnings)
                for (const auto& w : found)
                    warnings->push_back("kept dream " + std::to_string(i + 1) + ": " + w);
        }
    }
    chain.last = DreamParams::fromJson(own, warnings);
    return chain;
}

}  // namespace inceptionist
