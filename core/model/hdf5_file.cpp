#include "core/model/hdf5_file.h"

#include <hdf5.h>

#include <mutex>

#include "core/params/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

std::recursive_mutex& libraryLock() {
    static std::recursive_mutex lock;
    return lock;
}

// Closes a libhdf5 handle with the function that fits its kind when it goes out of scope.
class Handle {
public:
    Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
    ~Handle() {
        if (id_ >= 0) close_(id_);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    hid_t get() const { return id_; }
    bool valid() const { return id_ >= 0; }

private:
    hid_t id_;
    herr_t (*close_)(hid_t);
};

// Largest dataset read, in values: a tampered shape must not make us allocate without bound.
constexpr uint64_t kMaxDatasetValues = uint64_t(1) << 31;

}  // namespace

Hdf5File::Hdf5File(const fs::path& file) : path_(file) {
    std::lock_guard lock(libraryLock());
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);  // errors become exceptions here, not prints
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) fail("model file not found");
    if (H5Fis_hdf5(file.c_str()) <= 0) fail("not an HDF5 file (or damaged at its start)");
    file_ = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file_ < 0) fail("cannot read the HDF5 file: it is truncated or damaged");
}

Hdf5File::~Hdf5File() {
    std::lock_guard lock(libraryLock());
    if (file_ >= 0) H5Fclose(file_);
}

void Hdf5File::fail(const std::string& what) const {
    throw Error(ErrorKind::Model, path_.string() + ": " + what);
}

bool Hdf5File::hasGroup(const std::string& group) const {
    std::lock_guard lock(libraryLock());
    if (group != "/" && H5Lexists(file_, group.c_str(), H5P_DEFAULT) <= 0) return false;
    Handle opened(H5Gopen2(file_, group.c_str(), H5P_DEFAULT), H5Gclose);  // fails for datasets
    return opened.valid();
}

bool Hdf5File::hasAttribute(const std::string& group, const std::string& name) const {
    std::lock_guard lock(libraryLock());
    return H5Aexists_by_name(file_, group.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

namespace {

// The strings of attribute `attr` (a scalar or a one-dimensional array of fixed- or
// variable-length strings, or an empty array of any type); false where it holds something else
// or cannot be read.
bool readStrings(hid_t attr, std::vector<std::string>& out) {
    Handle type(H5Aget_type(attr), H5Tclose);
    Handle space(H5Aget_space(attr), H5Sclose);
    if (!type.valid() || !space.valid()) return false;
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > 1) return false;
    const hssize_t count = H5Sget_simple_extent_npoints(space.get());
    if (count < 0) return false;
    // Keras writes an empty list as numpy makes it, an empty float64 array.
    if (count == 0) return true;
    if (H5Tget_class(type.get()) != H5T_STRING) return false;
    const htri_t variable = H5Tis_variable_str(type.get());
    if (variable < 0) return false;
    Handle memType(H5Tcopy(H5T_C_S1), H5Tclose);
    if (variable) {
        H5Tset_size(memType.get(), H5T_VARIABLE);
        std::vector<char*> values(static_cast<size_t>(count), nullptr);
        if (H5Aread(attr, memType.get(), values.data()) < 0) return false;
        for (char* v : values) out.emplace_back(v ? v : "");
        H5Dvlen_reclaim(memType.get(), space.get(), H5P_DEFAULT, values.data());
        return true;
    }
    const size_t width = H5Tget_size(type.get());
    if (width == 0) return false;
    H5Tset_size(memType.get(), width);
    // Null-padded as numpy writes them: a string as long as the field has no terminator, and a
    // null-terminated memory type would drop its last character.
    H5Tset_strpad(memType.get(), H5T_STR_NULLPAD);
    std::vector<char> buffer(width * static_cast<size_t>(count));
    if (H5Aread(attr, memType.get(), buffer.data()) < 0) return false;
    for (hssize_t i = 0; i < count; ++i) {
        const char* v = buffer.data() + width * static_cast<size_t>(i);
        size_t length = 0;
        while (length < width && v[length] != '\0') ++length;  // null-padded, or full width
        out.emplace_back(v, length);
    }
    return true;
}

}  // namespace

std::optional<std::string> Hdf5File::stringAttribute(const std::string& group,
                                                     const std::string& name) const {
    std::lock_guard lock(libraryLock());
    if (!hasAttribute(group, name)) return std::nullopt;
    Handle attr(H5Aopen_by_name(file_, group.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    std::vector<std::string> values;
    if (!attr.valid() || !readStrings(attr.get(), values) || values.size() != 1)
        fail("attribute '" + name + "' of '" + group + "' is not a string");
    return values.front();
}

std::optional<std::vector<std::string>> Hdf5File::stringListAttribute(
    const std::string& group, const std::string& name) const {
    std::lock_guard lock(libraryLock());
    auto readList = [&](const std::string& attrName, std::vector<std::string>& out) {
        Handle attr(
            H5Aopen_by_name(file_, group.c_str(), attrName.c_str(), H5P_DEFAULT, H5P_DEFAULT),
            H5Aclose);
        if (!attr.valid() || !readStrings(attr.get(), out))
            fail("attribute '" + attrName + "' of '" + group + "' is not a list of strings");
    };
    std::vector<std::string> values;
    if (hasAttribute(group, name)) {
        readList(name, values);
        return values;
    }
    int chunk = 0;
    for (; hasAttribute(group, name + std::to_string(chunk)); ++chunk)
        readList(name + std::to_string(chunk), values);
    if (chunk == 0) return std::nullopt;
    return values;
}

std::vector<int64_t> Hdf5File::datasetShape(const std::string& dataset) const {
    std::lock_guard lock(libraryLock());
    if (H5Lexists(file_, dataset.c_str(), H5P_DEFAULT) <= 0)
        fail("dataset '" + dataset + "' is missing");
    Handle set(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (!set.valid()) fail("'" + dataset + "' is not a readable dataset");
    Handle space(H5Dget_space(set.get()), H5Sclose);
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0 || rank > 8) fail("dataset '" + dataset + "' has an unreadable shape");
    std::vector<hsize_t> dims(static_cast<size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return std::vector<int64_t>(dims.begin(), dims.end());
}

FloatTensor Hdf5File::readFloats(const std::string& dataset) const {
    std::lock_guard lock(libraryLock());
    FloatTensor t;
    t.shape = datasetShape(dataset);
    uint64_t count = 1;
    for (auto d : t.shape) {
        count *= static_cast<uint64_t>(d);
        if (count > kMaxDatasetValues) fail("dataset '" + dataset + "' is implausibly large");
    }
    Handle set(H5Dopen2(file_, dataset.c_str(), H5P_DEFAULT), H5Dclose);
    Handle type(H5Dget_type(set.get()), H5Tclose);
    if (!type.valid() || H5Tget_class(type.get()) != H5T_FLOAT)
        fail("dataset '" + dataset + "' does not hold floating-point values");
    t.values.resize(count);
    if (count > 0 &&
        H5Dread(set.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.values.data()) < 0)
        fail("cannot read dataset '" + dataset + "': the file is truncated or damaged");
    return t;
}

}  // namespace inceptionist
