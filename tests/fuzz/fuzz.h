#ifndef SLABSIM_TESTS_FUZZ_FUZZ_H
#define SLABSIM_TESTS_FUZZ_FUZZ_H
/*
 * The fuzz harnesses' one entry point, as libFuzzer calls it. Each
 * harness (fuzz_*.c) defines it; it is linked either with libFuzzer
 * (clang -fsanitize=fuzzer, build option -Dfuzzer=true) or with
 * driver.c, a plain main() that feeds it every file of a corpus plus
 * deterministic mutations of them (any compiler).
 *
 * A harness must never exit, print on success or keep state from one
 * input to the next: an input that breaks a contract calls fuzz_fail(),
 * which aborts so both libFuzzer and the driver report the input.
 */
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken contract for the current input and abort. */
void fuzz_fail(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#endif /* SLABSIM_TESTS_FUZZ_FUZZ_H */
