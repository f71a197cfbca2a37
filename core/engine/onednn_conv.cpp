#include "core/engine/onednn_conv.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>
#include <vector>

#ifdef INCEPTIONIST_WITH_ONEDNN
#include <dnnl.hpp>
#endif

#include "core/engine/memory_reuse.h"

namespace inceptionist {

#ifdef INCEPTIONIST_WITH_ONEDNN

namespace {

using dnnl::memory;

constexpr size_t kMaxPlans = 256;
using Tag = memory::format_tag;
constexpr auto kF32 = memory::data_type::f32;

// Below this many channels on both sides, reordering to the blocked layout and back costs more
// than Winograd saves (measured on InceptionV3's 32-channel stem layers).
constexpr int kWinogradMinChannels = 64;

// Everything one call needs at one input size: the convolution, the weights in its layout, and
// for the blocked layout the reorders in and out.
struct Plan {
    dnnl::primitive conv;
    bool backwardData = false;  // a backward-data primitive rather than a forward one
    bool bias = false;          // the layer's forward pass; its gradient has none
    memory weights;
    memory::desc userIn, in, out, userOut, scratchpad;
    dnnl::reorder toBlocked, fromBlocked;  // where `in`/`out` differ from the user's NHWC
};

dnnl::primitive_attr attributes(double reluCap) {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    if (reluCap > 0) {
        dnnl::post_ops ops;
        if (std::isinf(reluCap))
            ops.append_eltwise(1.f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
        else
            ops.append_eltwise(1.f, dnnl::algorithm::eltwise_clip, 0.f,
                               static_cast<float>(reluCap));
        attr.set_post_ops(ops);
    }
    return attr;
}

}  // namespace

struct OneDnnConv::Impl {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    ConvGeometry g;
    bool winograd = false;
    memory weights;  // [out][in][kh][kw]
    std::vector<float> bias;

    // Plans by (h, w, kind, reluCap); kind 0 forward, 1 input gradient.
    mutable std::mutex mutex;
    mutable std::map<std::tuple<int, int, int, double>, std::shared_ptr<const Plan>> plans;
    // The weights (index 0) and the gradient's kernel (1) in each layout a plan has asked for:
    // plans for other input sizes mostly ask for the same layout, and share it.
    mutable std::vector<std::pair<memory::desc, memory>> packed[2];

    // `kernel` (0 or 1 as above) in `layout`, reordered on first use. Called with the mutex held.
    memory pack(int kernel, const memory::desc& layout) const {
        for (const auto& [desc, mem] : packed[kernel])
            if (desc == layout) return mem;
        memory source = kernel == 0 ? weights : flippedWeights();
        memory mem(layout, engine);
        dnnl::stream s(engine);
        dnnl::reorder(source, mem).execute(s, source, mem);
        s.wait();
        packed[kernel].emplace_back(layout, mem);
        return mem;
    }

    // [in][out][kh][kw], flipped in space: the kernel of the input gradient as a convolution.
    memory flippedWeights() const {
        memory flipped({{g.in, g.out, g.kh, g.kw}, kF32, Tag::oihw}, engine);
        const auto* w = static_cast<const float*>(weights.get_data_handle());
        auto* f = static_cast<float*>(flipped.get_data_handle());
        const size_t taps = static_cast<size_t>(g.kh) * g.kw;
        for (int o = 0; o < g.out; ++o)
            for (int i = 0; i < g.in; ++i)
                for (size_t t = 0; t < taps; ++t)
                    f[(static_cast<size_t>(i) * g.out + o) * taps + (taps - 1 - t)] =
                        w[(static_cast<size_t>(o) * g.in + i) * taps + t];
        return flipped;
    }

    memory::dims src(int h, int w) const { return {1, g.in, h, w}; }
    memory::dims dst(int h, int w) const { return {1, g.out, g.outH(h), g.outW(w)}; }
    memory::dims strides() const { return {g.sh, g.sw}; }
    memory::dims padL() const { return {g.padTop, g.padLeft}; }
    memory::dims padR() const { return {g.padBottom, g.padRight}; }
    Tag activationTag() const { return winograd ? Tag::any : Tag::nhwc; }
    dnnl::algorithm algorithm() const {
        return winograd ? dnnl::algorithm::convolution_winograd
                        : dnnl::algorithm::convolution_direct;
    }

