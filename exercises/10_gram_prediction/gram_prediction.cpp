// Exercise 10_gram_prediction: replace the throws with your code, then run
//   ./workbook check 10_gram_prediction
#include "10_gram_prediction/gram_prediction.hpp"

#include "not_implemented.hpp"

double ex::stable_lr_limit([[maybe_unused]] const std::vector<double>& eigenvalues) {
    throw NotImplemented("10_gram_prediction", "Chapter 10");
}

double ex::predicted_loss_ratio([[maybe_unused]] const std::vector<double>& eigenvalues,
                                [[maybe_unused]] double lr) {
    throw NotImplemented("10_gram_prediction", "Chapter 10");
}
