/// \file grid_svg.hpp
/// \brief The small worked-example maps drawn as the notes draw them: a grid of cells
/// with the number in each, a title under each panel, one colour scale per figure, and
/// the window that produced a highlighted output marked in both panels. Written as SVG, so
/// the numbers stay crisp at any zoom and the docs' browser check can read them.
#pragma once

#include <string>
#include <vector>

#include "tensor.hpp"

namespace wb {

/// A block of cells to outline: rows row … row+rows−1, columns col … col+cols−1.
struct GridMark {
    int row = 0, col = 0, rows = 1, cols = 1;
};

/// One panel: a 2-D map (1×1×H×W), the title printed under it, and the blocks to mark.
/// In a title, `_x` or `_{…}` is a subscript and `^x` or `^{…}` a superscript
/// ("δ_{in}", "a^{(l−1)}").
struct GridPanel {
    Tensor<double> map;
    std::string title;
    std::vector<GridMark> marks = {};
};

/// The SVG text of the panels side by side, with a colour bar for the one scale they share
/// (blue through white to red around 0 if the values have both signs, else white to blue).
/// Whole numbers print as integers, others with two decimals.
std::string grid_svg(const std::vector<GridPanel>& panels);

/// Writes grid_svg(panels) to `path` (atomically; a one-line std::runtime_error on failure).
void write_grid_svg(const std::string& path, const std::vector<GridPanel>& panels);

}  // namespace wb
