#include "core/engine/compiler.h"

#include "core/engine/compile_passes.h"
#include "core/engine/memory_reuse.h"
#include "core/params/errors.h"

namespace inceptionist {

const std::vector<CompilePass>& compilePasses() {
    static const std::vector<CompilePass> passes = {
        CompilePass::FoldBatchNorm, CompilePass::FuseActivations,
        CompilePass::MergeSiblingConvolutions, CompilePass::CreateKernels,
        CompilePass::DeviceLayout};
    return passes;
}

const char* compilePassName(CompilePass pass) {
    switch (pass) {
        case CompilePass::FoldBatchNorm:
            return "fold batch norm";
        case CompilePass::FuseActivations:
            return "fuse activations";
        case CompilePass::MergeSiblingConvolutions:
            return "merge sibling 1x1 convolutions";
        case CompilePass::CreateKernels:
            return "create kernels";
        case CompilePass::DeviceLayout:
            return "device layout";
    }
    return "?";
}

std::shared_ptr<Network> compile(ModelGraph graph, ModelManifest manifest,
                                 const std::string& device, const CompileOptions& options) {
    useAllCores();
    keepFreedMemoryForReuse();
    auto checkCancelled = [&] {
        if (options.cancel && options.cancel->cancelled())
            throw Error(ErrorKind::Cancelled, "loading the model was cancelled");
    };
    checkCancelled();
    std::shared_ptr<Network> net(new Network());
    Network::Impl& d = net->impl();
    try {
        d.device = torch::Device(device);
    } catch (const c10::Error&) {
        throw Error(ErrorKind::Device,
                    "unknown device '" + device + "' (expected cpu, cuda or cuda:N)");
    }
    if (d.device.is_cuda() && !torch::cuda::is_available())
        throw Error(ErrorKind::Device, "device '" + device +
                                           "' was requested but no CUDA GPU is available to this "
                                           "build of libtorch");
    // cuDNN would otherwise run convolutions in TF32 on recent GPUs: ten bits of mantissa, which
    // puts activations 1e-3 away from the reference and makes GPU and CPU dreams drift apart.
    if (d.device.is_cuda()) at::globalContext().setAllowTF32CuDNN(false);
    d.graph = std::move(graph);
    d.manifest = std::move(manifest);

    passes::convertWeights(d, options.cancel);
    auto run = [&](CompilePass pass, auto&& body) {
        checkCancelled();
        if (!options.skip.count(pass)) body();
    };
    run(CompilePass::FoldBatchNorm, [&] { passes::foldBatchNorm(d); });
    run(CompilePass::FuseActivations, [&] { passes::fuseActivations(d); });
    run(CompilePass::MergeSiblingConvolutions, [&] { passes::mergeSiblingConvolutions(d); });
    run(CompilePass::CreateKernels, [&] { passes::createKernels(d); });
    checkCancelled();
    passes::deviceLayout(d, !options.skip.count(CompilePass::DeviceLayout));
    d.graph.releaseWeightValues();
    return net;
}

std::vector<NodePlan> compiledPlan(const Network& net) {
    std::vector<int> all(net.graph().nodes().size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    passes::prepareLayers(net.impl(), all);  // kernels are made on first use
    std::vector<NodePlan> plan;
    for (const CompiledNode& c : net.impl().compiled) {
        NodePlan p;
        p.foldedInto = c.foldedInto;
        p.foldedFrom = c.foldedFrom;
        p.reluReader = c.reluReader;
        p.siblingGroup = c.siblingGroup;
        p.oneDnnKernel = c.fast != nullptr || c.foldedFast != nullptr;
        plan.push_back(p);
    }
    return plan;
}

std::vector<bool> preparedLayers(const Network& net) {
    std::lock_guard<std::mutex> lock(net.impl().prepareMutex);
    return {net.impl().prepared.begin(), net.impl().prepared.end()};
}

}  // namespace inceptionist
