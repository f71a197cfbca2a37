// Precompiled header for the engine's libtorch translation units.
#pragma once
#include <torch/torch.h>
