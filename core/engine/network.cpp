#include "core/engine/network_impl.h"

#include <omp.h>

#include <array>
#include <map>
#include <thread>

#include "core/engine/compile_passes.h"
#include "core/engine/compiler.h"
#include "core/engine/thread_policy.h"
#include "core/model/importer.h"
#include "core/params/errors.h"

namespace inceptionist {
namespace fs = std::filesystem;

namespace {

torch::Tensor activate(const torch::Tensor& x, ActivationKind a) {
    switch (a) {
        case ActivationKind::Linear:
            return x;
        case ActivationKind::Relu:
            return torch::relu(x);
        case ActivationKind::Relu6:
            return torch::hardtanh(x, 0.0, 6.0);  // clamp's gradient is far slower
        case ActivationKind::Sigmoid:
            return torch::sigmoid(x);
        case ActivationKind::Tanh:
            return torch::tanh(x);
        case ActivationKind::Softmax:
            return torch::softmax(x, 1);
        case ActivationKind::Swish:
            return x * torch::sigmoid(x);
    }
    return x;
}

struct Pads {
    Padding h, w;
    bool symmetric() const { return h.before == h.after && w.before == w.after; }
};

Pads windowPads(const Window2D& win, int64_t h, int64_t w) {
    const auto [ph, pw] = win.padsFor(h, w);
    return {ph, pw};
}

torch::Tensor padTensor(const torch::Tensor& x, const Pads& p, double value) {
    return torch::constant_pad_nd(x, {p.w.before, p.w.after, p.h.before, p.h.after}, value);
}

// Applies min(max(x, 0), reluCap) in place where reluCap > 0 (infinity: a plain ReLU).
torch::Tensor applyRelu(torch::Tensor& y, double reluCap) {
    if (reluCap <= 0) return y;
    return std::isinf(reluCap) ? y.relu_() : torch::hardtanh_(y, 0.0, reluCap);
}

// The gradient `g` of a ReLU's output carried to its input, knowing only the output `y`.
torch::Tensor reluGradient(const torch::Tensor& g, const torch::Tensor& y, double reluCap) {
    if (reluCap <= 0) return g;
    return std::isinf(reluCap) ? torch::threshold_backward(g, y, 0)
                               : torch::hardtanh_backward(g, y, 0.0, reluCap);
}

// y = conv(x) through `conv`, one image of the batch at a time, NHWC.
torch::Tensor oneDnnForward(const torch::Tensor& x, const OneDnnConv& conv, double reluCap) {
    const auto in = x.contiguous(torch::MemoryFormat::ChannelsLast);
    const ConvGeometry& g = conv.geometry();
    const int h = static_cast<int>(x.size(2)), w = static_cast<int>(x.size(3));
    // Shape inference catches a miswired model before it runs; this keeps the kernel from reading
    // past the image should anything get here regardless.
    if (x.size(1) != g.in)
        throw std::invalid_argument("the layer reads " + std::to_string(g.in) +
                                    " channels but the input has " + std::to_string(x.size(1)));
    auto y = torch::empty({x.size(0), g.out, g.outH(h), g.outW(w)},
                          x.options().memory_format(torch::MemoryFormat::ChannelsLast));
    for (int64_t n = 0; n < x.size(0); ++n)
        conv.forward(in[n].data_ptr<float>(), h, w, y[n].data_ptr<float>(), reluCap);
    return y;
}

// The input gradient (h×w) of `conv` for the output gradient `dy`.
torch::Tensor oneDnnInputGradient(const torch::Tensor& dy, const OneDnnConv& conv, int64_t h,
                                  int64_t w) {
    const auto g = dy.contiguous(torch::MemoryFormat::ChannelsLast);
    auto dx = torch::empty({g.size(0), conv.geometry().in, h, w},
                           g.options().memory_format(torch::MemoryFormat::ChannelsLast));
    for (int64_t n = 0; n < g.size(0); ++n)
        conv.inputGradient(g[n].data_ptr<float>(), static_cast<int>(h), static_cast<int>(w),
                           dx[n].data_ptr<float>());
    return dx;
}

// Several 1×1 convolutions of one input as one: the outputs are channel slices of a single
// convolution, and their gradients meet again in one. As for OneDnnConvolution below, the
// network owns `conv` and outlives the autograd graphs built from it.
struct MergedPointwise : torch::autograd::Function<MergedPointwise> {
    static torch::autograd::variable_list forward(torch::autograd::AutogradContext* ctx,
                                                  const torch::Tensor& x, const OneDnnConv* conv,
                                                  std::vector<int64_t> channels, double reluCap) {
        auto y = oneDnnForward(x, *conv, reluCap);
        ctx->save_for_backward({y});
        ctx->saved_data["conv"] = reinterpret_cast<int64_t>(conv);
        ctx->saved_data["reluCap"] = reluCap;
        ctx->saved_data["channels"] = channels;
        return y.split_with_sizes(channels, 1);
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto* conv = reinterpret_cast<const OneDnnConv*>(ctx->saved_data["conv"].toInt());
        const auto y = ctx->get_saved_variables()[0];
        const auto channels = ctx->saved_data["channels"].toIntVector();
        std::vector<torch::Tensor> parts;
        for (size_t k = 0; k < grads.size(); ++k) {
            if (grads[k].defined()) {
                parts.push_back(grads[k]);
                continue;
            }
            auto sizes = y.sizes().vec();  // a slice nobody read contributes zeros
            sizes[1] = channels[k];
            parts.push_back(torch::zeros(sizes, y.options()));
        }
        auto g = reluGradient(torch::cat(parts, 1), y, ctx->saved_data["reluCap"].toDouble());
        return {oneDnnInputGradient(g, *conv, y.size(2), y.size(3)), torch::Tensor(),
                torch::Tensor(), torch::Tensor()};
    }
};

// An ungrouped convolution (and the ReLU after it) through oneDNN directly, forward and for the
// input gradient; see onednn_conv.h. The weights are constants, so no weight gradient is formed.
// The network owns `conv` and outlives the autograd graphs built from it.
struct OneDnnConvolution : torch::autograd::Function<OneDnnConvolution> {
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                                 const OneDnnConv* conv, double reluCap) {
        auto y = oneDnnForward(x, *conv, reluCap);
        if (reluCap > 0) ctx->save_for_backward({y});
        ctx->saved_data["conv"] = reinterpret_cast<int64_t>(conv);
        ctx->saved_data["reluCap"] = reluCap;
        ctx->saved_data["h"] = x.size(2);
        ctx->saved_data["w"] = x.size(3);
        return y;
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto* conv = reinterpret_cast<const OneDnnConv*>(ctx->saved_data["conv"].toInt());
        const double cap = ctx->saved_data["reluCap"].toDouble();
        auto g = grads[0];
        if (cap > 0) g = reluGradient(g, ctx->get_saved_variables()[0], cap);
        return {oneDnnInputGradient(g, *conv, ctx->saved_data["h"].toInt(),
                                    ctx->saved_data["w"].toInt()),
                torch::Tensor(), torch::Tensor()};
    }
};

// `reluCap` > 0: follow the convolution by a ReLU with that cap, in place. `fast`, where given,
// runs the same convolution through oneDNN directly on the CPU.
torch::Tensor conv(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                   const Window2D& win, int64_t groups, double reluCap,
                   const OneDnnConv* fast = nullptr) {
    if (fast && x.is_cpu() && x.scalar_type() == torch::kFloat32)
        return OneDnnConvolution::apply(x, fast, reluCap);
    Pads p = windowPads(win, x.size(2), x.size(3));
    torch::Tensor in = x;
    std::vector<int64_t> padding{0, 0};
    if (p.symmetric())
        padding = {p.h.before, p.w.before};
    else
        in = padTensor(x, p, 0.0);
    torch::Tensor y;
    if (in.is_cpu()) {
        // libtorch would send small forward passes to its reference kernels.
        y = torch::mkldnn_convolution(in, weight, bias, padding, {win.sh, win.sw}, {win.dh, win.dw},
                                      groups);
    } else {
        y = torch::conv2d(in, weight, bias, {win.sh, win.sw}, padding, {win.dh, win.dw}, groups);
    }
    applyRelu(y, reluCap);
    return y;
}

// Pooling through oneDNN's kernels (see onednn_pool.h) on the CPU; the network owns `pool` and
// outlives the autograd graphs built from it.
struct OneDnnPooling : torch::autograd::Function<OneDnnPooling> {
    static std::vector<int64_t> pack(const PoolGeometry& g) {
        return {g.channels, g.h,      g.w,         g.kh,      g.kw,      g.sh,
                g.sw,       g.padTop, g.padBottom, g.padLeft, g.padRight};
    }
    static PoolGeometry unpack(const std::vector<int64_t>& v) {
        std::array<int, 11> i{};
        std::copy(v.begin(), v.end(), i.begin());
        return {i[0], i[1], i[2], i[3], i[4], i[5], i[6], i[7], i[8], i[9], i[10]};
    }
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x,
                                 const OneDnnPool* pool, const PoolGeometry& g) {
        const auto in = x.contiguous(torch::MemoryFormat::ChannelsLast);
        auto y = torch::empty({x.size(0), g.channels, g.outH(), g.outW()},
                              x.options().memory_format(torch::MemoryFormat::ChannelsLast));
        const auto bytes = static_cast<int64_t>(pool->workspaceBytes(g));
        auto workspace = torch::empty({x.size(0), bytes}, x.options().dtype(torch::kUInt8));
        for (int64_t n = 0; n < x.size(0); ++n)
            pool->forward(g, in[n].data_ptr<float>(), y[n].data_ptr<float>(),
                          bytes ? workspace[n].data_ptr() : nullptr);
        ctx->save_for_backward({workspace});
        ctx->saved_data["pool"] = reinterpret_cast<int64_t>(pool);
        ctx->saved_data["geometry"] = pack(g);
        return y;
    }
    static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::tensor_list grads) {
        const auto* pool = reinterpret_cast<const OneDnnPool*>(ctx->saved_data["pool"].toInt());
        const PoolGeometry g = unpack(ctx->saved_data["geometry"].toIntVector());
        const auto workspace = ctx->get_saved_variables()[0];
        const auto dy = grads[0].contiguous(torch::MemoryFormat::ChannelsLast);
        auto dx = torch::empty({dy.size(0), g.channels, g.h, g.w},
                               dy.options().memory_format(torch::MemoryFormat::ChannelsLast));
        for (int64_t n = 0; n < dy.size(0); ++n)
            pool->backward(g, dy[n].data_ptr<float>(), dx[n].data_ptr<float>(),
                           workspace.size(1) ? workspace[n].data_ptr() : nullptr);
        return {dx, torch::Tensor(), torch::Tensor()};
    }
};

