#pragma once
// Private to the engine's libtorch translation units: the compiled network and the helpers that
// move images between OpenCV and tensors.

#include <atomic>
#include <mutex>
#include <thread>

#include <torch/torch.h>

#include <opencv2/core.hpp>

#include "core/engine/network.h"
#include "core/engine/onednn_conv.h"
#include "core/engine/onednn_pool.h"

namespace inceptionist {

// One layer turned into tensors. A convolution followed only by a batch normalisation has the
// normalisation folded into `foldedWeight`/`foldedBias`; the normalisation node then runs the
// folded convolution unless the convolution's own output was asked for.
struct CompiledNode {
    torch::Tensor weight, bias;  // conv: [out, in/groups, kh, kw]; dense: [in, units]
    // The convolution through oneDNN directly (with `foldedWeight` where it has one, else with
    // `weight`), on the CPU where its padding does not depend on the input size.
    std::shared_ptr<OneDnnConv> fast, foldedFast;
    torch::Tensor pointwise;  // separable conv: [out, in, 1, 1]
    torch::Tensor foldedWeight,
        foldedBias;                  // conv with its batch norm folded in (on the conv node)
    torch::Tensor bnScale, bnShift;  // batch norm as y = x * scale + shift
    int foldedInto = -1;             // conv: index of the batch norm that absorbed it
    // A convolution (or folded batch norm) whose only reader is a plain ReLU (max(x, 0), or
    // min(max(x, 0), cap)) applies it in place itself, unless its own output was asked for;
    // the ReLU node then passes its input through.
    int reluReader = -1;
    double reluCap = std::numeric_limits<double>::infinity();  // of the ReLU read by this node
    int foldedFrom = -1;    // batch norm: index of the convolution it absorbed
    int siblingGroup = -1;  // index into Network::Impl::siblings
};

// 1×1 convolutions that read the same input (the branches of an Inception block) run as one
// wider convolution: one call instead of several, forward and backward.
struct SiblingGroup {
    std::vector<int> members;  // producing nodes: the conv, or the batch norm it is folded into
    std::vector<int64_t> channels;     // output channels of each member
    int input = -1;                    // the node all members read
    std::shared_ptr<OneDnnConv> fast;  // all members' weights stacked
    double reluCap = 0;                // > 0: every member applies this ReLU in place
};

struct Network::Impl {
    ModelGraph graph;
    ModelManifest manifest;
    torch::Device device{torch::kCPU};
    std::vector<CompiledNode> compiled;
    std::vector<SiblingGroup> siblings;
    std::shared_ptr<OneDnnPool> maxPool, avgPool;  // CPU pooling kernels, shared by all layers
    bool referenceKernels = false;                 // see Network::setReferenceKernels
    std::atomic<std::thread::id> user{};           // the thread running it (ThreadGuard)
    std::atomic<int> userDepth{0};                 // that thread's nested guards

    // The weight work of the compiler's later passes (folding batch norms, oneDNN kernels, the
    // device layout) is done per layer when a run first needs the layer (compile_passes.h,
    // prepareLayers): a dream to mixed4 leaves most of InceptionV3 untouched.
    bool passFoldBatchNorm = false, passCreateKernels = false, passChannelsLast = false;
    std::mutex prepareMutex;
    std::vector<char> prepared;       // per node: its weights are ready
    std::vector<char> groupPrepared;  // per sibling group: its merged kernel is ready

    // Runs the layers needed for `outputs` on `input` (1×C×H×W, already preprocessed) and
    // returns their activations (NCHW, or N×C for flat layers).
    std::vector<torch::Tensor> forward(const torch::Tensor& input,
                                       const std::vector<int>& outputs) const;

    // RGB [0, 1] image tensor (1×3×H×W) to the model's input space.
    torch::Tensor preprocess(const torch::Tensor& rgb01) const;
};

// A CV_32FC3 RGB image (HWC) as a channels-last 1×3×H×W tensor on `device`. On the CPU the
// tensor shares the image's memory (unless the image is not continuous), so the image must
// outlive it and stay unchanged.
torch::Tensor imageToTensor(const cv::Mat& rgb, const torch::Device& device);
// 1×3×H×W tensor to a CV_32FC3 RGB image (a copy, on the CPU).
cv::Mat tensorToImage(const torch::Tensor& t);

}  // namespace inceptionist
