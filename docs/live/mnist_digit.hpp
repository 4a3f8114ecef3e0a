/// \file mnist_digit.hpp
/// \brief A digit drawn on a canvas, reduced to 28×28 the way MNIST's digits were.
///
/// MNIST's recipe (LeCun, Cortes and Burges, on the data set's page): the digit is scaled
/// to fit a 20×20 box, keeping its aspect ratio, with anti-aliasing (grey levels); then it
/// is placed in a 28×28 field so that its centre of mass (质心) sits at the field's centre.
/// LeNet was trained on digits prepared this way, so a drawing must be prepared the same.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "request.hpp"
#include "tensor.hpp"

namespace live {

inline constexpr int mnist_side = 28;  ///< the field
inline constexpr int mnist_box = 20;   ///< the box the digit is scaled into
inline constexpr int canvas_min = 8, canvas_max = 600;

/// The bounding box of the ink (values > 0) of a W×H image: rows [r0, r1), columns [c0, c1).
struct Box {
    int r0, r1, c0, c1;
};
inline Box ink_box(const std::vector<unsigned char>& ink, int W, int H) {
    Box b{H, 0, W, 0};
    for (int r = 0; r < H; ++r)
        for (int c = 0; c < W; ++c)
            if (ink[static_cast<std::size_t>(r) * W + c] > 0) {
                b.r0 = std::min(b.r0, r), b.r1 = std::max(b.r1, r + 1);
                b.c0 = std::min(b.c0, c), b.c1 = std::max(b.c1, c + 1);
            }
    if (b.r1 == 0) refuse("the canvas is empty: draw a digit first");
    return b;
}

/// Length of the overlap of source pixel [k, k+1) with the interval [lo, hi).
inline double overlap(int k, double lo, double hi) {
    return std::max(0.0, std::min<double>(k + 1, hi) - std::max<double>(k, lo));
}

/// Scales the box by `s` into an h×w grey image by area averaging (each output pixel is
/// the mean of the source area it covers: the anti-aliasing).
inline Map scale_box(const std::vector<unsigned char>& ink, int W, const Box& b, double s, int h,
                     int w) {
    Map out(wb::Shape{1, 1, h, w});
    for (int i = 0; i < h; ++i)
        for (int j = 0; j < w; ++j) {
            const double y0 = b.r0 + i / s, y1 = std::min<double>(b.r1, b.r0 + (i + 1) / s);
            const double x0 = b.c0 + j / s, x1 = std::min<double>(b.c1, b.c0 + (j + 1) / s);
            double sum = 0, area = 0;
            for (int r = static_cast<int>(y0); r < y1; ++r)
                for (int c = static_cast<int>(x0); c < x1; ++c) {
                    const double a = overlap(r, y0, y1) * overlap(c, x0, x1);
                    sum += a * ink[static_cast<std::size_t>(r) * W + c];
                    area += a;
                }
            out(i, j) = area > 0 ? sum / area : 0;
        }
    return out;
}

/// Centre of mass (row, column) of a grey image, pixel centres at index + ½.
inline std::pair<double, double> centre_of_mass(const Map& g) {
    double m = 0, my = 0, mx = 0;
    for (int i = 0; i < g.h(); ++i)
        for (int j = 0; j < g.w(); ++j) {
            m += g(i, j);
            my += g(i, j) * (i + 0.5);
            mx += g(i, j) * (j + 0.5);
        }
    return {my / m, mx / m};
}

/// The 28×28 digit as LeNet reads it: 1×1×28×28 floats byte/255, like the training data.
/// `ink` is W×H bytes, 0 = background.
inline wb::Tensor<float> mnist_digit(const std::vector<unsigned char>& ink, int W, int H) {
    if (W < canvas_min || H < canvas_min || W > canvas_max || H > canvas_max)
        refuse("the canvas must be between " + std::to_string(canvas_min) + " and " +
               std::to_string(canvas_max) + " pixels a side, got " + std::to_string(W) + "×" +
               std::to_string(H));
    if (ink.size() != static_cast<std::size_t>(W) * H)
        refuse("the canvas has " + std::to_string(ink.size()) + " pixels, expected " +
               std::to_string(W) + "×" + std::to_string(H));
    const Box b = ink_box(ink, W, H);
    const int bh = b.r1 - b.r0, bw = b.c1 - b.c0;
    const double s = static_cast<double>(mnist_box) / std::max(bh, bw);
    const int h = std::clamp(static_cast<int>(std::lround(bh * s)), 1, mnist_box);
    const int w = std::clamp(static_cast<int>(std::lround(bw * s)), 1, mnist_box);
    const Map g = scale_box(ink, W, b, s, h, w);
    const auto [cy, cx] = centre_of_mass(g);
    // Shift so the centre of mass lands on the field's centre (14, 14), by whole pixels.
    const int dy = static_cast<int>(std::lround(mnist_side / 2.0 - cy));
    const int dx = static_cast<int>(std::lround(mnist_side / 2.0 - cx));
    wb::Tensor<float> x(wb::Shape{1, 1, mnist_side, mnist_side});
    for (int i = 0; i < h; ++i)
        for (int j = 0; j < w; ++j) {
            const int r = i + dy, c = j + dx;
            if (r < 0 || c < 0 || r >= mnist_side || c >= mnist_side) continue;  // off the field
            const long byte = std::lround(g(i, j));  // MNIST stores bytes
            x(r, c) = static_cast<float>(byte) / 255.0f;
        }
    return x;
}

/// The canvas as the page sends it: two hex digits per pixel, row by row.
inline std::vector<unsigned char> parse_hex_pixels(const std::string& hex, std::size_t count) {
    if (hex.size() != 2 * count)
        refuse("the canvas data has " + std::to_string(hex.size() / 2) + " pixels, expected " +
               std::to_string(count));
    auto nibble = [&](std::size_t at) {
        const char ch = hex[at];
        if (ch >= '0' && ch <= '9') return ch - '0';
        if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
        if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
        refuse("the canvas data holds '" + char_at(hex, at) + "', not a hex digit");  // the whole character
    };
    std::vector<unsigned char> px(count);
    for (std::size_t k = 0; k < count; ++k)
        px[k] = static_cast<unsigned char>(nibble(2 * k) * 16 + nibble(2 * k + 1));
    return px;
}

}  // namespace live
