// Solution to exercise 11_sgd_momentum_step.
#include "11_sgd_momentum_step/sgd_momentum_step.hpp"

#include <stdexcept>

void ex::sgd_momentum_step(std::vector<float>& w, std::vector<float>& v, const std::vector<float>& g,
                           float lr, float momentum, float l2) {
    if (w.size() != v.size() || w.size() != g.size())
        throw std::invalid_argument("sgd_momentum_step: w, v and g differ in length");
    for (std::size_t i = 0; i < w.size(); ++i) {
        const float gi = g[i] + l2 * w[i];
        v[i] = momentum * v[i] + gi;
        w[i] -= lr * v[i];
    }
}
