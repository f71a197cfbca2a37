#pragma once
// A libavfilter graph from named buffer sources to one buffer sink, for the pictures of a GIF
// (palettegen, paletteuse) and the sound of a re-encoded audio track (atrim, aresample).

#include <string>
#include <vector>

#include "core/motion/libav_handles.h"

namespace inceptionist::libav {

class FilterGraph {
public:
    enum class Media { Video, Audio };
    // `sources` are the labels of the buffer sources in `description`, made with `sourceArgs`
    // (the buffer's or abuffer's options); the description ends at the sink's label "[out]".
    // Throws Error(Output) naming `output` when the graph cannot be made.
    FilterGraph(const std::string& output, Media media, const std::vector<std::string>& sources,
                const std::vector<std::string>& sourceArgs, const std::string& description);
    AVFilterContext* source(size_t i) const { return sources_[i]; }
    AVFilterContext* sink() const { return sink_; }

private:
    Graph graph_;
    std::vector<AVFilterContext*> sources_;
    AVFilterContext* sink_ = nullptr;
};

}  // namespace inceptionist::libav
