#include "grid_svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "files.hpp"

namespace wb {

namespace {

struct Rgb {
    double r, g, b;
};

constexpr Rgb white{255, 255, 255}, blue{33, 102, 172}, red{178, 24, 43};

Rgb mix(Rgb a, Rgb b, double t) {
    return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

std::string hex(Rgb c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround(c.r)),
                  static_cast<int>(std::lround(c.g)), static_cast<int>(std::lround(c.b)));
    return buf;
}

/// The figure's one colour scale: diverging around 0 when the values have both signs.
struct Scale {
    double lo, hi;
    bool diverging;

    // How far v is from the scale's "nothing" colour (white), in [0, 1], and the colour.
    double strength(double v) const {
        if (diverging) {
            const double m = std::max(std::abs(lo), std::abs(hi));
            return m > 0 ? std::min(1.0, std::abs(v) / m) : 0.0;
        }
        return hi > lo ? std::clamp((v - lo) / (hi - lo), 0.0, 1.0) : 0.0;
    }
    // Negative values blue, positive red on a diverging scale; a one-signed scale is blue.
    Rgb colour(double v) const {
        const Rgb far = diverging && v > 0 ? red : blue;
        return mix(white, far, strength(v));
    }
};

Scale scale_of(const std::vector<GridPanel>& panels) {
    double lo = 0, hi = 0;
    bool first = true;
    for (const auto& p : panels)
        for (double v : p.map) {
            lo = first ? v : std::min(lo, v);
            hi = first ? v : std::max(hi, v);
            first = false;
        }
    if (lo < 0 && hi > 0) return {lo, hi, true};
    if (hi <= 0) return {lo, 0.0, true};  // all ≤ 0: the blue half of the diverging scale
    return {std::min(lo, 0.0), hi, false};
}

bool all_whole(const std::vector<GridPanel>& panels) {
    for (const auto& p : panels)
        for (double v : p.map)
            if (std::abs(v - std::round(v)) > 1e-9 || std::abs(v) > 1e6) return false;
    return true;
}

std::string number(double v, bool whole) {
    char buf[32];
    if (whole) {
        std::snprintf(buf, sizeof buf, "%.0f", std::round(v) == 0 ? 0.0 : std::round(v));
    } else {
        std::snprintf(buf, sizeof buf, "%.2f", v);
        if (std::string(buf) == "-0.00") return "0.00";
    }
    std::string s = buf;
    if (!s.empty() && s[0] == '-') s = "−" + s.substr(1);  // a real minus sign
    return s;
}

std::string escape(const std::string& s) {
    std::string out;
    for (char ch : s) {
        switch (ch) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            default: out += ch;
        }
    }
    return out;
}

/// A title with _x / _{…} subscripts and ^x / ^{…} superscripts as SVG tspans.
std::string title_markup(const std::string& t) {
    std::string out;
    for (std::size_t i = 0; i < t.size();) {
        const char c = t[i];
        if ((c == '_' || c == '^') && i + 1 < t.size()) {
            std::size_t start = i + 1, end;
            if (t[start] == '{') {
                end = t.find('}', start);
                if (end == std::string::npos) end = t.size();
                ++start;
            } else {
                end = start + 1;
                while (end < t.size() && (static_cast<unsigned char>(t[end]) & 0xC0) == 0x80) ++end;
            }
            out += std::string("<tspan baseline-shift=\"") + (c == '_' ? "sub" : "super") +
                   "\" font-size=\"75%\">" + escape(t.substr(start, end - start)) + "</tspan>";
            i = end + (end < t.size() && t[end] == '}' ? 1 : 0);
        } else {
            out += escape(std::string(1, c));
            ++i;
        }
    }
    return out;
}

// Characters of a UTF-8 string (for estimating a label's width).
int glyphs(const std::string& s) {
    int n = 0;
    for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
    return n;
}

}  // namespace

