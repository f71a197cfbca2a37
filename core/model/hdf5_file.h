#pragma once
// Reading an HDF5 file (the container of Keras .h5 models) through libhdf5's C API: string and
// string-list attributes, groups, float datasets. Only what the Keras importer needs, with every
// failure turned into Error(Model) naming the file and the object. libhdf5's own error printing
// is switched off; Debian's serial build is not thread-safe, so each handle takes one lock for
// the whole process while the library is in use (a model loads on one worker at a time anyway).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model/model_graph.h"

namespace inceptionist {

class Hdf5File {
public:
    // Opens `file` read-only. Throws Error(Model) naming it when it is missing, is not HDF5, or
    // is truncated (libhdf5 checks the stored end of file).
    explicit Hdf5File(const std::filesystem::path& file);
    ~Hdf5File();
    Hdf5File(const Hdf5File&) = delete;
    Hdf5File& operator=(const Hdf5File&) = delete;

    const std::filesystem::path& path() const { return path_; }

    // Whether the group at `group` ("/" for the root, "model_weights", "model_weights/conv2d_1")
    // exists and is a group.
    bool hasGroup(const std::string& group) const;
    // Whether the object at `group` carries the attribute `name`.
    bool hasAttribute(const std::string& group, const std::string& name) const;

    // A string attribute (fixed-length or variable-length), or nullopt where there is none.
    std::optional<std::string> stringAttribute(const std::string& group,
                                               const std::string& name) const;
    // A one-dimensional string-array attribute, as Keras writes `layer_names` and
    // `weight_names`; where the list was too long for one attribute Keras splits it into
    // `name0`, `name1`, …, which are joined here. nullopt where there is none.
    std::optional<std::vector<std::string>> stringListAttribute(const std::string& group,
                                                                const std::string& name) const;

    // The shape of the dataset at `dataset` (e.g. "model_weights/conv2d_1/conv2d_1/kernel:0").
    std::vector<int64_t> datasetShape(const std::string& dataset) const;
    // The dataset's values converted to float32 (libhdf5 converts from float16 and float64).
    FloatTensor readFloats(const std::string& dataset) const;

private:
    [[noreturn]] void fail(const std::string& what) const;

    std::filesystem::path path_;
    int64_t file_ = -1;  // hid_t
};

}  // namespace inceptionist
