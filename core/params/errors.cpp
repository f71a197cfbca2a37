#include "core/params/errors.h"

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

}  // namespace inceptionist
