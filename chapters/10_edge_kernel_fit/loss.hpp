/// \file loss.hpp
/// \brief Chapter 10: the loss, the kernel gradient and one step of gradient descent (000 §17.3.7).
///
/// The three formulas of the notes' program, as plain functions.
#pragma once

#include <cstddef>

#include "ops.hpp"

namespace ch10 {

using Map = wb::Tensor<double>;

// [loss]
/// loss = Σ (z − y)² / (2m), m the number of pixels of y (000 §17.3.7's program).
inline double loss(const Map& z, const Map& y) {
    wb::require_shape("loss", "z", z.shape(), y.shape());
    double sum = 0;
    for (std::size_t k = 0; k < z.size(); ++k) {
        const double d = z.values()[k] - y.values()[k];
        sum += d * d;
    }
    return sum / (2.0 * static_cast<double>(y.size()));
}

/// The loss as a function of the kernel alone: z = x ⋆ w, then loss(z, y).
inline double loss_of_kernel(const Map& x, const Map& y, const Map& w) {
    return loss(wb::cross_correlate(x, w), y);
}

/// The kernel gradient as the notes write it, dw = x ⋆ (z − y) (000 §17.3.7, from the
/// kernel-gradient rule δw = A ⋆ δ of §17.3.5). It is m times ∂loss/∂w: the program
/// divides by m in the update.
inline Map kernel_gradient(const Map& x, const Map& z, const Map& y) {
    wb::require_shape("kernel_gradient", "z", z.shape(), y.shape());
    Map d(y.shape());
    for (std::size_t k = 0; k < d.size(); ++k) d.values()[k] = z.values()[k] - y.values()[k];
    return wb::cross_correlate(x, d);
}
// [loss]

// [step]
/// One step of gradient descent (梯度下降) as the program takes it: w ← w − lr·dw/m.
inline Map gradient_step(const Map& w, const Map& dw, double lr, double m) {
    wb::require_shape("gradient_step", "dw", dw.shape(), w.shape());
    Map next(w.shape());
    for (std::size_t k = 0; k < w.size(); ++k)
        next.values()[k] = w.values()[k] - lr * dw.values()[k] / m;
    return next;
}
// [step]

}  // namespace ch10
