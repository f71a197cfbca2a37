#include "core/engine/compile_passes.h"

#include <cmath>
#include <map>

#include "core/params/errors.h"

namespace inceptionist::passes {

namespace {

// A weight of the graph as a tensor that takes over its values instead of copying them: the
// default model's 88 MB of weights are not written to fresh memory once more at load.
torch::Tensor takeTensor(ModelGraph& graph, int node, const std::string& name) {
    const std::vector<int64_t> shape = graph.nodes()[node].weights.at(name).shape;
    auto* values = new std::vector<float>(graph.takeWeightValues(node, name));
    return torch::from_blob(
        values->data(), shape, [values](void*) { delete values; }, torch::kFloat32);
}

std::vector<int> consumerCounts(const ModelGraph& graph) {
    std::vector<int> consumers(graph.nodes().size(), 0);
    for (const auto& n : graph.nodes())
        for (int in : n.inputs) ++consumers[in];
    return consumers;
}

bool isConvolution(const LayerNode& n) {
    return n.op == OpType::Conv2D || n.op == OpType::DepthwiseConv2D ||
           n.op == OpType::SeparableConv2D;
}

// An ungrouped convolution through oneDNN directly, on the CPU, where its padding does not
// depend on the input size (stride 1, or no padding); nullptr elsewhere.
std::shared_ptr<OneDnnConv> fastConv(const Network::Impl& net, const torch::Tensor& weight,
                                     const torch::Tensor& bias, const Window2D& w) {
    if (!net.device.is_cpu() || w.dh != 1 || w.dw != 1 || !w.fixedPads()) return nullptr;
    const auto k = weight.contiguous();
    const auto b = bias.defined() ? bias.contiguous() : torch::Tensor();
    ConvGeometry g;
    g.out = static_cast<int>(k.size(0));
    g.in = static_cast<int>(k.size(1));
    g.kh = static_cast<int>(k.size(2));
    g.kw = static_cast<int>(k.size(3));
    g.sh = w.sh;
    g.sw = w.sw;
    // Fixed pads: the same for any input size, so for one the size of the kernel.
    const auto [ph, pw] = w.padsFor(g.kh, g.kw);
    g.padTop = ph.before;
    g.padBottom = ph.after;
    g.padLeft = pw.before;
    g.padRight = pw.after;
    return OneDnnConv::create(g, k.data_ptr<float>(), b.defined() ? b.data_ptr<float>() : nullptr);
}

}  // namespace

void convertWeights(Network::Impl& d, const CancelToken* cancel) {
    const auto& nodes = d.graph.nodes();
    d.compiled.assign(nodes.size(), CompiledNode{});
    d.prepared.assign(nodes.size(), 0);
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (cancel && cancel->cancelled())
            throw Error(ErrorKind::Cancelled, "loading the model was cancelled");
        const LayerNode& n = nodes[i];
        CompiledNode& c = d.compiled[i];
        const int node = static_cast<int>(i);
        auto take = [&](const std::string& name) { return takeTensor(d.graph, node, name); };
        auto bias = [&] { return n.useBias ? take("bias") : torch::Tensor(); };
        switch (n.op) {
            case OpType::Conv2D:
            case OpType::DepthwiseConv2D:
                c.weight = take("weight");
                c.bias = bias();
                break;
            case OpType::SeparableConv2D:
                c.weight = take("depthwise");
                c.pointwise = take("pointwise");
                c.bias = bias();
                break;
            case OpType::Dense:  // [in, units], as the matrix product reads it
                c.weight = take("weight").t().contiguous();
                c.bias = bias();
                break;
            case OpType::BatchNorm: {
                auto mean = take("mean");
                auto var = take("variance");
                auto gamma = n.scale ? take("gamma") : torch::ones_like(mean);
                auto beta = n.center ? take("beta") : torch::zeros_like(mean);
                c.bnScale = gamma / torch::sqrt(var + n.epsilon);
                c.bnShift = beta - mean * c.bnScale;
                break;
            }
            default:
                break;
        }
    }
}

void foldBatchNorm(Network::Impl& d) {
    const auto& nodes = d.graph.nodes();
    const std::vector<int> consumers = consumerCounts(d.graph);
    for (size_t i = 0; i < nodes.size(); ++i) {
        const LayerNode& n = nodes[i];
        if (n.op != OpType::BatchNorm) continue;
        CompiledNode& c = d.compiled[i];
        // Fold into the convolution in front when nothing else reads that convolution.
        const int src = n.inputs[0];
        const LayerNode& sn = nodes[src];
        if (!isConvolution(sn) || sn.activation != ActivationKind::Linear || consumers[src] != 1)
            continue;
        CompiledNode& sc = d.compiled[src];
        const torch::Tensor& w = sn.op == OpType::SeparableConv2D ? sc.pointwise : sc.weight;
        if (w.size(0) != c.bnScale.size(0)) continue;  // mismatch surfaces when run unfolded
        // The folded weights themselves are computed when the layer is first run.
        sc.foldedInto = static_cast<int>(i);
        c.foldedFrom = src;
    }
    d.passFoldBatchNorm = true;
}

