#include "image.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <system_error>

// stb is compiled here, private to this file (STB_*_STATIC), with only what the workbook
// needs: the PNG decoder (Debian 12's stb_image has a known out-of-bounds write in its
// JPEG decoder; leaving the other decoders out removes them from reach) and the PNG
// writer, through memory so that every write is checked by AtomicFile.
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS 1024  // = wb::max_image_side, a second guard behind ours
#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#define STBI_WRITE_NO_STDIO
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#include <stb_image.h>
#include <stb_image_write.h>
#pragma GCC diagnostic pop
static_assert(STBI_MAX_DIMENSIONS == wb::max_image_side);

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

void write_png(const std::string& path, const Canvas& canvas) {
    std::vector<unsigned char> png;
    const auto append = [](void* context, void* data, int size) {
        auto* out = static_cast<std::vector<unsigned char>*>(context);
        const auto* p = static_cast<const unsigned char*>(data);
        out->insert(out->end(), p, p + size);
    };
    if (!stbi_write_png_to_func(append, &png, canvas.width, canvas.height, 3, canvas.rgb.data(),
                                canvas.width * 3))
        throw std::runtime_error("cannot encode PNG '" + path + "'");
    write_file_atomically(path, "PNG", png);
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

namespace {

constexpr unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

[[noreturn]] void refuse(const std::string& name, const std::string& why) {
    throw std::runtime_error("cannot read image '" + name + "': " + why);
}

std::uint32_t be32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

/// What a file that is not a PNG most likely is, for the message.
std::string guess_format(const unsigned char* b, std::size_t n) {
    if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) return "a JPEG";
    if (n >= 4 && std::memcmp(b, "GIF8", 4) == 0) return "a GIF";
    if (n >= 2 && b[0] == 'B' && b[1] == 'M') return "a BMP";
    return "not a PNG";
}

/// The PNG with its empty IDAT chunks left out (they hold no data). stb_image copies a
/// first, empty IDAT with memcpy into a null buffer (undefined behaviour, found by the
/// fuzzer). Walking the chunks also proves each one lies inside the file.
std::vector<unsigned char> without_empty_idat(const unsigned char* b, std::size_t n, const std::string& name) {
    std::vector<unsigned char> out(b, b + 8);
    std::size_t at = 8;
    while (at < n) {
        if (n - at < 12) refuse(name, "truncated PNG chunk");
        const std::uint32_t length = be32(b + at);
        if (length > n - at - 12) refuse(name, "a PNG chunk runs past the end of the file");
        const std::size_t size = 12 + static_cast<std::size_t>(length);
        if (!(length == 0 && std::memcmp(b + at + 4, "IDAT", 4) == 0)) out.insert(out.end(), b + at, b + at + size);
        if (std::memcmp(b + at + 4, "IEND", 4) == 0) break;
        at += size;
    }
    return out;
}

}  // namespace

Tensor<double> decode_png_gray(const unsigned char* bytes, std::size_t n, const std::string& name) {
    if (n > max_image_file_bytes)
        refuse(name, "larger than " + std::to_string(max_image_file_bytes >> 20) + " MiB");
    // The signature and the IHDR chunk, which the PNG standard puts first: 8 + 8 + 13 bytes.
    if (n < 8 || std::memcmp(bytes, png_signature, 8) != 0)
        refuse(name, "it is " + guess_format(bytes, n) +
                         "; only PNG is read (convert it, e.g. `convert photo.jpg photo.png`)");
    if (n < 33 || std::memcmp(bytes + 12, "IHDR", 4) != 0) refuse(name, "truncated or corrupt PNG header");
    const std::uint32_t w = be32(bytes + 16), h = be32(bytes + 20);
    if (w == 0 || h == 0 || w > max_image_side || h > max_image_side)
        refuse(name, std::to_string(w) + "×" + std::to_string(h) + " pixels; the largest accepted is " +
                         std::to_string(max_image_side) + "×" + std::to_string(max_image_side));
    const std::vector<unsigned char> png = without_empty_idat(bytes, n, name);
    int width = 0, height = 0, channels = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> pixels(
        stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &width, &height, &channels, 3),
        stbi_image_free);
    if (!pixels) refuse(name, std::string("corrupt PNG (") + stbi_failure_reason() + ")");
    Tensor<double> g(Shape{1, 1, height, width});
    for (int i = 0; i < height; ++i)
        for (int j = 0; j < width; ++j) {
            const unsigned char* p = pixels.get() + (static_cast<std::size_t>(i) * width + j) * 3;
            g(i, j) = (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255.0;
        }
    return g;
}

Tensor<double> read_image_gray(const std::string& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (!std::filesystem::exists(status)) refuse(path, "no such file");
    if (std::filesystem::is_directory(status)) refuse(path, "is a directory, not a picture");
    if (!std::filesystem::is_regular_file(status))
        refuse(path, "not a regular file (a device or a pipe?), not a picture");
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) refuse(path, ec.message());
    if (size > max_image_file_bytes)
        refuse(path, "larger than " + std::to_string(max_image_file_bytes >> 20) + " MiB");
    std::vector<unsigned char> bytes(static_cast<std::size_t>(size));
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!in) refuse(path, "cannot read it");
    return decode_png_gray(bytes.data(), bytes.size(), path);
}

}  // namespace wb