    dnnl::convolution_forward::primitive_desc forwardDesc(int h, int w, double reluCap) const {
        const memory::desc s(src(h, w), kF32, activationTag()), d(dst(h, w), kF32, activationTag()),
            wei({g.out, g.in, g.kh, g.kw}, kF32, Tag::any), b({g.out}, kF32, Tag::x);
        dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_training, algorithm(), s, wei,
                                             b, d, strides(), padL(), padR());
        return {desc, attributes(reluCap), engine};
    }

    std::shared_ptr<const Plan> plan(int h, int w, int kind, double reluCap) const {
        const auto key = std::make_tuple(h, w, kind, reluCap);
        std::lock_guard<std::mutex> lock(mutex);
        auto found = plans.find(key);
        if (found != plans.end()) return found->second;
        auto p = std::make_shared<Plan>();
        const memory::desc userSrc(src(h, w), kF32, Tag::nhwc), userDst(dst(h, w), kF32, Tag::nhwc);
        if (kind == 0) {
            auto fwd = forwardDesc(h, w, reluCap);
            p->conv = dnnl::convolution_forward(fwd);
            p->bias = true;
            p->userIn = userSrc;
            p->in = fwd.src_desc();
            p->out = fwd.dst_desc();
            p->userOut = userDst;
            p->scratchpad = fwd.scratchpad_desc();
            p->weights = pack(0, fwd.weights_desc());
        } else if (winograd || g.sh != 1 || g.sw != 1) {
            const memory::desc s(src(h, w), kF32, activationTag()),
                d(dst(h, w), kF32, activationTag()), wei({g.out, g.in, g.kh, g.kw}, kF32, Tag::any);
            dnnl::convolution_backward_data::desc desc(algorithm(), s, wei, d, strides(), padL(),
                                                       padR());
            dnnl::convolution_backward_data::primitive_desc bwd(desc, attributes(0), engine,
                                                                forwardDesc(h, w, 0));
            p->conv = dnnl::convolution_backward_data(bwd);
            p->backwardData = true;
            p->userIn = userDst;
            p->in = bwd.diff_dst_desc();
            p->out = bwd.diff_src_desc();
            p->userOut = userSrc;
            p->scratchpad = bwd.scratchpad_desc();
            p->weights = pack(0, bwd.weights_desc());
        } else {
            // The "full" convolution of the output gradient with the flipped kernel.
            const memory::desc wei({g.in, g.out, g.kh, g.kw}, kF32, Tag::any);
            dnnl::convolution_forward::desc desc(
                dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, userDst,
                wei, userSrc, {1, 1}, {g.kh - 1 - g.padTop, g.kw - 1 - g.padLeft},
                {g.kh - 1 - g.padBottom, g.kw - 1 - g.padRight});
            dnnl::convolution_forward::primitive_desc fwd(desc, attributes(0), engine);
            p->conv = dnnl::convolution_forward(fwd);
            p->userIn = p->in = userDst;
            p->userOut = p->out = userSrc;
            p->scratchpad = fwd.scratchpad_desc();
            p->weights = pack(1, fwd.weights_desc());
        }
        if (p->in != p->userIn)
            p->toBlocked =
                dnnl::reorder(dnnl::reorder::primitive_desc(engine, p->userIn, engine, p->in));
        if (p->out != p->userOut)
            p->fromBlocked =
                dnnl::reorder(dnnl::reorder::primitive_desc(engine, p->out, engine, p->userOut));
        // Each photo size, octave and print tile size brings its own; a long session forgets
        // them now and then rather than growing (calls under way keep theirs).
        if (plans.size() >= kMaxPlans) plans.clear();
        plans.emplace(key, p);
        return p;
    }

