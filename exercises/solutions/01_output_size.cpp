// Solution to exercise 01_output_size.
#include "01_output_size/output_size.hpp"

int ex::output_size(int n, int f, int p, int s) {
    // Starts 0, s, 2s, … up to n + 2p − f: integer division counts them (rounding down).
    return (n + 2 * p - f) / s + 1;
}
