#pragma once
// Exit codes of inceptionist-cli; scripts can tell the failures apart.

#include "core/params/errors.h"

namespace inceptionist::cli {

enum ExitCode {
    kOk = 0,
    kUsage = 1,      // unknown command or option, missing argument
    kInput = 2,      // input image missing, unreadable, corrupt
    kModel = 3,      // model missing or malformed
    kParameter = 4,  // parameter out of range, unknown layer, impossible size
    kOutput = 5,     // output cannot be written
    kDevice = 6,     // requested device not available
    kFailure = 7,    // out of memory, or a library failed in a way not foreseen
    kCancelled = 130,
};

inline int exitCodeFor(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::Input:
            return kInput;
        case ErrorKind::Model:
            return kModel;
        case ErrorKind::Parameter:
            return kParameter;
        case ErrorKind::Output:
            return kOutput;
        case ErrorKind::Device:
            return kDevice;
        case ErrorKind::Cancelled:
            return kCancelled;
    }
    return kUsage;
}

}  // namespace inceptionist::cli
