#pragma once
// The sound of a clip re-encoded for an output container that cannot hold its codec (AAC, MP3
// or PCM in WebM become Opus; PCM in MP4 becomes AAC): decoded with libavcodec, cut and
// converted with libavfilter (atrim, aresample, aformat) and encoded with libavcodec's
// encoders (libopus, libvorbis, aac) into a file of the output's own container, which the clip
// then stream-copies beside its video.

#include <string>

namespace inceptionist {

struct ReencodedAudio {
    std::string path;         // the encoded file; empty when this FFmpeg has no fitting encoder
    std::string description;  // for people: "Opus, 48 kHz, 2 channels, 128 kb/s"
};

// Encodes the audio stream of `input` from `start` to `end` seconds of the stream (end < 0: to
// its end; the cut begins at the output's time 0) into `path`, whose extension (like the
// output's) picks the container, for a clip written to `output`. At most two channels; the
// sample rate is the input's where the encoder takes it, else the nearest it takes above.
// Throws Error(Input) naming `input` when its sound cannot be decoded, Error(Output) naming
// `output` when it cannot be encoded or written.
ReencodedAudio reencodeAudio(const std::string& input, double start, double end,
                             const std::string& output, const std::string& path);

}  // namespace inceptionist
