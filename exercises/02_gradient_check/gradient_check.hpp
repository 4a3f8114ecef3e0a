// Exercise 02_gradient_check — see docs page "Chapter 02", section "Try it".
#pragma once

#include <functional>
#include <vector>

namespace ex {

/// ∂J/∂x by centred differences, one element at a time (cs231n's gradient check):
/// g_i = (J(x + h·e_i) − J(x − h·e_i)) / 2h. J reads x itself (it holds a reference to it),
/// so move x[i], call J(), and put x[i] back: x is as it was when the function returns.
std::vector<double> numerical_gradient(const std::function<double()>& J, std::vector<double>& x,
                                       double h = 1e-5);

/// cs231n's relative error of two gradients, the largest over their elements:
/// max_i |a_i − b_i| / max(1e-8, |a_i| + |b_i|). About 1e-7 or less: they agree. A NaN in
/// either makes the result NaN (a check must never pass a NaN gradient); sizes that differ
/// throw std::invalid_argument naming both.
double relative_error(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace ex