// ONNX's count_include_pad: the explicit pads count in each window's divisor, the pixels ceil
// mode adds after them do not (as libtorch and ONNX Runtime count them).
torch::Tensor averageCountingPads(const torch::Tensor& x, const Window2D& win) {
    const Pads p = windowPads(win, x.size(2), x.size(3));
    Window2D explicitOnly = win;
    explicitOnly.ceilMode = false;
    const Pads e = windowPads(explicitOnly, x.size(2), x.size(3));
    const Pads extra{{0, p.h.after - e.h.after}, {0, p.w.after - e.w.after}};
    const std::vector<int64_t> k{win.kh, win.kw}, s{win.sh, win.sw};
    auto counted = padTensor(torch::ones({1, 1, x.size(2), x.size(3)}, x.options()), e, 1.0);
    return torch::avg_pool2d(padTensor(x, p, 0.0), k, s) /
           torch::avg_pool2d(padTensor(counted, extra, 0.0), k, s);
}

// Normalises each value by the squares of its neighbouring channels (LayerNode's LRN fields).
torch::Tensor localResponseNorm(const torch::Tensor& x, const LayerNode& n) {
    const int64_t before = (n.lrnSize - 1) / 2, after = n.lrnSize - 1 - before;
    // The channel window as a 3-D pooling over a channel axis made a depth axis.
    auto squares = torch::constant_pad_nd(x.square().unsqueeze(1), {0, 0, 0, 0, before, after});
    auto sums = torch::avg_pool3d(squares, {n.lrnSize, 1, 1}, {1, 1, 1}).squeeze(1);
    return x / (sums * static_cast<double>(n.lrnAlpha) + static_cast<double>(n.lrnBias))
                   .pow(static_cast<double>(n.lrnBeta));
}

