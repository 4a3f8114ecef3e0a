// Exercise 02_gradient_check: replace the throws with your code, then run
//   ./workbook check 02_gradient_check
// Write the loops yourself (wb::numerical_gradient and wb::relative_error in
// reference/gradcheck.hpp are the answer). `./workbook run 11 --yours` uses yours to check
// your other layers before it trains with them.
#include "02_gradient_check/gradient_check.hpp"

#include "not_implemented.hpp"

std::vector<double> ex::numerical_gradient([[maybe_unused]] const std::function<double()>& J,
                                           [[maybe_unused]] std::vector<double>& x,
                                           [[maybe_unused]] double h) {
    throw NotImplemented("02_gradient_check", "Chapter 02");
}

double ex::relative_error([[maybe_unused]] const std::vector<double>& a,
                          [[maybe_unused]] const std::vector<double>& b) {
    throw NotImplemented("02_gradient_check", "Chapter 02");
}
