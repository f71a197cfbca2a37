#include "core/motion/audio_reencode.h"

#include <algorithm>
#include <cstdio>
#include <vector>

extern "C" {
#include <libavfilter/buffersink.h>
#include <libavfilter/buffersrc.h>
#include <libavutil/channel_layout.h>
}

#include "core/motion/filter_graph.h"

namespace inceptionist {

namespace {

using libav::errorText;
using libav::FilterGraph;

[[noreturn]] void fail(const std::string& file, ErrorKind kind, const std::string& what, int code) {
    throw Error(kind, file + ": " + what + " (" + errorText(code) + ")");
}

// The encoder for the container: WebM holds only Opus and Vorbis; elsewhere AAC plays
// everywhere.
const AVCodec* encoderFor(const AVOutputFormat* format) {
    const bool webm = std::string(format->name) == "webm";
    const std::vector<const char*> names =
        webm ? std::vector<const char*>{"libopus", "libvorbis"}
             : std::vector<const char*>{"aac", "libopus", "libvorbis"};
    for (const char* name : names) {
        const AVCodec* codec = avcodec_find_encoder_by_name(name);
        if (codec && avformat_query_codec(format, codec->id, FF_COMPLIANCE_NORMAL) == 1)
            return codec;
    }
    return nullptr;
}

// Opus at 48 kHz; else the input's rate where the encoder takes it, else the lowest it takes
// above it (the highest when none is).
int sampleRateFor(const AVCodec* codec, int inputRate) {
    if (codec->id == AV_CODEC_ID_OPUS) return 48000;  // what every Opus decoder plays at
    if (!codec->supported_samplerates) return inputRate;
    int best = 0, highest = 0;
    for (const int* r = codec->supported_samplerates; *r; ++r) {
        if (*r == inputRate) return inputRate;
        highest = std::max(highest, *r);
        if (*r > inputRate && (best == 0 || *r < best)) best = *r;
    }
    return best ? best : highest;
}

const char* codecName(AVCodecID id) {
    switch (id) {
        case AV_CODEC_ID_OPUS:
            return "Opus";
        case AV_CODEC_ID_VORBIS:
            return "Vorbis";
        case AV_CODEC_ID_AAC:
            return "AAC";
        default:
            return avcodec_get_name(id);
    }
}

std::string layoutName(const AVChannelLayout& layout) {
    char name[64] = {};
    av_channel_layout_describe(&layout, name, sizeof name);
    return name;
}

}  // namespace

ReencodedAudio reencodeAudio(const std::string& input, double start, double end,
                             const std::string& output, const std::string& path) {
    const AVOutputFormat* format = av_guess_format(nullptr, output.c_str(), nullptr);
    if (!format)
        throw Error(ErrorKind::Output, output + ": FFmpeg has no muxer for this file type");
    const AVCodec* codec = encoderFor(format);
    if (!codec) return {};

    libav::Input in = libav::openInput(input, ErrorKind::Input);
    const int index = av_find_best_stream(in.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (index < 0) throw Error(ErrorKind::Input, input + ": has no audio stream");
    AVStream* stream = in->streams[index];
    const AVCodec* decoding = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!decoding)
        throw Error(ErrorKind::Input, input + ": no decoder for its audio (" +
                                          avcodec_get_name(stream->codecpar->codec_id) + ")");
    libav::Codec decoder(avcodec_alloc_context3(decoding));
    avcodec_parameters_to_context(decoder.get(), stream->codecpar);
    decoder->pkt_timebase = stream->time_base;
    if (const int rc = avcodec_open2(decoder.get(), decoding, nullptr); rc < 0)
        fail(input, ErrorKind::Input, "cannot decode its audio", rc);
    if (decoder->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC) {
        const int channels = decoder->ch_layout.nb_channels;
        av_channel_layout_uninit(&decoder->ch_layout);
        av_channel_layout_default(&decoder->ch_layout, channels);
    }

    libav::Codec encoder(avcodec_alloc_context3(codec));
    const int channels = std::clamp(decoder->ch_layout.nb_channels, 1, 2);
    av_channel_layout_default(&encoder->ch_layout, channels);
    encoder->sample_rate = sampleRateFor(codec, decoder->sample_rate);
    encoder->sample_fmt = codec->sample_fmts ? codec->sample_fmts[0] : AV_SAMPLE_FMT_FLTP;
    encoder->bit_rate = 64000 * channels;
    encoder->time_base = AVRational{1, encoder->sample_rate};
    if (format->flags & AVFMT_GLOBALHEADER) encoder->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    if (const int rc = avcodec_open2(encoder.get(), codec, nullptr); rc < 0)
        fail(output, ErrorKind::Output, std::string("cannot start the ") + codec->name + " encoder",
             rc);

    // Decoded sound, timed from the stream's start: cut, resampled, converted to what the
    // encoder takes, in frames of the encoder's size.
    char args[256];
    std::snprintf(
        args, sizeof args, "time_base=%d/%d:sample_rate=%d:sample_fmt=%s:channel_layout=%s",
        stream->time_base.num, stream->time_base.den, decoder->sample_rate,
        av_get_sample_fmt_name(decoder->sample_fmt), layoutName(decoder->ch_layout).c_str());
    std::string filters = "[in]";
    if (start > 0 || end >= 0) {
        char trim[96];
        std::snprintf(trim, sizeof trim, "atrim=start=%.6f%s,asetpts=PTS-STARTPTS,", start,
                      end >= 0 ? (":end=" + std::to_string(end)).c_str() : "");
        filters += trim;
    }
    filters += "aresample=" + std::to_string(encoder->sample_rate) +
               ",aformat=sample_fmts=" + av_get_sample_fmt_name(encoder->sample_fmt) +
               ":channel_layouts=" + layoutName(encoder->ch_layout) + "[out]";
    FilterGraph graph(output, FilterGraph::Media::Audio, {"in"}, {args}, filters);
    if (!(codec->capabilities & AV_CODEC_CAP_VARIABLE_FRAME_SIZE) && encoder->frame_size > 0)
        av_buffersink_set_frame_size(graph.sink(), unsigned(encoder->frame_size));

    AVFormatContext* raw = nullptr;
    if (avformat_alloc_output_context2(&raw, format, nullptr, path.c_str()) < 0 || !raw)
        throw Error(ErrorKind::Output, path + ": FFmpeg cannot write this file type");
    libav::Output out(raw);
    AVStream* audio = avformat_new_stream(out.get(), nullptr);
    if (!audio) throw Error(ErrorKind::Output, path + ": cannot add a stream");
    avcodec_parameters_from_context(audio->codecpar, encoder.get());
    audio->time_base = encoder->time_base;
    if (const int rc = avio_open(&out->pb, path.c_str(), AVIO_FLAG_WRITE); rc < 0)
        fail(path, ErrorKind::Output, "cannot write", rc);
    if (const int rc = avformat_write_header(out.get(), nullptr); rc < 0)
        fail(path, ErrorKind::Output, "cannot write the header", rc);

    libav::Packet packet(av_packet_alloc());
    libav::Frame decoded(av_frame_alloc()), filtered(av_frame_alloc());
    int64_t samples = 0;
    auto writePackets = [&] {
        for (;;) {
            const int rc = avcodec_receive_packet(encoder.get(), packet.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) fail(output, ErrorKind::Output, "cannot encode the sound", rc);
            av_packet_rescale_ts(packet.get(), encoder->time_base, audio->time_base);
            packet->stream_index = audio->index;
            if (const int w = av_interleaved_write_frame(out.get(), packet.get()); w < 0)
                fail(path, ErrorKind::Output, "cannot write", w);
        }
    };
    auto encodeFiltered = [&] {
        for (;;) {
            const int rc = av_buffersink_get_frame(graph.sink(), filtered.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) fail(output, ErrorKind::Output, "cannot convert the sound", rc);
            filtered->pts = samples;  // the output's sound starts at its time 0
            samples += filtered->nb_samples;
            const int sent = avcodec_send_frame(encoder.get(), filtered.get());
            av_frame_unref(filtered.get());
            if (sent < 0) fail(output, ErrorKind::Output, "cannot encode the sound", sent);
            writePackets();
        }
    };
    const int64_t origin = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    auto filterDecoded = [&] {
        for (;;) {
            const int rc = avcodec_receive_frame(decoder.get(), decoded.get());
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            if (rc < 0) fail(input, ErrorKind::Input, "cannot decode its audio", rc);
            const int64_t t = decoded->best_effort_timestamp;
            decoded->pts = t == AV_NOPTS_VALUE ? AV_NOPTS_VALUE : t - origin;
            if (const int f = av_buffersrc_add_frame(graph.source(0), decoded.get()); f < 0)
                fail(output, ErrorKind::Output, "cannot convert the sound", f);
            encodeFiltered();
        }
    };
    // Past the cut's end (and a second's margin for packets out of order) nothing more is read.
    const int64_t stopAt = end < 0 ? INT64_MAX
                                   : origin + av_rescale_q(int64_t((end + 1) * AV_TIME_BASE),
                                                           AV_TIME_BASE_Q, stream->time_base);
    while (av_read_frame(in.get(), packet.get()) >= 0) {
        if (packet->stream_index == index) {
            if (packet->pts != AV_NOPTS_VALUE && packet->pts > stopAt) {
                av_packet_unref(packet.get());
                break;
            }
            const int rc = avcodec_send_packet(decoder.get(), packet.get());
            // A damaged packet is skipped, as players do; anything else is an error.
            if (rc < 0 && rc != AVERROR_INVALIDDATA)
                fail(input, ErrorKind::Input, "cannot decode its audio", rc);
            av_packet_unref(packet.get());
            filterDecoded();
        } else {
            av_packet_unref(packet.get());
        }
    }
    avcodec_send_packet(decoder.get(), nullptr);
    filterDecoded();
    if (const int rc = av_buffersrc_add_frame(graph.source(0), nullptr); rc < 0)
        fail(output, ErrorKind::Output, "cannot convert the sound", rc);
    encodeFiltered();
    avcodec_send_frame(encoder.get(), nullptr);
    writePackets();
    if (const int rc = av_write_trailer(out.get()); rc < 0)
        fail(path, ErrorKind::Output, "cannot finish the file", rc);

    char description[160];
    std::snprintf(description, sizeof description, "%s, %g kHz, %d channel%s, %lld kb/s",
                  codecName(codec->id), encoder->sample_rate / 1000.0, channels,
                  channels == 1 ? "" : "s", (long long)(encoder->bit_rate / 1000));
    return {path, description};
}

}  // namespace inceptionist
