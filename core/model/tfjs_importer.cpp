#include "core/model/tfjs_importer.h"

namespace inceptionist {

ModelGraph importTfjs(TfjsModel model) { return buildKerasGraph(std::move(model)); }

}  // namespace inceptionist
