#pragma once
// What Inceptionist knows about a model beyond its topology: the name people see, how pixels are
// prepared for it, the layers worth offering (with channel counts and whether the layer kept its
// ImageNet weights), where it came from and under which licence. Stored as `manifest.json`
// beside `model.json`.

#include <filesystem>
#include <string>
#include <vector>

namespace inceptionist {

enum class Preprocessing {
    MinusOneToOne,  // x / 127.5 - 1 (Inception, MobileNet, Xception)
    Caffe,          // BGR, ImageNet mean subtracted, 0..255 (VGG, ResNet50)
    Torch,          // x / 255 normalised by ImageNet mean and deviation (DenseNet, PyTorch);
                    // written "imagenet" ("torch" still reads)
    Unit,           // x / 255
};

struct OfferedLayer {
    std::string name;
    int channels = 0;
    bool imagenet = true;  // false: fine-tuned for another task after ImageNet training
    std::string note;      // what the layer tends to draw, in plain words
};

struct ModelManifest {
    std::string id;           // directory name, e.g. "inception_v3"
    std::string displayName;  // e.g. "InceptionV3"
    std::string description;
    Preprocessing preprocessing = Preprocessing::MinusOneToOne;
    std::vector<OfferedLayer> layers;  // ImageNet feature layers first
    std::vector<std::string> defaultLayers;
    std::string source;   // e.g. "npm nsfwjs@4.3.0, dist/models/inception_v3"
    std::string licence;  // e.g. "MIT"
    std::string copyright;
    int inputSize = 0;  // the side the model was made for, where known (0: not said)
    // Names of the classifier head's classes in index order, where the model has a head of its
    // own (ImageNet heads need none: their names ship with the program).
    std::vector<std::string> classes;
    // Classes of the classifier head, where the model has one (0: none, or not looked for);
    // not stored in the file: found from the model's topology (core/model/classifier_probe.h).
    int headClasses = 0;
    int headMinimumSide = 0;  // where the head flattens a feature map: the side it needs
};

// Reads `dir/manifest.json`; where there is none, a manifest with the directory's name and
// [-1, 1] preprocessing. Throws Error(Model) for a malformed file.
ModelManifest readModelManifest(const std::filesystem::path& dir);

const char* preprocessingName(Preprocessing p);
// "tf", "caffe", "imagenet" (or "torch"), "unit"; throws Error(Parameter) for another name.
Preprocessing parsePreprocessing(const std::string& name);

// Writes `m` as `dir/manifest.json` (atomically); what readModelManifest reads back.
void writeModelManifest(const std::filesystem::path& dir, const ModelManifest& m);

}  // namespace inceptionist
