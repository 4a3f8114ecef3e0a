/// \file random.hpp
/// \brief Seeded random numbers that come out the same on every machine.
///
/// std::normal_distribution and std::uniform_real_distribution are implementation-defined,
/// so a seed would not reproduce across standard libraries; these few lines are.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>

#include "tensor.hpp"

namespace wb {

/// SplitMix64: a tiny, well-mixed 64-bit generator (Steele, Lea & Flood 2014).
class Rng {
public:
    explicit Rng(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    /// Uniform in [0, 1), 53 random bits.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform in [lo, hi).
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    /// Uniform integer in [0, n).
    int below(int n) { return static_cast<int>(uniform() * n); }
    /// Normal with mean μ and standard deviation σ (Box–Muller).
    double normal(double mu = 0, double sigma = 1) {
        const double u1 = 1.0 - uniform();  // (0, 1]: log is finite
        const double u2 = uniform();
        return mu + sigma * std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
    }

private:
    std::uint64_t state_;
};

/// A tensor of shape `s` with entries uniform in [lo, hi).
template <class T>
Tensor<T> random_tensor(Shape s, Rng& rng, double lo = -1, double hi = 1) {
    Tensor<T> t(s);
    for (auto& v : t) v = static_cast<T>(rng.uniform(lo, hi));
    return t;
}

}  // namespace wb
