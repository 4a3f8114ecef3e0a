// Exercise 11_sgd_momentum_step: replace the throw with your code, then run
//   ./workbook check 11_sgd_momentum_step
// Three lines per element; a plain loop is all it takes.
#include "11_sgd_momentum_step/sgd_momentum_step.hpp"

#include "not_implemented.hpp"

void ex::sgd_momentum_step([[maybe_unused]] std::vector<float>& w,
                           [[maybe_unused]] std::vector<float>& v,
                           [[maybe_unused]] const std::vector<float>& g,
                           [[maybe_unused]] float lr, [[maybe_unused]] float momentum,
                           [[maybe_unused]] float l2) {
    throw NotImplemented("11_sgd_momentum_step", "Chapter 11");
}