// `fast`, where given, runs the pooling through oneDNN on the CPU.
torch::Tensor pool(const torch::Tensor& x, const Window2D& win, bool average,
                   const OneDnnPool* fast) {
    const Pads p = windowPads(win, x.size(2), x.size(3));
    if (fast && x.is_cpu() && x.scalar_type() == torch::kFloat32) {
        PoolGeometry g;
        g.channels = static_cast<int>(x.size(1));
        g.h = static_cast<int>(x.size(2));
        g.w = static_cast<int>(x.size(3));
        g.kh = win.kh;
        g.kw = win.kw;
        g.sh = win.sh;
        g.sw = win.sw;
        g.padTop = p.h.before;
        g.padBottom = p.h.after;
        g.padLeft = p.w.before;
        g.padRight = p.w.after;
        return OneDnnPooling::apply(x, fast, g);
    }
    const std::vector<int64_t> k{win.kh, win.kw}, s{win.sh, win.sw};
    if (!average) {
        // Max pooling pads with -inf, which libtorch does itself when the padding is symmetric.
        if (p.symmetric() && p.h.before <= win.kh / 2 && p.w.before <= win.kw / 2)
            return torch::max_pool2d(x, k, s, {p.h.before, p.w.before});
        return torch::max_pool2d(padTensor(x, p, -std::numeric_limits<double>::infinity()), k, s);
    }
    // Keras averages over the real pixels only, never the padding. libtorch's own kernel for
    // that gives wrong gradients on CUDA (the forward pass is right), so elsewhere than on the
    // CPU the average is a padded sum divided by the count of real pixels.
    if (x.is_cpu() && p.symmetric() && p.h.before <= win.kh / 2 && p.w.before <= win.kw / 2)
        return torch::avg_pool2d(x, k, s, {p.h.before, p.w.before}, false,
                                 /*count_include_pad=*/false);
    auto ones = torch::ones({1, 1, x.size(2), x.size(3)}, x.options());
    return torch::avg_pool2d(padTensor(x, p, 0.0), k, s) /
           torch::avg_pool2d(padTensor(ones, p, 0.0), k, s);
}