void fuseActivations(Network::Impl& d) {
    // Plain ReLUs that can run in place inside the convolution (or folded batch norm) in front.
    const auto& nodes = d.graph.nodes();
    const std::vector<int> consumers = consumerCounts(d.graph);
    for (size_t i = 0; i < nodes.size(); ++i) {
        const LayerNode& n = nodes[i];
        double cap = 0;
        if (n.op == OpType::Activation && n.activation == ActivationKind::Relu) cap = INFINITY;
        if (n.op == OpType::Activation && n.activation == ActivationKind::Relu6) cap = 6;
        if (n.op == OpType::ReLU && n.reluSlope == 0.f && n.reluThreshold == 0.f && n.reluMax > 0)
            cap = n.reluMax;
        if (cap <= 0) continue;
        const int src = n.inputs[0];
        const LayerNode& sn = nodes[src];
        const bool producesConv = (isConvolution(sn) && sn.activation == ActivationKind::Linear &&
                                   d.compiled[src].foldedInto < 0) ||
                                  sn.op == OpType::BatchNorm;
        if (producesConv && consumers[src] == 1) {
            d.compiled[src].reluReader = static_cast<int>(i);
            d.compiled[src].reluCap = cap;
        }
    }
}

void mergeSiblingConvolutions(Network::Impl& d) {
    if (!d.device.is_cpu()) return;  // the merged kernel is oneDNN's
    // Group 1×1 convolutions that read the same node and end in the same ReLU.
    const auto& nodes = d.graph.nodes();
    std::map<std::pair<int, double>, std::vector<int>> byInput;
    for (size_t i = 0; i < nodes.size(); ++i) {
        const CompiledNode& c = d.compiled[i];
        const int conv =
            c.foldedFrom >= 0 ? c.foldedFrom : (c.foldedInto < 0 ? static_cast<int>(i) : -1);
        if (conv < 0) continue;
        const LayerNode& cn = nodes[conv];
        const Window2D& w = cn.window;
        const auto [ph, pw] = w.padsFor(1, 1);
        if (cn.op != OpType::Conv2D || cn.groups != 1 || cn.activation != ActivationKind::Linear ||
            w.kh != 1 || w.kw != 1 || w.sh != 1 || w.sw != 1 || ph.before || ph.after ||
            pw.before || pw.after)
            continue;
        byInput[{cn.inputs[0], c.reluReader >= 0 ? c.reluCap : 0.0}].push_back(static_cast<int>(i));
    }
    for (const auto& [key, members] : byInput) {
        if (members.size() < 2) continue;
        SiblingGroup group;
        group.members = members;
        group.input = key.first;
        group.reluCap = key.second;
        for (int m : members) {
            const CompiledNode& c = d.compiled[m];
            // A folded weight has the channels of the convolution's own.
            const torch::Tensor& w = c.foldedFrom >= 0 ? d.compiled[c.foldedFrom].weight : c.weight;
            group.channels.push_back(w.size(0));
            d.compiled[m].siblingGroup = static_cast<int>(d.siblings.size());
        }
        d.siblings.push_back(std::move(group));
    }
}

void createKernels(Network::Impl& d) {
    if (!d.device.is_cpu()) return;
    d.maxPool = OneDnnPool::create(false);
    d.avgPool = OneDnnPool::create(true);
    d.passCreateKernels = true;  // each convolution's kernel is made when the layer is first run
}

void deviceLayout(Network::Impl& d, bool channelsLast) {
    d.passChannelsLast = channelsLast;  // applied to each layer's weights when it is first run
}