std::string grid_svg(const std::vector<GridPanel>& panels) {
    if (panels.empty()) throw std::invalid_argument("grid_svg: no panels");
    for (const auto& p : panels)
        if (!p.map.is_map() || p.map.size() == 0)
            throw std::invalid_argument("grid_svg: panel '" + p.title + "' needs a 2-D map, got " +
                                        p.map.shape().str());
    const Scale scale = scale_of(panels);
    const bool whole = all_whole(panels);
    int widest = 1;
    for (const auto& p : panels)
        for (double v : p.map) widest = std::max(widest, glyphs(number(v, whole)));
    const int cell = std::max(30, 12 + 8 * widest), gap = 28, margin = 14, title_h = 34,
              font = 13;

    // A panel's slot is as wide as its grid or its title, whichever is wider (a title of
    // 15 px type takes about 9 px a character), with the grid centred in it: titles longer
    // than their grid do not run into the next panel's.
    int width = margin, tallest = 0;
    std::vector<int> x0;
    for (const auto& p : panels) {
        const int slot = std::max(p.map.w() * cell, 9 * glyphs(p.title));
        x0.push_back(width + (slot - p.map.w() * cell) / 2);
        width += slot + gap;
        tallest = std::max(tallest, p.map.h() * cell);
    }
    width = std::max(width - gap + margin, 260);
    const int bar_y = margin + tallest + title_h + 6, height = bar_y + 34;

    std::ostringstream s;
    s << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" viewBox=\"0 0 " << width << ' ' << height << "\" font-family=\"DejaVu Sans, Verdana, sans-serif\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
    for (std::size_t k = 0; k < panels.size(); ++k) {
        const auto& p = panels[k];
        const int px = x0[k], py = margin, pw = p.map.w() * cell, ph = p.map.h() * cell;
        s << "<g class=\"panel\">\n";
        for (int i = 0; i < p.map.h(); ++i)
            for (int j = 0; j < p.map.w(); ++j) {
                const double v = p.map(i, j);
                const int x = px + j * cell, y = py + i * cell;
                s << "<rect class=\"cell\" x=\"" << x << "\" y=\"" << y << "\" width=\"" << cell
                  << "\" height=\"" << cell << "\" fill=\"" << hex(scale.colour(v))
                  << "\" stroke=\"#9aa5b1\" stroke-width=\"1\"/>"
                  << "<text class=\"value\" x=\"" << x + cell / 2 << "\" y=\"" << y + cell / 2
                  << "\" font-size=\"" << font << "\" text-anchor=\"middle\" dominant-baseline=\"central\" fill=\""
                  << (scale.strength(v) > 0.6 ? "#ffffff" : "#1f2328") << "\">" << number(v, whole)
                  << "</text>\n";
            }
        s << "<rect x=\"" << px << "\" y=\"" << py << "\" width=\"" << pw << "\" height=\"" << ph
          << "\" fill=\"none\" stroke=\"#3d4852\" stroke-width=\"1.5\"/>\n";
        for (const auto& m : p.marks) {
            if (m.row < 0 || m.col < 0 || m.rows < 1 || m.cols < 1 || m.row + m.rows > p.map.h() ||
                m.col + m.cols > p.map.w())
                throw std::invalid_argument("grid_svg: a mark outside panel '" + p.title + "'");
            s << "<rect class=\"mark\" x=\"" << px + m.col * cell + 1.5 << "\" y=\""
              << py + m.row * cell + 1.5 << "\" width=\"" << m.cols * cell - 3 << "\" height=\""
              << m.rows * cell - 3 << "\" fill=\"none\" stroke=\"#f08c00\" stroke-width=\"3\"/>\n";
        }
        s << "<text class=\"panel-title\" x=\"" << px + pw / 2 << "\" y=\"" << py + ph + 24
          << "\" font-size=\"15\" text-anchor=\"middle\" fill=\"#1f2328\">" << title_markup(p.title)
          << "</text>\n</g>\n";
    }
    // The colour bar: the one scale every panel uses.
    const int bar_w = 180;
    s << "<defs><linearGradient id=\"scale\">";
    const std::vector<double> at = scale.diverging ? std::vector<double>{scale.lo, 0.0, scale.hi}
                                                   : std::vector<double>{scale.lo, scale.hi};
    for (double v : at)
        s << "<stop offset=\"" << (scale.hi > scale.lo ? (v - scale.lo) / (scale.hi - scale.lo) : 0)
          << "\" stop-color=\"" << hex(scale.colour(v)) << "\"/>";
    s << "</linearGradient></defs>\n<g class=\"colour-scale\"><rect x=\"" << margin << "\" y=\""
      << bar_y << "\" width=\"" << bar_w << "\" height=\"10\" fill=\"url(#scale)\" stroke=\"#9aa5b1\"/>\n";
    for (double v : at) {
        const double x = margin + (scale.hi > scale.lo ? (v - scale.lo) / (scale.hi - scale.lo) : 0) * bar_w;
        s << "<text x=\"" << x << "\" y=\"" << bar_y + 25 << "\" font-size=\"11\" text-anchor=\"middle\" fill=\"#1f2328\">"
          << number(v, whole) << "</text>\n";
    }
    s << "</g>\n</svg>\n";
    return s.str();
}

void write_grid_svg(const std::string& path, const std::vector<GridPanel>& panels) {
    const std::string text = grid_svg(panels);
    write_file_atomically(path, "SVG figure", std::vector<unsigned char>(text.begin(), text.end()));
}

}  // namespace wb
