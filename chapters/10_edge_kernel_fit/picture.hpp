/// \file picture.hpp
/// \brief Chapter 10: the sample picture and its target (000 §17.3.7, INDEX.md).
///
/// The 80×80 picture the notes fit on, rebuilt from INDEX.md's facts, the kernel to be
/// learnt back and the target picture it makes.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "io/image.hpp"
#include "ops.hpp"

namespace ch10 {

using Map = wb::Tensor<double>;

// [picture]
/// One stretch of the disc: rows first_row..last_row (inclusive) all cover the columns
/// first_col..last_col (inclusive).
struct DiscRows {
    int first_row, last_row, first_col, last_col;
};

/// The disc of the notes' 80×80 sample picture, row by row (INDEX.md, extra facts for
/// 000 §17.3.7). Rows not listed are background.
inline const std::vector<DiscRows>& disc_rows() {
    static const std::vector<DiscRows> rows{
        {5, 5, 35, 44},   {6, 6, 30, 49},   {7, 7, 27, 52},   {8, 8, 25, 54},   {9, 9, 23, 56},
        {10, 10, 22, 58}, {11, 11, 20, 59}, {12, 12, 19, 60}, {13, 13, 18, 61}, {14, 14, 16, 63},
        {15, 15, 15, 64}, {16, 17, 14, 65}, {18, 18, 13, 66}, {19, 19, 12, 67}, {20, 21, 11, 68},
        {22, 22, 10, 69}, {23, 24, 9, 70},  {25, 26, 8, 71},  {27, 29, 7, 72},  {30, 30, 6, 72},
        {31, 34, 6, 73},  {35, 44, 5, 74},  {45, 49, 6, 73},  {50, 52, 7, 72},  {53, 54, 8, 71},
        {55, 56, 9, 70},  {57, 58, 10, 69}, {59, 59, 11, 68}, {60, 60, 12, 67}, {61, 61, 13, 66},
        {62, 63, 14, 65}, {64, 64, 15, 64}, {65, 65, 16, 63}, {66, 66, 18, 61}, {67, 67, 19, 60},
        {68, 68, 20, 59}, {69, 69, 22, 58}, {70, 70, 23, 56}, {71, 71, 25, 54}, {72, 72, 27, 52},
        {73, 73, 31, 49}, {74, 74, 35, 44}};
    return rows;
}

inline constexpr int picture_side = 80;    ///< the sample is 80×80
inline constexpr int quadrant_split = 40;  ///< quadrants split at row 40 and column 40

/// The colour of a disc pixel: white top-left and bottom-right, red RGB(237,28,36)
/// top-right, green RGB(34,177,76) bottom-left.
struct Rgb {
    unsigned char r, g, b;
};
inline Rgb disc_colour(int row, int col) {
    const bool top = row < quadrant_split, left = col < quadrant_split;
    if (top == left) return {255, 255, 255};
    return top ? Rgb{237, 28, 36} : Rgb{34, 177, 76};
}

/// The grey level (0..255) the notes' program gave each colour: white 255, red 54,
/// green 131; the background is black, 0.
inline int disc_grey_level(int row, int col) {
    const bool top = row < quadrant_split, left = col < quadrant_split;
    if (top == left) return 255;
    return top ? 54 : 131;
}

/// The sample picture x as the notes' program saw it: 80×80 grey levels divided by 255.
inline Map sample_picture() {
    Map x(wb::Shape{1, 1, picture_side, picture_side});  // black background
    for (const auto& s : disc_rows())
        for (int r = s.first_row; r <= s.last_row; ++r)
            for (int c = s.first_col; c <= s.last_col; ++c) x(r, c) = disc_grey_level(r, c) / 255.0;
    return x;
}

/// The same picture in colour, as it was drawn (for the reader's eyes only).
inline wb::Canvas sample_picture_rgb() {
    wb::Canvas canvas(picture_side, picture_side, 0);
    for (const auto& s : disc_rows())
        for (int r = s.first_row; r <= s.last_row; ++r)
            for (int c = s.first_col; c <= s.last_col; ++c) {
                const Rgb k = disc_colour(r, c);
                canvas.set(c, r, k.r, k.g, k.b);
            }
    return canvas;
}
// [picture]

// [target]
/// The horizontal-edge kernel (横边检测算子) of 000 §17.3.7, the kernel to be learnt back.
inline Map w_true() { return {{0, -1, 0}, {0, 2, 0}, {0, -1, 0}}; }

/// The kernel size every picture must at least have.
inline constexpr int kernel_side = 3;

/// Throws std::invalid_argument unless x is a 2-D map at least as large as the kernel.
inline void check_picture(const Map& x) {
    if (!x.is_map() || x.h() < kernel_side || x.w() < kernel_side)
        throw std::invalid_argument("the picture is " + x.shape().str() + ", smaller than the " +
                                    std::to_string(kernel_side) + "×" +
                                    std::to_string(kernel_side) + " kernel");
}

/// The target picture y = x ⋆ w_true (valid cross-correlation, b = 0): (H−2)×(W−2).
inline Map target(const Map& x) {
    check_picture(x);
    return wb::cross_correlate(x, w_true());
}
// [target]

}  // namespace ch10