namespace {

// The batch norm folded into a convolution's weights (the fold batch norm pass's arithmetic).
void foldWeights(Network::Impl& d, int conv) {
    CompiledNode& sc = d.compiled[conv];
    const CompiledNode& c = d.compiled[sc.foldedInto];
    const bool separable = d.graph.nodes()[conv].op == OpType::SeparableConv2D;
    const torch::Tensor& w = separable ? sc.pointwise : sc.weight;
    sc.foldedWeight = w * c.bnScale.view({-1, 1, 1, 1});
    sc.foldedBias =
        (sc.bias.defined() ? sc.bias * c.bnScale : torch::zeros_like(c.bnScale)) + c.bnShift;
}

// A merged group's kernel from its members' (folded) weights.
void createGroupKernel(Network::Impl& d, SiblingGroup& group) {
    std::vector<torch::Tensor> weights, biases;
    for (int m : group.members) {
        const CompiledNode& c = d.compiled[m];
        const CompiledNode& conv = c.foldedFrom >= 0 ? d.compiled[c.foldedFrom] : c;
        const torch::Tensor& w = c.foldedFrom >= 0 ? conv.foldedWeight : conv.weight;
        const torch::Tensor& b = c.foldedFrom >= 0 ? conv.foldedBias : conv.bias;
        weights.push_back(w);
        biases.push_back(b.defined() ? b : torch::zeros({w.size(0)}));
    }
    group.fast = fastConv(d, torch::cat(weights, 0), torch::cat(biases, 0), Window2D{});
    if (!group.fast)  // without oneDNN the members run on their own
        for (int m : group.members) d.compiled[m].siblingGroup = -1;
}

// A convolution's own kernel. A folded convolution runs unfolded only when its raw output is
// asked for: rarely enough for libtorch's kernels.
void createKernel(Network::Impl& d, int i) {
    const LayerNode& n = d.graph.nodes()[i];
    if (n.op != OpType::Conv2D || n.groups != 1) return;  // oneDNN: ungrouped
    CompiledNode& c = d.compiled[i];
    if (c.foldedInto >= 0)
        c.foldedFast = fastConv(d, c.foldedWeight, c.foldedBias, n.window);
    else
        c.fast = fastConv(d, c.weight, c.bias, n.window);
}

void layOut(Network::Impl& d, CompiledNode& c) {
    // oneDNN runs convolutions fastest on channels-last (NHWC) tensors here.
    for (torch::Tensor* t : {&c.weight, &c.pointwise, &c.foldedWeight}) {
        if (!t->defined()) continue;
        if (d.passChannelsLast && t->dim() == 4)
            *t = t->contiguous(torch::MemoryFormat::ChannelsLast);
        *t = t->to(d.device);
    }
    for (torch::Tensor* t : {&c.bias, &c.foldedBias, &c.bnScale, &c.bnShift})
        if (t->defined()) *t = t->to(d.device);
}

}  // namespace

void prepareLayers(Network::Impl& d, const std::vector<int>& nodes) {
    std::lock_guard<std::mutex> lock(d.prepareMutex);
    if (d.groupPrepared.size() != d.siblings.size()) d.groupPrepared.assign(d.siblings.size(), 0);
    std::vector<int> todo;
    std::vector<int> groups;
    auto want = [&](int i) {
        if (i < 0 || d.prepared[i]) return;
        d.prepared[i] = 1;
        todo.push_back(i);
    };
    for (int i : nodes) {
        want(i);
        want(d.compiled[i].foldedFrom);  // a folded batch norm runs its convolution's weights
        const int g = d.compiled[i].siblingGroup;
        if (g >= 0 && !d.groupPrepared[g]) {
            d.groupPrepared[g] = 1;
            groups.push_back(g);
            for (int m : d.siblings[g].members) {
                want(m);
                want(d.compiled[m].foldedFrom);
            }
        }
    }
    if (todo.empty()) return;
    // Plain weights, whatever mode the run that needs them first is in (an inference-mode run's
    // tensors could not be used by a later run that takes gradients).
    c10::InferenceMode plainTensors(false);
    torch::NoGradGuard noGrad;
    // In the order the passes ran over the whole graph before: fold, kernels, layout; the layers
    // of each step shared among the cores (each layer's work is its own: the same weights for
    // any number of threads).
    auto eachLayer = [](const std::vector<int>& items, auto&& work) {
        at::parallel_for(0, static_cast<int64_t>(items.size()), 1, [&](int64_t from, int64_t to) {
            for (int64_t k = from; k < to; ++k) work(items[k]);
        });
    };
    if (d.passFoldBatchNorm)
        eachLayer(todo, [&](int i) {
            if (d.compiled[i].foldedInto >= 0) foldWeights(d, i);
        });
    if (d.passCreateKernels) {
        eachLayer(groups, [&](int g) { createGroupKernel(d, d.siblings[g]); });
        eachLayer(todo, [&](int i) { createKernel(d, i); });
    }
    eachLayer(todo, [&](int i) { layOut(d, d.compiled[i]); });
}

}  // namespace inceptionist::passes
