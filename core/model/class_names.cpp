#include "core/model/class_names.h"

#include <algorithm>
#include <cctype>
#include <sstream>

#include "core/params/errors.h"

namespace inceptionist {

// Generated from resources/imagenet-classes.txt (core/CMakeLists.txt): one name per line.
extern const char* const kImagenetClassesText;

namespace {

// Lower case, with underscores as spaces: how names are compared.
std::string folded(const std::string& s) {
    std::string r = s;
    for (char& c : r)
        c = c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

}  // namespace

const std::vector<std::string>& imagenetClassNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> list;
        std::istringstream in(kImagenetClassesText);
        for (std::string line; std::getline(in, line);)
            if (!line.empty()) list.push_back(line);
        return list;
    }();
    return names;
}

std::vector<std::string> classNamesFor(const ModelManifest& manifest, int count) {
    if (static_cast<int>(manifest.classes.size()) == count) return manifest.classes;
    if (count == static_cast<int>(imagenetClassNames().size())) return imagenetClassNames();
    return {};
}

int classIndex(const std::vector<std::string>& names, int count, const std::string& spec) {
    const bool numeric = !spec.empty() && std::all_of(spec.begin(), spec.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
    });
    if (numeric) {
        const long index = spec.size() > 9 ? -1 : std::stol(spec);
        if (index < 0 || index >= count)
            throw Error(ErrorKind::Parameter, "class " + spec + " does not exist: the model has " +
                                                  std::to_string(count) + " classes, 0 to " +
                                                  std::to_string(count - 1));
        return static_cast<int>(index);
    }
    const std::string wanted = folded(spec);
    for (size_t i = 0; i < names.size(); ++i)
        if (folded(names[i]) == wanted) return static_cast<int>(i);
    if (names.empty())
        throw Error(ErrorKind::Parameter,
                    "class '" + spec + "': the model's " + std::to_string(count) +
                        " classes have no names (its manifest names none, and ImageNet's names "
                        "fit 1000 classes); give an index from 0 to " +
                        std::to_string(count - 1));
    std::string close;
    int shown = 0;
    for (const auto& n : names)
        if (folded(n).find(wanted) != std::string::npos && shown++ < 8)
            close += (close.empty() ? "" : ", ") + n;
    throw Error(ErrorKind::Parameter,
                "the model has no class '" + spec + "'" +
                    (close.empty() ? std::string() : " (did you mean: " + close + "?)"));
}

}  // namespace inceptionist
