#include "core/motion/filter_graph.h"

namespace inceptionist::libav {

namespace {

[[noreturn]] void fail(const std::string& output, const std::string& what, int code) {
    throw Error(ErrorKind::Output, output + ": " + what + " (" + errorText(code) + ")");
}

}  // namespace

FilterGraph::FilterGraph(const std::string& output, Media media,
                         const std::vector<std::string>& sources,
                         const std::vector<std::string>& sourceArgs, const std::string& description)
    : graph_(avfilter_graph_alloc()) {
    if (!graph_) fail(output, "cannot make a filter graph", AVERROR(ENOMEM));
    graph_->nb_threads = 1;  // the frames are small next to a dream; keep the cores for it
    const bool audio = media == Media::Audio;
    AVFilterInOut* outputs = nullptr;
    for (size_t i = sources.size(); i-- > 0;) {
        AVFilterContext* src = nullptr;
        int rc = avfilter_graph_create_filter(
            &src, avfilter_get_by_name(audio ? "abuffer" : "buffer"), sources[i].c_str(),
            sourceArgs[i].c_str(), nullptr, graph_.get());
        if (rc < 0) fail(output, "cannot make the filters' source", rc);
        sources_.insert(sources_.begin(), src);
        AVFilterInOut* link = avfilter_inout_alloc();
        link->name = av_strdup(sources[i].c_str());
        link->filter_ctx = src;
        link->pad_idx = 0;
        link->next = outputs;
        outputs = link;
    }
    int rc = avfilter_graph_create_filter(
        &sink_, avfilter_get_by_name(audio ? "abuffersink" : "buffersink"), "out", nullptr, nullptr,
        graph_.get());
    if (rc < 0) fail(output, "cannot make the filters' sink", rc);
    AVFilterInOut* inputs = avfilter_inout_alloc();
    inputs->name = av_strdup("out");
    inputs->filter_ctx = sink_;
    inputs->pad_idx = 0;
    inputs->next = nullptr;
    rc = avfilter_graph_parse_ptr(graph_.get(), description.c_str(), &inputs, &outputs, nullptr);
    avfilter_inout_free(&inputs);
    avfilter_inout_free(&outputs);
    if (rc < 0) fail(output, "cannot build the filters '" + description + "'", rc);
    if ((rc = avfilter_graph_config(graph_.get(), nullptr)) < 0)
        fail(output, "cannot configure the filters '" + description + "'", rc);
}

}  // namespace inceptionist::libav
