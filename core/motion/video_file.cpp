#include "core/motion/video_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "core/io/atomic_file.h"
#include "core/motion/audio_reencode.h"
#include "core/motion/gif_file.h"
#include "core/motion/libav_handles.h"
#include "core/params/errors.h"

namespace inceptionist {

namespace fs = std::filesystem;

namespace {

using libav::Input;
using libav::openInput;
using libav::Output;
using libav::Packet;
std::string avError(int code) { return libav::errorText(code); }

std::string lowerExtension(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return ext;
}

}  // namespace

VideoInfo probeVideo(const std::string& path) {
    if (!fs::is_regular_file(path)) throw Error(ErrorKind::Input, path + ": no such file");
    Input in = openInput(path, ErrorKind::Input);
    const int video = av_find_best_stream(in.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (video < 0) throw Error(ErrorKind::Input, path + ": has no video stream");
    AVStream* vs = in->streams[video];
    VideoInfo info;
    info.width = vs->codecpar->width;
    info.height = vs->codecpar->height;
    const AVRational rate = av_guess_frame_rate(in.get(), vs, nullptr);
    info.fps = rate.den > 0 ? av_q2d(rate) : 0;
    info.videoCodec = avcodec_get_name(vs->codecpar->codec_id);
    info.duration = in->duration > 0 ? double(in->duration) / AV_TIME_BASE : 0;
    const int audio = av_find_best_stream(in.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (audio >= 0) {
        info.hasAudio = true;
        info.audioCodec = avcodec_get_name(in->streams[audio]->codecpar->codec_id);
    }
    if (const AVDictionaryEntry* c = av_dict_get(in->metadata, "comment", nullptr, 0))
        info.comment = c->value;
    Packet packet(av_packet_alloc());
    int64_t audioEnd = INT64_MIN;  // in the audio stream's time base
    while (av_read_frame(in.get(), packet.get()) >= 0) {
        if (packet->stream_index == video) ++info.frames;
        if (packet->stream_index == audio && packet->pts != AV_NOPTS_VALUE)
            audioEnd = std::max(audioEnd, packet->pts + packet->duration);
        av_packet_unref(packet.get());
    }
    if (audio >= 0 && audioEnd != INT64_MIN)
        info.audioDuration = std::max(0.0, audioEnd * av_q2d(in->streams[audio]->time_base));
    if (info.frames == 0) throw Error(ErrorKind::Input, path + ": has no video frames");
    return info;
}

ClipFormat clipFormatFor(const std::string& output) {
    const fs::path p(output);
    if (p.filename().empty() || !p.has_extension()) return ClipFormat::PngSequence;
    const std::string ext = lowerExtension(p);
    if (ext == ".mp4") return ClipFormat::Mp4;
    if (ext == ".webm") return ClipFormat::WebM;
    if (ext == ".gif") return ClipFormat::Gif;
    throw Error(ErrorKind::Output,
                output + ": unsupported output format '" + ext +
                    "' (use .mp4, .webm, .gif, or a folder name for PNG frames)");
}

ClipFormat checkClipOutput(const std::string& output) {
    const ClipFormat format = clipFormatFor(output);
    std::error_code ec;
    if (format == ClipFormat::PngSequence && fs::exists(output) && !fs::is_empty(output, ec))
        throw Error(ErrorKind::Output, output + ": exists and is not empty");
    if (format != ClipFormat::PngSequence && fs::is_directory(output))
        throw Error(ErrorKind::Output, output + ": is a folder");
    fs::path where(output);
    if (where.filename().empty()) where = where.parent_path();
    const fs::path parent = where.parent_path().empty() ? fs::path(".") : where.parent_path();
    if (!fs::is_directory(parent, ec))
        throw Error(ErrorKind::Output,
                    output + ": cannot write there, " + parent.string() + " is not a folder");
    return format;
}

namespace {

// Encodes the frames into a video file of the frames folder (its own extension picks the
// container, the fourcc the codec).
fs::path encodeFrames(FrameFolder& frames, size_t count, double fps, ClipFormat format) {
    const fs::path video =
        frames.path() / (format == ClipFormat::WebM ? "video-only.webm" : "video-only.mp4");
    const int fourcc = format == ClipFormat::WebM ? cv::VideoWriter::fourcc('V', 'P', '9', '0')
                                                  : cv::VideoWriter::fourcc('a', 'v', 'c', '1');
    cv::VideoWriter writer;
    cv::Size size;
    for (size_t i = 0; i < count; ++i) {
        const cv::Mat rgb = frames.read(i);
        if (i == 0) {
            // 4:2:0 chroma needs even sides: drop the last row or column where one is odd.
            size = cv::Size(rgb.cols & ~1, rgb.rows & ~1);
            if (!writer.open(video.string(), cv::CAP_FFMPEG, fourcc, fps, size))
                throw Error(ErrorKind::Output,
                            video.string() + ": the video encoder could not be started");
        }
        if (rgb.cols < size.width || rgb.rows < size.height)
            throw Error(ErrorKind::Output,
                        frames.framePath(i).string() + ": frame is smaller than the first frame");
        cv::Mat bgr;
        rgb(cv::Rect(0, 0, size.width, size.height)).convertTo(bgr, CV_8UC3, 255.0);
        cv::cvtColor(bgr, bgr, cv::COLOR_RGB2BGR);
        writer.write(bgr);
    }
    writer.release();
    return video;
}

struct StreamCopy {
    AVFormatContext* in = nullptr;
    int inIndex = -1, outIndex = -1;
    // In the input stream's time base; INT64_MIN: from the first packet, timestamps unchanged.
    int64_t startPts = INT64_MIN, endPts = INT64_MAX;
    Packet pending{av_packet_alloc()};
    bool done = false;

    // Reads the next packet of the stream inside the range into `pending`.
    void next() {
        while (!done) {
            av_packet_unref(pending.get());
            if (av_read_frame(in, pending.get()) < 0) {
                done = true;
                return;
            }
            if (pending->stream_index != inIndex) continue;
            const int64_t t = pending->pts != AV_NOPTS_VALUE ? pending->pts : pending->dts;
            if (t != AV_NOPTS_VALUE && t < startPts) continue;
            if (t != AV_NOPTS_VALUE && t >= endPts) {
                done = true;
                return;
            }
            return;
        }
    }
    int64_t time() const { return pending->dts != AV_NOPTS_VALUE ? pending->dts : pending->pts; }
};

}  // namespace

std::string assembleClip(FrameFolder& frames, size_t count, double fps, const std::string& output,
                         const ClipAudio& audio, const std::string& metadata) {
    const ClipFormat format = clipFormatFor(output);
    if (count == 0) throw Error(ErrorKind::Output, output + ": no frames to write");
    if (format == ClipFormat::PngSequence) {
        fs::path out(output);
        if (out.filename().empty()) out = out.parent_path();
        std::error_code ec;
        if (fs::exists(out) && !fs::is_empty(out, ec))
            throw Error(ErrorKind::Output, out.string() + ": exists and is not empty");
        fs::remove(out, ec);  // an empty folder
        fs::rename(frames.path(), out, ec);
        if (ec)
            throw Error(ErrorKind::Output,
                        out.string() + ": cannot move the frames there (" + ec.message() + ")");
        return {};
    }
    if (format == ClipFormat::Gif) {
        writeGif(frames, count, fps, output);
        return audio.path.empty() || !probeVideo(audio.path).hasAudio
                   ? std::string()
                   : "a GIF holds no sound; the output is silent";
    }

    const fs::path video = encodeFrames(frames, count, fps, format);
    Input videoIn = openInput(video.string(), ErrorKind::Output);
    Input audioIn;
    std::string note;
    AtomicFile file(output);  // Error(Output) when the folder is missing or not writable
    AVFormatContext* raw = nullptr;
    if (avformat_alloc_output_context2(&raw, nullptr, nullptr, output.c_str()) < 0 || !raw)
        throw Error(ErrorKind::Output, output + ": FFmpeg has no muxer for this file type");
    Output out(raw);

    std::vector<StreamCopy> copies(1);
    copies[0].in = videoIn.get();
    copies[0].inIndex = av_find_best_stream(videoIn.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (!audio.path.empty()) {
        audioIn = openInput(audio.path, ErrorKind::Input);
        const int a = av_find_best_stream(audioIn.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
        if (a >= 0) {
            const AVCodecID codec = audioIn->streams[a]->codecpar->codec_id;
            const std::string extension = fs::path(output).extension().string();
            if (avformat_query_codec(out->oformat, codec, FF_COMPLIANCE_NORMAL) == 1) {
                StreamCopy c;
                c.in = audioIn.get();
                c.inIndex = a;
                const AVRational tb = audioIn->streams[a]->time_base;
                const int64_t origin = audioIn->streams[a]->start_time != AV_NOPTS_VALUE
                                           ? audioIn->streams[a]->start_time
                                           : 0;
                // From the start, every packet (an encoder's priming packets included) and
                // the timestamps as they are; a cut starts the audio at the output's zero.
                c.startPts = audio.start > 0
                                 ? origin + av_rescale_q(int64_t(audio.start * AV_TIME_BASE),
                                                         AV_TIME_BASE_Q, tb)
                                 : INT64_MIN;
                if (audio.end >= 0)
                    c.endPts = origin +
                               av_rescale_q(int64_t(audio.end * AV_TIME_BASE), AV_TIME_BASE_Q, tb);
                copies.push_back(std::move(c));
            } else {
                // The container cannot hold the codec: the sound is re-encoded into a file of
                // the output's type beside the frames, and that file's stream is copied.
                const ReencodedAudio encoded =
                    reencodeAudio(audio.path, audio.start, audio.end, output,
                                  (frames.path() / ("audio-only" + extension)).string());
                if (encoded.path.empty()) {
                    note = std::string("the audio (") + avcodec_get_name(codec) +
                           ") cannot be stored in " + extension +
                           " and this FFmpeg has no encoder for it; the output has no sound";
                } else {
                    audioIn = openInput(encoded.path, ErrorKind::Output);
                    StreamCopy c;
                    c.in = audioIn.get();
                    c.inIndex =
                        av_find_best_stream(audioIn.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
                    copies.push_back(std::move(c));
                    note = std::string("the audio (") + avcodec_get_name(codec) +
                           ") cannot be stored in " + extension + " as it is; re-encoded as " +
                           encoded.description;
                }
            }
        }
    }
    for (StreamCopy& c : copies) {
        AVStream* s = avformat_new_stream(out.get(), nullptr);
        if (!s) throw Error(ErrorKind::Output, output + ": cannot add a stream");
        avcodec_parameters_copy(s->codecpar, c.in->streams[c.inIndex]->codecpar);
        s->codecpar->codec_tag = 0;
        s->time_base = c.in->streams[c.inIndex]->time_base;
        c.outIndex = s->index;
    }
    if (!metadata.empty()) av_dict_set(&out->metadata, "comment", metadata.c_str(), 0);
    if (const int rc = avio_open(&out->pb, file.temporaryPath().c_str(), AVIO_FLAG_WRITE); rc < 0)
        throw Error(ErrorKind::Output, output + ": cannot write (" + avError(rc) + ")");
    if (const int rc = avformat_write_header(out.get(), nullptr); rc < 0)
        throw Error(ErrorKind::Output, output + ": cannot write the header (" + avError(rc) + ")");

    for (StreamCopy& c : copies) c.next();
    for (;;) {
        StreamCopy* first = nullptr;
        for (StreamCopy& c : copies) {
            if (c.done) continue;
            if (!first ||
                av_compare_ts(c.time(), c.in->streams[c.inIndex]->time_base, first->time(),
                              first->in->streams[first->inIndex]->time_base) < 0)
                first = &c;
        }
        if (!first) break;
        AVPacket* p = first->pending.get();
        const AVRational inTb = first->in->streams[first->inIndex]->time_base;
        if (first->startPts != INT64_MIN && first->startPts != 0) {
            if (p->pts != AV_NOPTS_VALUE) p->pts -= first->startPts;
            if (p->dts != AV_NOPTS_VALUE) p->dts -= first->startPts;
        }
        av_packet_rescale_ts(p, inTb, out->streams[first->outIndex]->time_base);
        p->stream_index = first->outIndex;
        p->pos = -1;
        if (const int rc = av_interleaved_write_frame(out.get(), p); rc < 0)
            throw Error(ErrorKind::Output, output + ": cannot write (" + avError(rc) + ")");
        first->next();
    }
    if (const int rc = av_write_trailer(out.get()); rc < 0)
        throw Error(ErrorKind::Output, output + ": cannot finish the file (" + avError(rc) + ")");
    avio_closep(&out->pb);
    file.commit();
    return note;
}

}  // namespace inceptionist
