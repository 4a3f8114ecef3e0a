/// \file figures.hpp
/// \brief The pictures of chapter 11: curves, feature maps, C1 kernels, misclassified digits.
#pragma once

#include <string>
#include <vector>

#include "11_lenet/train.hpp"
#include "io/image.hpp"

namespace ch11 {

/// Writes `text` (digits, A–Z, and : > - . / space) in a 3×5 pixel font, each font pixel a
/// `scale`×`scale` block, top-left at (x, y). Lower case is drawn as upper case. Returns the
/// x just past the text.
int draw_text(wb::Canvas& c, int x, int y, const std::string& text, int scale,
              unsigned char r = 0, unsigned char g = 0, unsigned char b = 0);

/// 11_loss.png and 11_accuracy.png from the history (gnuplot).
void plot_curves(const std::string& dir, const History& h);

/// 11_feature_maps.png: one test digit and the output of every layer for it (ReLU'd maps,
/// pooled maps, the dense activations as strips, the class probabilities).
void draw_feature_maps(const std::string& path, const Params<float>& w, const Dataset& test,
                       int index);

/// 11_c1_kernels.png: the six learned 5×5 kernels of C1.
void draw_c1_kernels(const std::string& path, const Params<float>& w);

/// 11_misclassified.png: up to `max_shown` misclassified test digits, each labelled
/// "true>predicted". Returns how many test digits were wrong.
int draw_misclassified(const std::string& path, const Dataset& test,
                       const std::vector<int>& predictions, int max_shown = 48);

}  // namespace ch11
