#include "image.hpp"

#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <system_error>

namespace wb {

Canvas::Canvas(int w, int h, unsigned char grey) : width(w), height(h) {
    if (w <= 0 || h <= 0 || w > 16384 || h > 16384)
        throw std::invalid_argument("Canvas: size " + std::to_string(w) + "×" +
                                    std::to_string(h) + " is out of range");
    rgb.assign(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3, grey);
}

void Canvas::set(int x, int y, unsigned char r, unsigned char g, unsigned char b) {
    if (x < 0 || y < 0 || x >= width || y >= height) return;  // clip, never write outside
    const std::size_t i = (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                           static_cast<std::size_t>(x)) * 3;
    rgb[i] = r;
    rgb[i + 1] = g;
    rgb[i + 2] = b;
}

void Canvas::draw_map(const Tensor<double>& map, int x, int y, int scale, double lo, double hi) {
    if (!map.is_map()) throw std::invalid_argument("Canvas::draw_map: needs a 2-D map, got " +
                                                   map.shape().str());
    const double span = hi > lo ? hi - lo : 1.0;
    for (int i = 0; i < map.h(); ++i)
        for (int j = 0; j < map.w(); ++j) {
            const double t = std::clamp((map(i, j) - lo) / span, 0.0, 1.0);
            const auto g = static_cast<unsigned char>(std::lround(255 * t));
            for (int dy = 0; dy < scale; ++dy)
                for (int dx = 0; dx < scale; ++dx) set(x + j * scale + dx, y + i * scale + dy, g, g, g);
        }
}

void Canvas::draw_map(const Tensor<double>& map, int x, int y, int scale) {
    const auto [lo, hi] = std::minmax_element(map.begin(), map.end());
    draw_map(map, x, y, scale, map.size() ? *lo : 0.0, map.size() ? *hi : 1.0);
}

void ensure_directory(const std::string& dir) {
    if (dir.empty()) return;
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create directory '" + dir + "': " + ec.message());
}

void write_png(const std::string& path, const Canvas& canvas) {
    ensure_directory(std::filesystem::path(path).parent_path().string());
    if (!stbi_write_png(path.c_str(), canvas.width, canvas.height, 3, canvas.rgb.data(),
                        canvas.width * 3))
        throw std::runtime_error("cannot write PNG '" + path + "'");
}

void write_maps_png(const std::string& path, const std::vector<Tensor<double>>& maps, int scale,
                    int gap) {
    int width = gap, height = 0;
    for (const auto& m : maps) {
        width += m.w() * scale + gap;
        height = std::max(height, m.h() * scale);
    }
    Canvas canvas(width, height + 2 * gap, 255);
    int x = gap;
    for (const auto& m : maps) {
        canvas.draw_map(m, x, gap, scale);
        x += m.w() * scale + gap;
    }
    write_png(path, canvas);
}

Tensor<double> read_image_gray(const std::string& path) {
    if (!std::filesystem::is_regular_file(path))
        throw std::runtime_error("cannot read image '" + path + "': no such file");
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> pixels(
        stbi_load(path.c_str(), &w, &h, &channels, 3), stbi_image_free);
    if (!pixels)
        throw std::runtime_error("cannot read image '" + path + "': " + stbi_failure_reason());
    Tensor<double> g(Shape{1, 1, h, w});
    for (int i = 0; i < h; ++i)
        for (int j = 0; j < w; ++j) {
            const unsigned char* p = pixels.get() + (static_cast<std::size_t>(i) * w + j) * 3;
            g(i, j) = (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255.0;
        }
    return g;
}

}  // namespace wb
