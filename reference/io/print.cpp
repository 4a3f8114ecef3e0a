#include "print.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace wb {

namespace {
bool all_integral(const double* v, std::size_t count) {
    return std::all_of(v, v + count,
                       [](double x) { return std::abs(x) < 1e12 && x == std::round(x); });
}

std::string format_number(double x, bool integral, int digits) {
    char buf[64];
    if (integral)
        std::snprintf(buf, sizeof buf, "%.0f", x == 0 ? 0.0 : x);  // no "-0"
    else
        std::snprintf(buf, sizeof buf, "%.*g", digits, x);
    return buf;
}

/// Display width of a UTF-8 string: code points, not bytes.
std::size_t display_width(const std::string& s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
}
}  // namespace

std::vector<std::string> format_rows(const double* v, int h, int w, int digits) {
    const std::size_t count = static_cast<std::size_t>(h) * static_cast<std::size_t>(w);
    const bool integral = all_integral(v, count);
    std::vector<std::string> cells(count);
    std::size_t width = 1;
    for (std::size_t i = 0; i < count; ++i) {
        cells[i] = format_number(v[i], integral, digits);
        width = std::max(width, display_width(cells[i]));
    }
    std::vector<std::string> rows;
    for (int i = 0; i < h; ++i) {
        std::string row = "[";
        for (int j = 0; j < w; ++j) {
            const std::string& cell = cells[static_cast<std::size_t>(i * w + j)];
            row += std::string(width + 1 - display_width(cell), ' ') + cell;
        }
        rows.push_back(row + " ]");
    }
    return rows;
}

void print_block(std::ostream& os, std::string_view label, const double* v, int h, int w,
                 int digits) {
    os << "  " << label << " (" << h << "×" << w << ") =\n";
    for (const auto& row : format_rows(v, h, w, digits)) os << "    " << row << '\n';
}

void print_heading(std::ostream& os, std::string_view title) {
    os << '\n'
       << title << '\n'
       << std::string(std::min<std::size_t>(display_width(std::string(title)), 78), '-') << '\n';
}

bool Report::check(bool ok, std::string_view text) {
    os_ << (ok ? "  [ok]   " : "  [FAIL] ") << text << '\n';
    if (!ok) ++failures_;
    return ok;
}

std::string sci(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
    return buf;
}

std::string fixed(double v, int decimals) {
    char buf[352];  // DBL_MAX has 309 digits before the point
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string shortest(double v) {
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

}  // namespace wb
