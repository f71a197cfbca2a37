#include "core/motion/frame_folder.h"

#include <cstdio>
#include <fstream>

#include "core/io/image_io.h"
#include "core/params/errors.h"

namespace inceptionist {

namespace fs = std::filesystem;

namespace {

constexpr const char* kJobFile = "job.json";

bool isFrameFile(const fs::path& p) {
    const std::string name = p.filename().string();
    return name.rfind("frame_", 0) == 0 && p.extension() == ".png";
}

}  // namespace

fs::path FrameFolder::folderFor(const std::string& output) {
    fs::path out(output);
    if (out.filename().empty()) out = out.parent_path();  // "clip/" names the folder "clip"
    return out.parent_path() / (out.filename().string() + ".frames");
}

FrameFolder::FrameFolder(const std::string& output, const nlohmann::json& job, bool resume)
    : folder_(folderFor(output)) {
    std::error_code ec;
    fs::create_directories(folder_, ec);
    if (ec || !fs::is_directory(folder_))
        throw Error(ErrorKind::Output, folder_.string() + ": cannot make the frames folder (" +
                                           (ec ? ec.message() : "not a folder") + ")");
    const fs::path jobPath = folder_ / kJobFile;
    bool keep = false;
    if (resume && fs::exists(jobPath)) {
        nlohmann::json saved;
        try {
            std::ifstream in(jobPath);
            saved = nlohmann::json::parse(in);
        } catch (const nlohmann::json::exception&) {
            throw Error(ErrorKind::Parameter,
                        jobPath.string() + ": unreadable; remove the folder to start over");
        }
        if (saved != job)
            throw Error(ErrorKind::Parameter,
                        folder_.string() +
                            ": its frames were made with other parameters or input; run without "
                            "--resume to start over");
        keep = true;
    }
    if (!keep) {
        for (const auto& entry : fs::directory_iterator(folder_, ec))
            if (isFrameFile(entry.path())) fs::remove(entry.path(), ec);
        std::vector<unsigned char> bytes;
        const std::string text = job.dump(2) + "\n";
        bytes.assign(text.begin(), text.end());
        writeFileAtomically(jobPath.string(), bytes);  // Error(Output) when not writable
    }
    while (fs::exists(framePath(finished_))) ++finished_;
}

fs::path FrameFolder::framePathIn(const fs::path& folder, size_t frame) {
    char name[32];
    std::snprintf(name, sizeof name, "frame_%06zu.png", frame);
    return folder / name;
}

void FrameFolder::write(size_t frame, const cv::Mat& rgb) {
    writeImage(framePath(frame).string(), rgb);
    if (frame == finished_) ++finished_;
}

cv::Mat FrameFolder::read(size_t frame) const { return readImage(framePath(frame).string()); }

void FrameFolder::removeAll() {
    std::error_code ec;
    fs::remove_all(folder_, ec);
}

}  // namespace inceptionist
