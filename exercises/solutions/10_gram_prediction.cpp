// Solution to exercise 10_gram_prediction.
#include "10_gram_prediction/gram_prediction.hpp"

#include <algorithm>

double ex::stable_lr_limit(const std::vector<double>& eigenvalues) {
    return 2 / *std::max_element(eigenvalues.begin(), eigenvalues.end());
}

double ex::predicted_loss_ratio(const std::vector<double>& eigenvalues, double lr) {
    double worst = 0;
    for (double l : eigenvalues) worst = std::max(worst, (1 - lr * l) * (1 - lr * l));
    return worst;
}
