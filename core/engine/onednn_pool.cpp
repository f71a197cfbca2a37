#include "core/engine/onednn_pool.h"

#include <cstdlib>
#include <map>
#include <mutex>
#include <tuple>
#include <utility>

#ifdef INCEPTIONIST_WITH_ONEDNN
#include <dnnl.hpp>
#endif

namespace inceptionist {

namespace {

auto tied(const PoolGeometry& g) {
    return std::tie(g.channels, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.padTop, g.padBottom, g.padLeft,
                    g.padRight);
}

}  // namespace

bool PoolGeometry::operator<(const PoolGeometry& o) const { return tied(*this) < tied(o); }

#ifdef INCEPTIONIST_WITH_ONEDNN

namespace {

using dnnl::memory;

constexpr size_t kMaxPlans = 256;

struct Plan {
    dnnl::pooling_v2_forward forward;
    dnnl::pooling_v2_backward backward;
    memory::desc src, dst, workspace;
};

}  // namespace

struct OneDnnPool::Impl {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::algorithm algorithm = dnnl::algorithm::pooling_max;
    mutable std::mutex mutex;
    mutable std::map<PoolGeometry, std::shared_ptr<const Plan>> plans;

    std::shared_ptr<const Plan> plan(const PoolGeometry& g) const {
        std::lock_guard<std::mutex> lock(mutex);
        auto found = plans.find(g);
        if (found != plans.end()) return found->second;
        auto p = std::make_shared<Plan>();
        const auto f32 = memory::data_type::f32;
        p->src = memory::desc({1, g.channels, g.h, g.w}, f32, memory::format_tag::nhwc);
        p->dst = memory::desc({1, g.channels, g.outH(), g.outW()}, f32, memory::format_tag::nhwc);
        const memory::dims strides{g.sh, g.sw}, kernel{g.kh, g.kw}, dilation{0, 0},
            padL{g.padTop, g.padLeft}, padR{g.padBottom, g.padRight};
        dnnl::pooling_v2_forward::desc fd(dnnl::prop_kind::forward_training, algorithm, p->src,
                                          p->dst, strides, kernel, dilation, padL, padR);
        dnnl::pooling_v2_forward::primitive_desc fpd(fd, engine);
        dnnl::pooling_v2_backward::desc bd(algorithm, p->src, p->dst, strides, kernel, dilation,
                                           padL, padR);
        dnnl::pooling_v2_backward::primitive_desc bpd(bd, engine, fpd);
        p->forward = dnnl::pooling_v2_forward(fpd);
        p->backward = dnnl::pooling_v2_backward(bpd);
        p->workspace = fpd.workspace_desc();
        // Each photo size, octave and print tile size brings its own; a long session forgets
        // them now and then rather than growing (calls under way keep theirs).
        if (plans.size() >= kMaxPlans) plans.clear();
        plans.emplace(g, p);
        return p;
    }
};

OneDnnPool::OneDnnPool(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OneDnnPool::~OneDnnPool() = default;

std::unique_ptr<OneDnnPool> OneDnnPool::create(bool average) {
    auto d = std::make_unique<Impl>();
    d->algorithm =
        average ? dnnl::algorithm::pooling_avg_exclude_padding : dnnl::algorithm::pooling_max;
    return std::unique_ptr<OneDnnPool>(new OneDnnPool(std::move(d)));
}

size_t OneDnnPool::workspaceBytes(const PoolGeometry& g) const {
    return impl_->plan(g)->workspace.get_size();
}

void OneDnnPool::forward(const PoolGeometry& g, const float* x, float* y, void* workspace) const {
    const auto p = impl_->plan(g);
    const auto& e = impl_->engine;
    dnnl::stream s(e);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(p->src, e, const_cast<float*>(x))},
                                         {DNNL_ARG_DST, memory(p->dst, e, y)}};
    if (p->workspace.get_size() > 0)
        args.emplace(DNNL_ARG_WORKSPACE, memory(p->workspace, e, workspace));
    p->forward.execute(s, args);
    s.wait();
}

void OneDnnPool::backward(const PoolGeometry& g, const float* dy, float* dx,
                          const void* workspace) const {
    const auto p = impl_->plan(g);
    const auto& e = impl_->engine;
    dnnl::stream s(e);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_DIFF_DST, memory(p->dst, e, const_cast<float*>(dy))},
        {DNNL_ARG_DIFF_SRC, memory(p->src, e, dx)}};
    if (p->workspace.get_size() > 0)
        args.emplace(DNNL_ARG_WORKSPACE, memory(p->workspace, e, const_cast<void*>(workspace)));
    p->backward.execute(s, args);
    s.wait();
}

#else  // built without oneDNN: the engine keeps to libtorch's kernels

struct OneDnnPool::Impl {};
OneDnnPool::~OneDnnPool() = default;
std::unique_ptr<OneDnnPool> OneDnnPool::create(bool) {
    return nullptr;  // so none of the members below is ever reached
}
size_t OneDnnPool::workspaceBytes(const PoolGeometry&) const { std::abort(); }
void OneDnnPool::forward(const PoolGeometry&, const float*, float*, void*) const { std::abort(); }
void OneDnnPool::backward(const PoolGeometry&, const float*, float*, const void*) const {
    std::abort();
}

#endif

}  // namespace inceptionist
