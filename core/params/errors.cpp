#include "core/params/errors.h"

#include <new>

#include <opencv2/core.hpp>

namespace inceptionist {

Error::Error(ErrorKind kind, const std::string& message)
    : std::runtime_error(message), kind_(kind) {}

const char* errorKindName(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::Input:
            return "input";
        case ErrorKind::Model:
            return "model";
        case ErrorKind::Parameter:
            return "parameter";
        case ErrorKind::Output:
            return "output";
        case ErrorKind::Cancelled:
            return "cancelled";
        case ErrorKind::Device:
            return "device";
    }
    return "error";
}

std::string describeFailure(const std::exception& e) {
    if (dynamic_cast<const std::bad_alloc*>(&e)) return "out of memory";
    if (const auto* cv = dynamic_cast<const cv::Exception*>(&e)) {
        // what() leads with OpenCV's version, source file and line; err is the message itself.
        const std::string what = cv->code == cv::Error::StsNoMem ? "out of memory" : "OpenCV";
        return what + " (" + cv->err + ")";
    }
    std::string text = e.what();
    const auto end = text.find_first_of("\r\n");
    if (end != std::string::npos) text.resize(end);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return text.empty() ? "unexpected failure" : text;
}

}  // namespace inceptionist
