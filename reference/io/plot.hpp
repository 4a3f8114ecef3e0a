/// \file plot.hpp
/// \brief Line plots rendered to PNG by gnuplot (through gnuplot-iostream).
#pragma once

#include <string>
#include <vector>

namespace wb {

/// One curve of a plot.
struct Series {
    std::string title;
    std::vector<double> x, y;
    std::string style = "lines";  ///< gnuplot style: "lines", "points", "linespoints"
};

/// What a plot shows around its curves.
struct PlotSpec {
    std::string title, xlabel, ylabel;
    bool log_y = false;
    int width = 800, height = 480;
};

/// Renders the curves into a PNG at `path` (parent directories created). Throws
/// std::runtime_error if gnuplot is missing or fails, or a series has x/y of unequal length.
void plot_png(const std::string& path, const PlotSpec& spec, const std::vector<Series>& curves);

/// True if a `gnuplot` executable is on PATH.
bool gnuplot_available();

}  // namespace wb
