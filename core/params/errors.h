#pragma once
// Errors the engine reports to its callers. Each carries a kind, so the command line can map it
// to a distinct exit code and the window to the right message, and a message that names the
// file, layer or parameter at fault.

#include <stdexcept>
#include <string>

namespace inceptionist {

enum class ErrorKind {
    Input,      // an image that cannot be read or decoded
    Model,      // a model directory, topology or weight file that is missing or malformed
    Parameter,  // a parameter outside its range, an unknown layer, an impossible size
    Output,     // an output file that cannot be written
    Cancelled,  // the caller asked the running job to stop
    Device,     // the requested compute device is not available
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message);
    ErrorKind kind() const { return kind_; }

private:
    ErrorKind kind_;
};

// Short lower-case name of the kind ("input", "model", ...), for messages and logs.
const char* errorKindName(ErrorKind kind);

// One line for an exception that is not an Error: out of memory, or a library's own error
// (OpenCV's, libtorch's). Their what() can span lines (a file and line, a backtrace); the
// command line and the window show the first line only.
std::string describeFailure(const std::exception& e);

}  // namespace inceptionist
