#ifndef SLICELS_CLIBFUZZER_H
#define SLICELS_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

// libFuzzer's entry point for programs with their own main (in the toolchain's libFuzzer runtime,
// linked by -sanitize=fuzzer). SwiftPM gives every executable its own main, so the targets call
// this instead of relying on libFuzzer's main.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