// The calling thread's OpenMP thread count, which libtorch's and oneDNN's CPU kernels use.
// Through OpenMP itself: at::set_num_threads also creates libtorch's pthreadpool (for XNNPACK
// and NNPACK, which the engine does not use), whose new workers and the thread waiting for them
// spin for tens of milliseconds, a tenth of the start-up on two cores.
void setThreadCount(int threads) { omp_set_num_threads(threads); }

}  // namespace

void applyThreadPolicy() {
    auto& policy = ThreadPolicy::instance();
    const int threads = policy.threadsForNextWork();
    // at::get_num_threads() first: libtorch sets a thread's OpenMP count from its own default the
    // first time the thread asks, which would otherwise undo this thread's count later.
    if (at::get_num_threads() != threads) setThreadCount(threads);
    policy.noteApplied(at::get_num_threads());
}

void useAllCores() { applyThreadPolicy(); }

NominalThreadCount::NominalThreadCount() : saved_(at::get_num_threads()) {
    const int nominal = ThreadPolicy::instance().nominalThreads();
    if (saved_ != nominal) setThreadCount(nominal);
}

NominalThreadCount::~NominalThreadCount() {
    if (at::get_num_threads() != saved_) setThreadCount(saved_);
}

torch::Tensor imageToTensor(const cv::Mat& rgb, const torch::Device& device) {
    CV_Assert(rgb.type() == CV_32FC3);
    if (!rgb.isContinuous()) return imageToTensor(rgb.clone(), device).clone();
    auto view = torch::from_blob(rgb.data, {1, rgb.rows, rgb.cols, 3}, torch::kFloat32)
                    .permute({0, 3, 1, 2});
    return device.is_cpu() ? view : view.to(device);
}

