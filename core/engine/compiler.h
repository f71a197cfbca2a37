#pragma once
// Turns a ModelGraph into a runnable Network on one device, in named passes:
//   convert weights   graph tensors to libtorch tensors (always; batch norms as scale and shift)
//   fold batch norm   a convolution read only by a batch norm runs with the norm in its weights
//   fuse activations  a convolution (or folded norm) read only by a plain ReLU applies it in place
//   merge siblings    1×1 convolutions of one input (Inception branches) run as one convolution
//   create kernels    oneDNN convolutions and pooling with their weights laid out once (CPU)
//   device layout     weights channels-last and on the device
// Each pass after the first can be left out (CompileOptions) to check what it changes: the
// activations stay the same, only how they are computed differs. No libtorch in this header.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/engine/network.h"
#include "core/params/cancel_token.h"

namespace inceptionist {

enum class CompilePass {
    FoldBatchNorm,
    FuseActivations,
    MergeSiblingConvolutions,
    CreateKernels,
    DeviceLayout,
};

// The passes in the order compile runs them.
const std::vector<CompilePass>& compilePasses();
const char* compilePassName(CompilePass pass);  // e.g. "fold batch norm"

struct CompileOptions {
    std::set<CompilePass> skip;  // passes left out
    // Checked before each pass and between layers while weights are converted; a cancelled load
    // throws Error(ErrorKind::Cancelled).
    const CancelToken* cancel = nullptr;
};

// Compiles `graph` (with what `manifest` says about preprocessing) for `device` ("cpu", "cuda",
// "cuda:N"). Throws Error(Device) for a missing device, Error(Model) for weights that do not fit.
std::shared_ptr<Network> compile(ModelGraph graph, ModelManifest manifest,
                                 const std::string& device = "cpu",
                                 const CompileOptions& options = {});

// What the passes decided for one node of the graph (indices into graph().nodes(), -1: none).
struct NodePlan {
    int foldedInto = -1;    // convolution: the batch norm that runs it with folded weights
    int foldedFrom = -1;    // batch norm: the convolution it runs, folded
    int reluReader = -1;    // the ReLU node this node applies in place
    int siblingGroup = -1;  // the merged group of 1×1 convolutions this node's output comes from
    bool oneDnnKernel = false;  // runs its convolution through a oneDNN kernel of its own
};
// What the passes decided, with every layer prepared (kernels and all) to say it.
std::vector<NodePlan> compiledPlan(const Network& net);

// Which nodes have their weights prepared: the passes' work on weights (folded batch norms,
// oneDNN kernels, the device layout) is done for a layer when a run first needs it.
std::vector<bool> preparedLayers(const Network& net);

}  // namespace inceptionist
