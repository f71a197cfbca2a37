#include "core/engine/compile_passes.h"

#include <cmath>
#include <map>

#include "core/params/errors.h"

namespace inceptionist::passes {

namespace {

torch::Tensor toTensor(const FloatTensor& t) {
    return torch::from_blob(const_cast<float*>(t.values.data()), t.shape, torch::kFloat32).clone();
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
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (cancel && cancel->cancelled())
            throw Error(ErrorKind::Cancelled, "loading the model was cancelled");
        const LayerNode& n = nodes[i];
        CompiledNode& c = d.compiled[i];
        auto bias = [&] { return n.useBias ? toTensor(n.weights.at("bias")) : torch::Tensor(); };
        switch (n.op) {
            case OpType::Conv2D:
            case OpType::DepthwiseConv2D:
                c.weight = toTensor(n.weights.at("weight"));
                c.bias = bias();
                break;
            case OpType::SeparableConv2D:
                c.weight = toTensor(n.weights.at("depthwise"));
                c.pointwise = toTensor(n.weights.at("pointwise"));
                c.bias = bias();
                break;
            case OpType::Dense:  // [in, units], as the matrix product reads it
                c.weight = toTensor(n.weights.at("weight")).t().contiguous();
                c.bias = bias();
                break;
            case OpType::BatchNorm: {
                auto mean = toTensor(n.weights.at("mean"));
                auto var = toTensor(n.weights.at("variance"));
                auto gamma = n.scale ? toTensor(n.weights.at("gamma")) : torch::ones_like(mean);
                auto beta = n.center ? toTensor(n.weights.at("beta")) : torch::zeros_like(mean);
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
        sc.foldedWeight = w * c.bnScale.view({-1, 1, 1, 1});
        sc.foldedBias =
            (sc.bias.defined() ? sc.bias * c.bnScale : torch::zeros_like(c.bnScale)) + c.bnShift;
        sc.foldedInto = static_cast<int>(i);
        c.foldedFrom = src;
    }
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
            const torch::Tensor& w =
                c.foldedFrom >= 0 ? d.compiled[c.foldedFrom].foldedWeight : c.weight;
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
    for (auto& group : d.siblings) {
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
    const auto& nodes = d.graph.nodes();
    for (size_t i = 0; i < nodes.size(); ++i) {
        if (nodes[i].op != OpType::Conv2D || nodes[i].groups != 1) continue;  // oneDNN: ungrouped
        // A folded convolution runs unfolded only when its raw output is asked for: rarely
        // enough for libtorch's kernels.
        auto& c = d.compiled[i];
        if (c.foldedWeight.defined())
            c.foldedFast = fastConv(d, c.foldedWeight, c.foldedBias, nodes[i].window);
        else
            c.fast = fastConv(d, c.weight, c.bias, nodes[i].window);
    }
}

void deviceLayout(Network::Impl& d, bool channelsLast) {
    // oneDNN runs convolutions fastest on channels-last (NHWC) tensors here.
    for (auto& c : d.compiled) {
        for (torch::Tensor* t : {&c.weight, &c.pointwise, &c.foldedWeight}) {
            if (!t->defined()) continue;
            if (channelsLast && t->dim() == 4)
                *t = t->contiguous(torch::MemoryFormat::ChannelsLast);
            *t = t->to(d.device);
        }
        for (torch::Tensor* t : {&c.bias, &c.foldedBias, &c.bnScale, &c.bnShift})
            if (t->defined()) *t = t->to(d.device);
    }
}

}  // namespace inceptionist::passes
