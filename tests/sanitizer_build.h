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

// QProcess in Qt 6.4 starts a child with clone(CLONE_VM | CLONE_VFORK): until it calls exec,
// the child runs in the parent's memory, TSan's included, which TSan cannot follow (it reports
// races that are not there and then stops the test: "starting new threads after
// multi-threaded fork is not supported"). Tests skip starting processes under TSan.
#if defined(__SANITIZE_THREAD__)
constexpr bool kThreadSanitizerBuild = true;
#else
constexpr bool kThreadSanitizerBuild = false;
#endif

}  // namespace inceptionist::test
