/// \file plot.hpp
/// \brief Line plots rendered to PNG by gnuplot (through gnuplot-iostream).
#pragma once

#include <string>
#include <vector>

#include "tensor.hpp"

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

/// One map of a figure of maps, with its title and the range its colours span.
struct MapPanel {
    std::string title;
    Tensor<double> map;  ///< 1×1×H×W
    double lo, hi;       ///< the colour scale: lo black (or blue), hi white (or red)
    bool diverging = false;  ///< blue–white–red around 0 instead of black–white
};

/// Renders maps side by side into a PNG at `path`, each with its title and a colour bar
/// of its stated range (panels that share a range share a scale). Throws like plot_png.
void maps_png(const std::string& path, const std::string& title, const std::vector<MapPanel>& panels,
              int width = 1000, int height = 400);

/// True if a `gnuplot` executable is on PATH.
bool gnuplot_available();

}  // namespace wb
