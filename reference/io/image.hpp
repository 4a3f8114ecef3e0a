/// \file image.hpp
/// \brief Pictures in and out: maps as PNG (stb_image_write), any PNG/JPEG as a grey map
/// (stb_image).
#pragma once

#include <string>
#include <vector>

#include "tensor.hpp"

namespace wb {

/// An 8-bit RGB picture being composed.
struct Canvas {
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;  ///< width·height·3 bytes, row by row

    Canvas(int w, int h, unsigned char grey = 255);
    void set(int x, int y, unsigned char r, unsigned char g, unsigned char b);
    /// Draws a 2-D map with its top-left corner at (x, y), each element a `scale`×`scale`
    /// block, grey from black (lo) to white (hi); values outside are clamped.
    void draw_map(const Tensor<double>& map, int x, int y, int scale, double lo, double hi);
    /// Same, with lo/hi taken from the map's own minimum and maximum.
    void draw_map(const Tensor<double>& map, int x, int y, int scale);
};

/// Writes the canvas as a PNG, creating parent directories. Throws std::runtime_error.
void write_png(const std::string& path, const Canvas& canvas);

/// Several maps side by side, each scaled to its own range, separated by `gap` pixels:
/// the usual "input | kernel | output" figure.
void write_maps_png(const std::string& path, const std::vector<Tensor<double>>& maps, int scale,
                    int gap = 8);

/// Reads a PNG, JPEG, BMP, … as grey levels in [0, 1] (luma 0.299 R + 0.587 G + 0.114 B).
/// A missing, unreadable or non-image file is a std::runtime_error naming the file.
Tensor<double> read_image_gray(const std::string& path);

/// Creates the directory (and parents) if it does not exist; throws if it cannot.
void ensure_directory(const std::string& dir);

}  // namespace wb
