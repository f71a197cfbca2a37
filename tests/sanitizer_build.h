#pragma once
// Whether this test was built with AddressSanitizer or ThreadSanitizer (scripts/sanitize.sh).
// Instrumented code runs several times slower, so assertions on how long the window waits are
// left to the normal build; the code paths still run and the sanitizer still checks them.

namespace inceptionist::test {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif

}  // namespace inceptionist::test