    void run(const Plan& p, const float* input, float* output) const {
        dnnl::stream s(engine);
        memory userIn(p.userIn, engine, const_cast<float*>(input));
        memory userOut(p.userOut, engine, output);
        // The blocked copies and the scratchpad of a large layer can each be over the 32 MiB
        // glibc keeps for reuse; the thread's own buffers spare them a page fault per 4 KiB.
        memory in = userIn, out = userOut,
               scratchpad(p.scratchpad, engine, threadScratch(0, p.scratchpad.get_size()));
        if (p.in != p.userIn) {
            in = memory(p.in, engine, threadScratch(1, p.in.get_size()));
            p.toBlocked.execute(s, userIn, in);
        }
        if (p.out != p.userOut) out = memory(p.out, engine, threadScratch(2, p.out.get_size()));
        std::unordered_map<int, memory> args{{DNNL_ARG_WEIGHTS, p.weights},
                                             {DNNL_ARG_SCRATCHPAD, scratchpad}};
        args.emplace(p.backwardData ? DNNL_ARG_DIFF_DST : DNNL_ARG_SRC, in);
        args.emplace(p.backwardData ? DNNL_ARG_DIFF_SRC : DNNL_ARG_DST, out);
        if (p.bias)
            args.emplace(DNNL_ARG_BIAS,
                         memory({{g.out}, kF32, Tag::x}, engine, const_cast<float*>(bias.data())));
        p.conv.execute(s, args);
        if (p.out != p.userOut) p.fromBlocked.execute(s, out, userOut);
        s.wait();
    }
};

OneDnnConv::OneDnnConv(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OneDnnConv::~OneDnnConv() = default;

std::unique_ptr<OneDnnConv> OneDnnConv::create(const ConvGeometry& g, const float* weight,
                                               const float* bias) {
    auto d = std::make_unique<Impl>();
    d->g = g;
    d->bias.assign(static_cast<size_t>(g.out), 0.f);
    if (bias) d->bias.assign(bias, bias + g.out);
    d->weights = memory({{g.out, g.in, g.kh, g.kw}, kF32, Tag::oihw}, d->engine);
    std::copy(weight, weight + static_cast<size_t>(g.out) * g.in * g.kh * g.kw,
              static_cast<float*>(d->weights.get_data_handle()));
    const bool winogradShape = g.kh == 3 && g.kw == 3 && g.sh == 1 && g.sw == 1 &&
                               g.padTop == g.padBottom && g.padLeft == g.padRight &&
                               g.padTop <= 1 && g.padLeft <= 1 &&
                               std::max(g.in, g.out) >= kWinogradMinChannels;
    if (winogradShape) {
        d->winograd = true;
        try {
            // oneDNN answers here whether it has Winograd kernels for these channels on this CPU.
            d->forwardDesc(32, 32, 0.0);
        } catch (const dnnl::error&) {
            d->winograd = false;
        }
    }
    return std::unique_ptr<OneDnnConv>(new OneDnnConv(std::move(d)));
}

const ConvGeometry& OneDnnConv::geometry() const { return impl_->g; }
bool OneDnnConv::winograd() const { return impl_->winograd; }

void OneDnnConv::forward(const float* x, int h, int w, float* y, double reluCap) const {
    impl_->run(*impl_->plan(h, w, 0, reluCap), x, y);
}

void OneDnnConv::inputGradient(const float* dy, int h, int w, float* dx) const {
    impl_->run(*impl_->plan(h, w, 1, 0.0), dy, dx);
}

#else  // built without oneDNN: the engine keeps to libtorch's kernels

struct OneDnnConv::Impl {};
OneDnnConv::~OneDnnConv() = default;
std::unique_ptr<OneDnnConv> OneDnnConv::create(const ConvGeometry&, const float*, const float*) {
    return nullptr;  // so none of the members below is ever reached
}
const ConvGeometry& OneDnnConv::geometry() const { std::abort(); }
bool OneDnnConv::winograd() const { return false; }
void OneDnnConv::forward(const float*, int, int, float*, double) const { std::abort(); }
void OneDnnConv::inputGradient(const float*, int, int, float*) const { std::abort(); }

#endif

}  // namespace inceptionist
