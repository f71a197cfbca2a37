#pragma once
// Video files through FFmpeg: what a file holds (libavformat, without decoding), and the
// assembly of a clip's finished frames into the output: encoded with OpenCV's VideoWriter
// (H.264 for .mp4, VP9 for .webm), then remuxed with libavformat to add the input's audio
// (stream-copied, or re-encoded where the container cannot hold its codec) and the parameters as
// the container's comment, written under a temporary name and renamed into place. A PNG sequence is
// the frames folder itself, renamed.

#include <string>

#include "core/motion/frame_folder.h"

namespace inceptionist {

struct VideoInfo {
    int width = 0, height = 0;
    double fps = 0;       // the video stream's frame rate
    int64_t frames = 0;   // packets of the video stream: one per frame
    double duration = 0;  // seconds
    std::string videoCodec;
    bool hasAudio = false;
    std::string audioCodec;
    double audioDuration = 0;  // seconds of sound from time 0 to the audio stream's last sample
    std::string comment;       // the container's comment tag (our parameters), if any
};

// Throws Error(Input) naming `path` when it cannot be opened, is not a media file, has no video
// stream or no frames.
VideoInfo probeVideo(const std::string& path);

enum class ClipFormat { Mp4, WebM, PngSequence, Gif };
// By the extension: .mp4 (H.264), .webm (VP9), .gif, none or a trailing '/' for a folder of
// PNG frames. Throws Error(Output) naming the file for any other.
ClipFormat clipFormatFor(const std::string& output);
// clipFormatFor(), and for a PNG folder that the folder does not already hold other files: the
// checks that can fail before any work. Throws Error(Output) naming the file.
ClipFormat checkClipOutput(const std::string& output);

struct ClipAudio {
    std::string path;  // the file whose audio is copied; empty for none
    double start = 0;  // seconds of it to copy, from start to end (end < 0: to its end)
    double end = -1;
};

// Writes frames 0 … count-1 of `frames` to `output` at `fps`. Returns a note for people when
// the audio was re-encoded (the container cannot hold its codec: audio_reencode.h) or could not
// be kept (a GIF, or no encoder), else an empty string.
// Throws Error(Output) naming the file; nothing is left under `output` on failure.
std::string assembleClip(FrameFolder& frames, size_t count, double fps, const std::string& output,
                         const ClipAudio& audio, const std::string& metadata);

}  // namespace inceptionist
