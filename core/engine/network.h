#pragma once
// A loaded model ready to run: the layer graph compiled to libtorch operations on one device.
// libtorch stays behind the pimpl; engine files that need tensors include network_impl.h.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/model/model_graph.h"
#include "core/model/model_manifest.h"

namespace inceptionist {

class CancelToken;
struct CompileOptions;

class Network {
public:
    // Loads the model file in `dir` (`model.json` today; or a model file given directly) and
    // `dir/manifest.json` where present onto `device` ("cpu", "cuda", "cuda:N"). Throws
    // Error(Model) for a bad model, Error(Device) for a missing device. The same as importModel
    // (core/model/importer.h) then compile (core/engine/compiler.h).
    // `cancel`, where given, is checked between the compiler's passes and layers; a cancelled
    // load throws Error(Cancelled).
    static std::shared_ptr<Network> load(const std::filesystem::path& dir,
                                         const std::string& device = "cpu",
                                         const CancelToken* cancel = nullptr);
    ~Network();
    Network(const Network&) = delete;
    Network& operator=(const Network&) = delete;

    const ModelGraph& graph() const;
    const ModelManifest& manifest() const;
    std::string device() const;

    // Activations of `layers` for `rgb` (CV_32FC3, RGB, values in [0, 1]) at its own size, each
    // laid out as Keras lays it out: [1, H, W, C], or [1, C] for flat layers.
    std::vector<FloatTensor> activations(const cv::Mat& rgb,
                                         const std::vector<std::string>& layers) const;

    // With reference kernels the network computes gradients only through libtorch's own
    // operations, without the engine's faster fused and merged ones: slower, for checking them
    // (PreparedDream::gradient gives the dream objective's gradient).
    void setReferenceKernels(bool on);

    // Mean activation of each channel of `layer` for `rgb` (CV_32FC3, RGB, values in [0, 1]),
    // fed to the network at its own size.
    std::vector<float> channelMeans(const cv::Mat& rgb, const std::string& layer) const;

    // Convolution and dense-layer FLOPs of one forward pass to `layers` at h×w.
    double forwardFlops(const std::vector<std::string>& layers, int h, int w) const;

    // Claims the network for the calling thread while it lives. A Network keeps per-call state
    // in its kernels and must not run on two threads at once: a second thread that tries gets
    // std::logic_error at once instead of wrong pixels. The same thread may nest guards (a canvas
    // dream between the steps of a print). Every entry point that runs the network holds one.
    class ThreadGuard {
    public:
        explicit ThreadGuard(const Network& network);
        ~ThreadGuard();
        ThreadGuard(const ThreadGuard&) = delete;
        ThreadGuard& operator=(const ThreadGuard&) = delete;

    private:
        const Network& network_;
    };

    struct Impl;
    Impl& impl() const { return *impl_; }

private:
    friend std::shared_ptr<Network> compile(ModelGraph graph, ModelManifest manifest,
                                            const std::string& device,
                                            const CompileOptions& options);
    Network();
    std::unique_ptr<Impl> impl_;
};

// Sets the calling thread's thread count for libtorch, OpenMP and oneDNN by the engine's
// threading policy (core/engine/thread_policy.h). Network runs apply it themselves, per tile.
void applyThreadPolicy();
// Runs the calling thread at the policy's nominal thread count for its scope: for reductions whose
// rounding depends on how many threads share them (a gradient's norm), so a dream gives the same
// pixels whatever thread count the machine's load allowed its convolutions.
class NominalThreadCount {
public:
    NominalThreadCount();
    ~NominalThreadCount();
    NominalThreadCount(const NominalThreadCount&) = delete;
    NominalThreadCount& operator=(const NominalThreadCount&) = delete;

private:
    int saved_;
};

// The former name of applyThreadPolicy().
void useAllCores();

}  // namespace inceptionist