cv::Mat tensorToImage(const torch::Tensor& t) {
    cv::Mat out(static_cast<int>(t.size(2)), static_cast<int>(t.size(3)), CV_32FC3);
    auto view = torch::from_blob(out.data, {1, out.rows, out.cols, 3}, torch::kFloat32)
                    .permute({0, 3, 1, 2});
    view.copy_(t.detach());  // one copy, from any layout or device
    return out;
}

torch::Tensor Network::Impl::preprocess(const torch::Tensor& x) const {
    switch (manifest.preprocessing) {
        case Preprocessing::MinusOneToOne:
            return x * 2.0 - 1.0;
        case Preprocessing::Unit:
            return x;
        case Preprocessing::Torch: {
            auto mean = torch::tensor({0.485f, 0.456f, 0.406f}, x.options()).view({1, 3, 1, 1});
            auto stdev = torch::tensor({0.229f, 0.224f, 0.225f}, x.options()).view({1, 3, 1, 1});
            return (x - mean) / stdev;
        }
        case Preprocessing::Caffe: {
            auto mean =
                torch::tensor({103.939f, 116.779f, 123.68f}, x.options()).view({1, 3, 1, 1});
            return x.flip({1}) * 255.0 - mean;
        }
    }
    return x;
}

Network::ThreadGuard::ThreadGuard(const Network& network) : network_(network) {
    auto& d = *network.impl_;
    std::thread::id none{};
    const auto me = std::this_thread::get_id();
    if (!d.user.compare_exchange_strong(none, me) && none != me)
        throw std::logic_error(d.graph.source().string() +
                               ": the network is already running on another thread");
    ++d.userDepth;
    ThreadPolicy::instance().enterCompute();
}

Network::ThreadGuard::~ThreadGuard() {
    auto& d = *network_.impl_;
    if (--d.userDepth == 0) d.user.store(std::thread::id{});
    ThreadPolicy::instance().leaveCompute();
}

