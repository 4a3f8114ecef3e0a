// Exercise 01_output_size: replace the throw with your code, then run
//   ./workbook check 01_output_size
#include "01_output_size/output_size.hpp"

#include "not_implemented.hpp"

int ex::output_size([[maybe_unused]] int n, [[maybe_unused]] int f, [[maybe_unused]] int p,
                    [[maybe_unused]] int s) {
    throw NotImplemented("01_output_size", "Chapter 01");
}
