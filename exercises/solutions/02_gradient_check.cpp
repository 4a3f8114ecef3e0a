// Solution to exercise 02_gradient_check.
#include "02_gradient_check/gradient_check.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

std::vector<double> ex::numerical_gradient(const std::function<double()>& J, std::vector<double>& x,
                                           double h) {
    std::vector<double> g(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double keep = x[i];
        x[i] = keep + h;
        const double plus = J();
        x[i] = keep - h;
        const double minus = J();
        x[i] = keep;
        g[i] = (plus - minus) / (2 * h);
    }
    return g;
}

double ex::relative_error(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size())
        throw std::invalid_argument("relative_error: " + std::to_string(a.size()) + " values vs " +
                                    std::to_string(b.size()));
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const double e = std::abs(a[i] - b[i]) / std::max(1e-8, std::abs(a[i]) + std::abs(b[i]));
        if (std::isnan(e)) return std::numeric_limits<double>::quiet_NaN();
        worst = std::max(worst, e);
    }
    return worst;
}
