#include "core/motion/gif_file.h"

#include <cstdio>

#include <opencv2/core.hpp>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/imgutils.h>
}

#include "core/io/atomic_file.h"
#include "core/motion/filter_graph.h"

namespace inceptionist {

namespace {

using libav::errorText;
using libav::FilterGraph;

// Error-diffusion dithering spreads each pixel's error to its neighbours: smooth gradients
// stay smooth with 256 colours. A palette entry kept for transparency would be one colour less.
constexpr const char* kPaletteGen = "palettegen=stats_mode=full:reserve_transparent=0";
constexpr const char* kPaletteUse = "paletteuse=dither=sierra2_4a";

[[noreturn]] void fail(const std::string& output, const std::string& what, int code) {
    throw Error(ErrorKind::Output, output + ": " + what + " (" + errorText(code) + ")");
}

std::string sourceArgs(int width, int height, AVPixelFormat format, AVRational timeBase) {
    char args[160];
    std::snprintf(args, sizeof args, "video_size=%dx%d:pix_fmt=%d:time_base=%d/%d:pixel_aspect=1/1",
                  width, height, int(format), timeBase.num, timeBase.den);
    return args;
}

// Frame `index` of the folder as an RGB24 AVFrame with timestamp `index`.
libav::Frame rgbFrame(const FrameFolder& frames, size_t index, const std::string& output) {
    const cv::Mat rgb = frames.read(index);  // CV_32FC3 RGB in [0, 1]
    libav::Frame frame(av_frame_alloc());
    frame->width = rgb.cols;
    frame->height = rgb.rows;
    frame->format = AV_PIX_FMT_RGB24;
    if (const int rc = av_frame_get_buffer(frame.get(), 0); rc < 0)
        fail(output, "cannot hold a frame", rc);
    cv::Mat wrapped(rgb.rows, rgb.cols, CV_8UC3, frame->data[0], size_t(frame->linesize[0]));
    rgb.convertTo(wrapped, CV_8UC3, 255.0);
    frame->pts = int64_t(index);
    return frame;
}

}  // namespace

void writeGif(const FrameFolder& frames, size_t count, double fps, const std::string& output) {
    if (count == 0) throw Error(ErrorKind::Output, output + ": no frames to write");
    // palettegen reports its colour count at the info level; the command line shows warnings up.
    if (av_log_get_level() > AV_LOG_WARNING) av_log_set_level(AV_LOG_WARNING);
    const AVRational timeBase = av_inv_q(av_d2q(fps, 100000));
    libav::Frame first = rgbFrame(frames, 0, output);
    const int width = first->width, height = first->height;
    const std::string args = sourceArgs(width, height, AV_PIX_FMT_RGB24, timeBase);

    // Pass 1: the palette, from the colours of every frame.
    libav::Frame palette(av_frame_alloc());
    {
        FilterGraph graph(output, FilterGraph::Media::Video, {"frames"}, {args},
                          std::string("[frames]") + kPaletteGen + "[out]");
        for (size_t i = 0; i < count; ++i) {
            libav::Frame frame = i == 0 ? std::move(first) : rgbFrame(frames, i, output);
            if (frame->width != width || frame->height != height)
                throw Error(ErrorKind::Output, frames.framePath(i).string() +
                                                   ": frame size differs from the first frame's");
            if (const int rc = av_buffersrc_add_frame(graph.source(0), frame.get()); rc < 0)
                fail(output, "cannot count the colours", rc);
        }
        int rc = av_buffersrc_add_frame(graph.source(0), nullptr);  // the end: palette now
        if (rc >= 0) rc = av_buffersink_get_frame(graph.sink(), palette.get());
        if (rc < 0) fail(output, "cannot make the palette", rc);
    }

    // Pass 2: each frame mapped to the palette, encoded and written.
    const std::string paletteArgs =
        sourceArgs(palette->width, palette->height, AVPixelFormat(palette->format), timeBase);
    FilterGraph graph(output, FilterGraph::Media::Video, {"frames", "palette"}, {args, paletteArgs},
                      std::string("[frames][palette]") + kPaletteUse + "[out]");
    palette->pts = 0;
    if (int rc = av_buffersrc_add_frame(graph.source(1), palette.get());
        rc < 0 || (rc = av_buffersrc_add_frame(graph.source(1), nullptr)) < 0)
        fail(output, "cannot use the palette", rc);

    const AVCodec* gif = avcodec_find_encoder(AV_CODEC_ID_GIF);
    if (!gif) throw Error(ErrorKind::Output, output + ": this FFmpeg has no GIF encoder");
    libav::Codec encoder(avcodec_alloc_context3(gif));
    encoder->width = width;
    encoder->height = height;
    encoder->pix_fmt = AV_PIX_FMT_PAL8;
    encoder->time_base = timeBase;
    if (const int rc = avcodec_open2(encoder.get(), gif, nullptr); rc < 0)
        fail(output, "cannot start the GIF encoder", rc);

    AtomicFile file(output);  // Error(Output) when the folder is missing or not writable
    AVFormatContext* raw = nullptr;
    if (avformat_alloc_output_context2(&raw, nullptr, "gif", output.c_str()) < 0 || !raw)
        throw Error(ErrorKind::Output, output + ": FFmpeg has no GIF muxer");
    libav::Output out(raw);
    AVStream* stream = avformat_new_stream(out.get(), nullptr);
    if (!stream) throw Error(ErrorKind::Output, output + ": cannot add a stream");
    avcodec_parameters_from_context(stream->codecpar, encoder.get());
    stream->time_base = timeBase;
    if (const int rc = avio_open(&out->pb, file.temporaryPath().c_str(), AVIO_FLAG_WRITE); rc < 0)
        fail(output, "cannot write", rc);
    AVDictionary* options = nullptr;
    av_dict_set(&options, "loop", "0", 0);  // forever
    const int header = avformat_write_header(out.get(), &options);
    av_dict_free(&options);
    if (header < 0) fail(output, "cannot write the header", header);

    libav::Packet packet(av_packet_alloc());
    auto writePackets = [&] {
        for (;;) {
            const int rc = avcodec_receive_packet(encoder.get(), packet.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) fail(output, "cannot encode a frame", rc);
            packet->duration = 1;  // one frame, in the encoder's time base
            av_packet_rescale_ts(packet.get(), timeBase, stream->time_base);
            packet->stream_index = stream->index;
            if (const int w = av_interleaved_write_frame(out.get(), packet.get()); w < 0)
                fail(output, "cannot write", w);
        }
    };
    libav::Frame mapped(av_frame_alloc());
    auto encodeMapped = [&] {
        for (;;) {
            const int rc = av_buffersink_get_frame(graph.sink(), mapped.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) fail(output, "cannot map a frame to the palette", rc);
            mapped->pict_type = AV_PICTURE_TYPE_NONE;
            const int sent = avcodec_send_frame(encoder.get(), mapped.get());
            av_frame_unref(mapped.get());
            if (sent < 0) fail(output, "cannot encode a frame", sent);
            writePackets();
        }
    };
    for (size_t i = 0; i < count; ++i) {
        libav::Frame frame = rgbFrame(frames, i, output);
        if (const int rc = av_buffersrc_add_frame(graph.source(0), frame.get()); rc < 0)
            fail(output, "cannot map a frame to the palette", rc);
        encodeMapped();
    }
    if (const int rc = av_buffersrc_add_frame(graph.source(0), nullptr); rc < 0)
        fail(output, "cannot map the last frames to the palette", rc);
    encodeMapped();
    avcodec_send_frame(encoder.get(), nullptr);
    writePackets();
    if (const int rc = av_write_trailer(out.get()); rc < 0)
        fail(output, "cannot finish the file", rc);
    avio_closep(&out->pb);
    file.commit();
}

}  // namespace inceptionist
