// Exercise 10_gram_prediction — see docs page "Chapter 10", section "Try it".
#pragma once

#include <vector>

namespace ex {

/// The largest learning rate for which gradient descent on loss = ½ eᵀHe does not blow
/// up, from the eigenvalues of H (in any order, all ≥ 0, at least one > 0).
double stable_lr_limit(const std::vector<double>& eigenvalues);

/// The factor by which the loss shrinks per iteration in the long run, at learning rate
/// lr: every eigen-direction k is multiplied by (1 − lr·λ_k) per step, so its share of the
/// loss by (1 − lr·λ_k)²; the long run belongs to the direction whose factor is largest.
double predicted_loss_ratio(const std::vector<double>& eigenvalues, double lr);

}  // namespace ex
