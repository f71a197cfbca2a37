// Image reading with its metadata: any bytes, as a file, through readImage, readImageMetadata
// and readImageDpi. Every failure must be an Error naming the file, never a crash, a leak or
// undefined behaviour.

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include <unistd.h>

#include "core/io/image_header.h"
#include "core/io/image_io.h"
#include "core/params/errors.h"

using namespace inceptionist;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // Small images only: the fuzzer looks for bad parsing, not for memory to fill.
    static const bool limited = (setMaxImagePixels(4'000'000), true);
    (void)limited;
    static const std::string path = "/tmp/inceptionist-fuzz-image-" + std::to_string(getpid());
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    try {
        const cv::Mat image = readImage(path);
        if (image.empty() || image.type() != CV_32FC3) __builtin_trap();  // it promises both
    } catch (const Error&) {
    }
    try {
        (void)readImageMetadata(path);
        (void)readImageDpi(path);
    } catch (const Error&) {
    }
    return 0;
}
