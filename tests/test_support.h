#pragma once
// Shared helpers for the tests: where the fixtures and models are, and image comparison.

#include <memory>
#include <string>

#include <opencv2/core.hpp>

#include "core/engine/network.h"
#include "core/params/dream_params.h"

namespace inceptionist::test {

std::string dataPath(const std::string& relative);  // under tests/data
std::string sampleImage();                          // the bundled sample photo
std::string modelsDir();                            // the build's default models
std::string cliPath();

// The default model `id`, loaded once per test process. Fails the test when models are missing.
std::shared_ptr<Network> defaultModel(const std::string& id);

// Whether this build has the engine's oneDNN kernels (tests of them skip without).
bool oneDnnInBuild();

// Mean absolute difference of two CV_32FC3 images of the same size, in [0, 1] units.
double meanAbsDifference(const cv::Mat& a, const cv::Mat& b);

// input → 1×1 convolution (3 → 8) → ReLU, with seeded weights: a layer to back-propagate
// through whose receptive field is one pixel, so cutting the image into tiles changes nothing but
// how tiles combine (tiled and untiled must agree).
std::shared_ptr<Network> pointwiseNetwork();

// A quick dream for tests: mixed3, 2 octaves of 4 steps at 160 px unless given others.
DreamParams quickParams(int octaves = 2, int steps = 4, int workingSize = 160);

// A style transfer for tests: The Scream (tests/data/scream.jpg) over a `size` px picture in
// `iterations` iterations, the default model and layers.
DreamParams styleParams(int size, int iterations);

// A small photo for quick dreams: tests/data/horses.jpg (512 px) scaled to `longSide`.
cv::Mat smallPhoto(int longSide = 160);

}  // namespace inceptionist::test