std::vector<torch::Tensor> Network::Impl::forward(const torch::Tensor& input,
                                                  const std::vector<int>& outputs) const {
    // Every piece of work (a tile) takes the thread count the machine's load allows now.
    applyThreadPolicy();
    const auto& nodes = graph.nodes();
    const std::vector<int> order = graph.requiredNodes(outputs);
    // The layers' weights are prepared on their first run; `forward` changes nothing else.
    passes::prepareLayers(const_cast<Impl&>(*this), order);
    std::vector<char> isOutput(nodes.size(), 0);
    for (int o : outputs) isOutput[o] = 1;
    // How many pending consumers each activation has, so it can be released after its last use.
    std::vector<int> uses(nodes.size(), 0);
    for (int i : order)
        for (int in : nodes[i].inputs) ++uses[in];

    std::vector<torch::Tensor> values(nodes.size());
    std::vector<char> reluDone(nodes.size(), 0);
    std::vector<char> needed(nodes.size(), 0);
    for (int i : order) needed[i] = 1;
    // A sibling group runs merged only when every member is needed and none is looked at on its
    // own (its raw convolution, or its output before the ReLU).
    std::vector<char> mergedGroup(siblings.size(), 0);
    std::vector<char> groupDone(siblings.size(), 0);
    if (input.is_cpu() && !referenceKernels) {
        for (size_t g = 0; g < siblings.size(); ++g) {
            bool ok = siblings[g].fast != nullptr;
            for (int m : siblings[g].members) {
                const int src = compiled[m].foldedFrom;
                ok = ok && needed[m] && !isOutput[m] && !(src >= 0 && isOutput[src]);
            }
            mergedGroup[g] = ok;
        }
    }
    for (int i : order) {
        const LayerNode& n = nodes[i];
        const CompiledNode& c = compiled[i];
        const bool skipFoldedConv = c.foldedInto >= 0 && !isOutput[i];
        if (skipFoldedConv) continue;  // its batch norm runs the folded convolution instead
        if (c.siblingGroup >= 0 && mergedGroup[c.siblingGroup]) {
            const SiblingGroup& group = siblings[c.siblingGroup];
            if (!groupDone[c.siblingGroup]) {
                groupDone[c.siblingGroup] = 1;
                auto outs = MergedPointwise::apply(values[group.input], group.fast.get(),
                                                   group.channels, group.reluCap);
                for (size_t k = 0; k < group.members.size(); ++k) {
                    values[group.members[k]] = outs[k];
                    reluDone[group.members[k]] = group.reluCap > 0;
                }
            }
            // Release inputs as the member would have.
            std::vector<int> reads = n.inputs;
            if (c.foldedFrom >= 0) reads.push_back(group.input);
            for (int in : reads)
                if (--uses[in] == 0 && !isOutput[in]) values[in] = torch::Tensor();
            continue;
        }
        const bool fused = c.reluReader >= 0 && !isOutput[i];
        const double fuseRelu = fused ? c.reluCap : 0.0;
        reluDone[i] = fused;
        try {
            auto in = [&](size_t k = 0) -> const torch::Tensor& { return values[n.inputs[k]]; };
            torch::Tensor y;
            switch (n.op) {
                case OpType::Input:
                    y = input;
                    break;
                case OpType::Conv2D:
                    y = conv(in(), c.weight, c.bias, n.window, n.groups, fuseRelu,
                             referenceKernels ? nullptr : c.fast.get());
                    break;
                case OpType::DepthwiseConv2D:
                    y = conv(in(), c.weight, c.bias, n.window, in().size(1), fuseRelu);
                    break;
                case OpType::SeparableConv2D: {
                    auto d = conv(in(), c.weight, {}, n.window, in().size(1), 0.0);
                    y = conv(d, c.pointwise, c.bias, Window2D{}, 1, fuseRelu);
                    break;
                }
                case OpType::BatchNorm: {
                    const int src = c.foldedFrom;
                    if (src >= 0 && !values[src].defined()) {
                        const LayerNode& sn = nodes[src];
                        const CompiledNode& sc = compiled[src];
                        const torch::Tensor& x = values[sn.inputs[0]];
                        if (sn.op == OpType::SeparableConv2D) {
                            auto d = conv(x, sc.weight, {}, sn.window, x.size(1), 0.0);
                            y = conv(d, sc.foldedWeight, sc.foldedBias, Window2D{}, 1, fuseRelu);
                        } else {
                            const int64_t groups =
                                sn.op == OpType::DepthwiseConv2D ? x.size(1) : sn.groups;
                            y = conv(x, sc.foldedWeight, sc.foldedBias, sn.window, groups, fuseRelu,
                                     referenceKernels ? nullptr : sc.foldedFast.get());
                        }
                        if (--uses[sn.inputs[0]] == 0 && !isOutput[sn.inputs[0]])
                            values[sn.inputs[0]] = torch::Tensor();
                    } else {
                        const auto shape = in().dim() == 4 ? std::vector<int64_t>{1, -1, 1, 1}
                                                           : std::vector<int64_t>{1, -1};
                        y = in() * c.bnScale.view(shape) + c.bnShift.view(shape);
                        applyRelu(y, fuseRelu);
                    }
                    break;
                }
                case OpType::Activation:
                    y = reluDone[n.inputs[0]] ? in() : activate(in(), n.activation);
                    break;
                case OpType::ReLU: {
                    const auto& x = in();
                    if (reluDone[n.inputs[0]]) {
                        y = x;
                        break;
                    }
                    if (n.reluSlope == 0.f && n.reluThreshold == 0.f) {
                        y = std::isinf(n.reluMax) ? torch::relu(x)
                                                  : torch::hardtanh(x, 0.0, n.reluMax);
                    } else {
                        y = torch::where(x >= n.reluThreshold, x,
                                         (x - n.reluThreshold) * n.reluSlope);
                        if (!std::isinf(n.reluMax)) y = torch::clamp_max(y, n.reluMax);
                    }
                    break;
                }
                case OpType::ZeroPadding2D:
                    y = torch::constant_pad_nd(in(), {n.padLeft, n.padRight, n.padTop, n.padBottom},
                                               0.0);
                    break;
                case OpType::MaxPool2D:
                case OpType::AvgPool2D: {
                    const bool average = n.op == OpType::AvgPool2D;
                    const OneDnnPool* fast = average ? avgPool.get() : maxPool.get();
                    if (average && n.countIncludePad)
                        y = averageCountingPads(in(), n.window);
                    else
                        y = pool(in(), n.window, average, referenceKernels ? nullptr : fast);
                    break;
                }
                case OpType::GlobalAvgPool2D:
                    y = in().mean({2, 3});
                    break;
                case OpType::Concatenate: {
                    std::vector<torch::Tensor> parts;
                    for (size_t k = 0; k < n.inputs.size(); ++k) parts.push_back(in(k));
                    y = torch::cat(parts, 1);
                    break;
                }
                case OpType::Add:
                case OpType::Multiply:
                    y = in(0);
                    for (size_t k = 1; k < n.inputs.size(); ++k)
                        y = n.op == OpType::Add ? y + in(k) : y * in(k);
                    break;
                case OpType::Flatten:
                    if (in().dim() != 4)
                        y = in();
                    else if (n.flattenOrder == LayerNode::FlattenOrder::NHWC)  // Keras
                        y = in().permute({0, 2, 3, 1}).reshape({in().size(0), -1});
                    else
                        y = in().contiguous().reshape({in().size(0), -1});
                    break;
                case OpType::Dense: {
                    const auto& x = in();
                    const bool spatial = x.dim() == 4;
                    auto flat = spatial ? x.permute({0, 2, 3, 1}) : x;
                    y = torch::matmul(flat, c.weight);
                    if (c.bias.defined()) y = y + c.bias;
                    if (spatial) y = y.permute({0, 3, 1, 2});
                    break;
                }
                case OpType::Dropout:
                    y = in();
                    break;
                case OpType::LRN:
                    y = localResponseNorm(in(), n);
                    break;
                case OpType::Clip:
                    y = torch::hardtanh(in(), n.clipMin, n.clipMax);
                    break;
            }
            values[i] = y;
        } catch (const c10::Error& e) {
            std::string what = e.what_without_backtrace();
            throw Error(ErrorKind::Model, graph.source().string() + ": layer '" + n.displayName() +
                                              "' failed: " + what.substr(0, what.find('\n')));
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {  // from the oneDNN kernels
            throw Error(ErrorKind::Model, graph.source().string() + ": layer '" + n.displayName() +
                                              "' failed: " + e.what());
        }
        for (int in : n.inputs)
            if (--uses[in] == 0 && !isOutput[in]) values[in] = torch::Tensor();
    }
    std::vector<torch::Tensor> result;
    for (int o : outputs) result.push_back(values[o]);
    return result;
}

Network::Network() : impl_(std::make_unique<Impl>()) {}
Network::~Network() = default;

const ModelGraph& Network::graph() const { return impl_->graph; }
const ModelManifest& Network::manifest() const { return impl_->manifest; }
std::string Network::device() const { return impl_->device.str(); }

std::shared_ptr<Network> Network::load(const fs::path& dir, const std::string& device,
                                       const CancelToken* cancel) {
    const fs::path file = findModelFile(dir);
    if (file.empty())
        throw Error(ErrorKind::Model, (fs::is_directory(dir) ? dir / "model.json" : dir).string() +
                                          ": model file not found");
    CompileOptions options;
    options.cancel = cancel;
    ModelManifest manifest = readModelManifest(file.parent_path());
    ModelGraph graph = importModel(file, cancel);
    // What the manifest says of the offered layers' training, on their nodes.
    for (const auto& layer : manifest.layers)
        if (const int node = graph.find(layer.name); node >= 0)
            graph.setTraining(node, layer.imagenet ? "pretrained on ImageNet"
                                                   : "fine-tuned after ImageNet training");
    return compile(std::move(graph), std::move(manifest), device, options);
}

std::vector<FloatTensor> Network::activations(const cv::Mat& rgb,
                                              const std::vector<std::string>& layers) const {
    const ThreadGuard exclusive(*this);
    torch::NoGradGuard noGrad;
    std::vector<int> nodes;
    for (const auto& l : layers) nodes.push_back(impl_->graph.require(l));
    impl_->graph.inferShapes(nodes, rgb.rows, rgb.cols);  // a clear error for a too-small image
    auto x = impl_->preprocess(imageToTensor(rgb, impl_->device))
                 .contiguous(torch::MemoryFormat::ChannelsLast);
    std::vector<FloatTensor> result;
    for (auto& act : impl_->forward(x, nodes)) {
        auto keras =
            (act.dim() == 4 ? act.permute({0, 2, 3, 1}) : act).to(torch::kCPU).contiguous();
        FloatTensor t;
        t.shape.assign(keras.sizes().begin(), keras.sizes().end());
        t.values.assign(keras.data_ptr<float>(), keras.data_ptr<float>() + keras.numel());
        result.push_back(std::move(t));
    }
    return result;
}

void Network::setReferenceKernels(bool on) { impl_->referenceKernels = on; }

std::vector<float> Network::channelMeans(const cv::Mat& rgb, const std::string& layer) const {
    const FloatTensor act = activations(rgb, {layer})[0];
    const size_t channels = static_cast<size_t>(act.shape.back());
    std::vector<double> sums(channels, 0.0);
    for (size_t i = 0; i < act.values.size(); ++i) sums[i % channels] += act.values[i];
    const double positions = static_cast<double>(act.values.size() / channels);
    std::vector<float> means(channels);
    for (size_t c = 0; c < channels; ++c) means[c] = static_cast<float>(sums[c] / positions);
    return means;
}

double Network::forwardFlops(const std::vector<std::string>& layers, int h, int w) const {
    // Walks the shapes rather than running the network.
    std::vector<int> outputs;
    for (const auto& l : layers) outputs.push_back(impl_->graph.require(l));
    const auto shapes = impl_->graph.inferShapes(outputs, h, w);
    double flops = 0;
    const auto& nodes = impl_->graph.nodes();
    for (const auto& [i, s] : shapes) {
        const LayerNode& n = nodes[i];
        const auto& in = shapes.at(n.inputs.empty() ? i : n.inputs[0]);
        const double outPixels = static_cast<double>(s.h) * s.w;
        switch (n.op) {
            case OpType::Conv2D:
                flops += 2.0 * outPixels * s.c * in.c / n.groups * n.window.kh * n.window.kw;
                break;
            case OpType::DepthwiseConv2D:
                flops += 2.0 * outPixels * s.c * n.window.kh * n.window.kw;
                break;
            case OpType::SeparableConv2D:
                flops +=
                    2.0 * outPixels * in.c * n.depthMultiplier * (n.window.kh * n.window.kw + s.c);
                break;
            case OpType::Dense:
                flops += 2.0 * outPixels * s.c * in.c;
                break;
            default:
                break;
        }
    }
    return flops;
}

}  // namespace inceptionist
