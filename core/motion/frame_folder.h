#pragma once
// Where the frames of a clip land while it renders: a folder beside the output (OUT.frames),
// one PNG per finished frame (each written atomically) and `job.json`, the parameters that made
// them. A stopped render continues from the frames there when the job is the same; the output
// file is assembled from them at the end.

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

namespace inceptionist {

class FrameFolder {
public:
    // The folder beside `output`. With `resume`, frames already there are kept when their
    // job.json equals `job` (Error(Parameter) naming the folder when it does not); without it
    // they are removed and the render starts over. Throws Error(Output) when the folder cannot
    // be made or written.
    FrameFolder(const std::string& output, const nlohmann::json& job, bool resume);

    static std::filesystem::path folderFor(const std::string& output);
    const std::filesystem::path& path() const { return folder_; }

    // Frames 0 … n-1 are all there (the first missing one stops the count).
    size_t finishedFrames() const { return finished_; }
    std::filesystem::path framePath(size_t frame) const { return framePathIn(folder_, frame); }
    // Where frame `frame` lands in `folder`, for readers that watch a render from outside.
    static std::filesystem::path framePathIn(const std::filesystem::path& folder, size_t frame);
    void write(size_t frame, const cv::Mat& rgb);  // CV_32FC3 RGB, 8-bit PNG
    cv::Mat read(size_t frame) const;              // Error(Input) when missing or corrupt
    void removeAll();                              // after the output is assembled

private:
    std::filesystem::path folder_;
    size_t finished_ = 0;
};

}  // namespace inceptionist
