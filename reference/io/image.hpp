/// \file image.hpp
/// \brief Pictures in and out: maps as PNG (stb_image_write), a PNG as a grey map
/// (stb_image, compiled here with its PNG decoder only).
#pragma once

#include <string>
#include <vector>

#include "files.hpp"
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

/// Writes the canvas as a PNG, creating parent directories, atomically (files.hpp): a
/// write error throws std::runtime_error and keeps the previous file.
void write_png(const std::string& path, const Canvas& canvas);

/// Several maps side by side, each scaled to its own range, separated by `gap` pixels:
/// the usual "input | kernel | output" figure.
void write_maps_png(const std::string& path, const std::vector<Tensor<double>>& maps, int scale,
                    int gap = 8);

/// The largest picture read_image_gray accepts: its side in pixels, and its file size.
inline constexpr int max_image_side = 1024;
inline constexpr std::size_t max_image_file_bytes = 16u << 20;

/// Reads a PNG file as grey levels in [0, 1] (luma 0.299 R + 0.587 G + 0.114 B). The file
/// size, the PNG signature and the width and height in its header are checked before a
/// byte is decoded. Anything else (a JPEG, a missing file, a picture over the limits) is a
/// std::runtime_error whose one line names the file and says why.
Tensor<double> read_image_gray(const std::string& path);

/// The same for a PNG already in memory; `name` is used in the messages.
Tensor<double> decode_png_gray(const unsigned char* bytes, std::size_t n, const std::string& name);

}  // namespace wb
