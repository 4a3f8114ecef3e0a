/// \file compare.hpp
/// \brief Chapter 10: closeness as numpy's allclose judges it, and the notes' printed result.
///
/// What the notes' "w allclose" and "y allclose" lines can mean, tested with their own
/// printed kernel.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "tensor.hpp"

namespace ch10 {

using Map = wb::Tensor<double>;

// [allclose]
/// numpy.allclose(a, b, rtol, atol): |a − b| ≤ atol + rtol·|b| for every element.
inline bool allclose(const Map& a, const Map& b, double rtol = 1e-5, double atol = 1e-8) {
    if (!(a.shape() == b.shape())) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (!(std::abs(a.values()[k] - b.values()[k]) <= atol + rtol * std::abs(b.values()[k])))
            return false;
    return true;
}

/// The largest |a − b| over all elements.
inline double max_abs_diff(const Map& a, const Map& b) {
    wb::require_shape("max_abs_diff", "b", b.shape(), a.shape());
    double worst = 0;
    for (std::size_t k = 0; k < a.size(); ++k)
        worst = std::max(worst, std::abs(a.values()[k] - b.values()[k]));
    return worst;
}

/// The smallest atol for which allclose(a, b, rtol, atol) holds: the largest
/// |a − b| − rtol·|b| over all elements (0 if every element already passes at atol 0).
inline double smallest_atol(const Map& a, const Map& b, double rtol = 1e-5) {
    wb::require_shape("smallest_atol", "b", b.shape(), a.shape());
    double need = 0;
    for (std::size_t k = 0; k < a.size(); ++k)
        need = std::max(need,
                        std::abs(a.values()[k] - b.values()[k]) - rtol * std::abs(b.values()[k]));
    return need;
}
// [allclose]

// [notes-result]
/// The kernel the notes' program printed as w_result after 3460 iterations (000 §17.3.7),
/// digit for digit. Its loss on the sample picture is the notes' last printed loss.
inline Map notes_w_result() {
    return {{-1.86879237e-03, -9.97261724e-01, -1.01212359e-03},
            {2.58961697e-03, 1.99494606e+00, 2.74435794e-03},
            {-8.67754199e-04, -9.97404263e-01, -1.87580756e-03}};
}
/// The notes' last printed loss, at iteration 3460.
inline constexpr double notes_last_loss = 9.999234418532805e-08;
/// The notes' three printed loss lines, iterations 3458, 3459 and 3460.
inline constexpr double notes_loss_lines[3] = {1.0063169744079507e-07, 1.0031151142628902e-07,
                                               notes_last_loss};
// [notes-result]

}  // namespace ch10
