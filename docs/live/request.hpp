/// \file request.hpp
/// \brief What a live panel sends: plain text, one `key=value` per line, read defensively.
///
/// The page copies its input cells into the text as typed (an empty cell stays empty,
/// text stays text), so every check of the reader's input happens here, in C++, and comes
/// back as a one-line reason the page shows next to the panel.
#pragma once

#include <cmath>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tensor.hpp"
#include "utf8.hpp"

namespace live {

using Map = wb::Tensor<double>;

/// Throws std::invalid_argument: the reason the page shows.
[[noreturn]] inline void refuse(const std::string& why) { throw std::invalid_argument(why); }

inline std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string_view::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

/// The smallest size of a number other than 0 that a panel takes: products of three such
/// numbers are still normal doubles (above 2.2e-308).
inline constexpr double smallest_number = 1e-100;

/// One number as the reader typed it: a finite decimal, 0 or of size at least
/// smallest_number, nothing else on the cell.
inline double parse_number(const std::string& where, const std::string& cell) {
    const std::string t = trim(cell);
    if (t.empty()) refuse(where + " is empty");
    if (t.size() > 40) refuse(where + " is too long to be a number");
    const char* begin = t.c_str();
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    // strtod also reads "inf", "nan" and hexadecimal; a panel takes plain decimals only.
    const bool plain = t.find_first_not_of("0123456789+-.eE") == std::string::npos;
    if (end == begin || *end != '\0' || !plain) refuse(where + ": '" + t + "' is not a number");
    if (!std::isfinite(v)) refuse(where + ": " + t + " is too large");
    // Products of a few numbers this small would be subnormal, which processors compute
    // many times slower (a chapter 10 fit at lr 4e-320 took 1.5 s instead of 60 ms).
    if (v != 0 && std::abs(v) < smallest_number)
        refuse(where + ": " + t + " is too close to 0 (write 0, or a number of size 1e-100 or more)");
    return v;
}

/// The parsed request: its keys and their raw values.
class Request {
public:
    /// Lines `key=value`; blank lines are skipped. At most 1 MB in all.
    explicit Request(std::string_view text) {
        if (text.size() > (1u << 20)) refuse("the request is larger than 1 MB");
        std::size_t start = 0;
        while (start <= text.size()) {
            auto end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            const std::string line = trim(text.substr(start, end - start));
            start = end + 1;
            if (line.empty()) continue;
            const auto eq = line.find('=');
            if (eq == std::string::npos || eq == 0) refuse("a request line has no 'key=': " + clip(line, 40));
            values_[trim(line.substr(0, eq))] = line.substr(eq + 1);
        }
    }

    bool has(const std::string& key) const { return values_.count(key) != 0; }

    const std::string& text(const std::string& key) const {
        const auto it = values_.find(key);
        if (it == values_.end()) refuse("the request has no " + key);
        return it->second;
    }

    double number(const std::string& key) const { return parse_number(key, text(key)); }

    /// A whole number in [lo, hi] (a panel's sizes are small, so bounds come first).
    int integer(const std::string& key, int lo, int hi) const {
        const double v = number(key);
        if (v != std::floor(v)) refuse(key + " must be a whole number, got " + trim(text(key)));
        if (v < lo || v > hi)
            refuse(key + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                   ", got " + trim(text(key)));
        return static_cast<int>(v);
    }

    /// A matrix written row by row: rows separated by ';', cells by ','. Every row must
    /// have the same number of cells, and the matrix at most max_rows×max_cols.
    Map matrix(const std::string& key, int max_rows, int max_cols) const {
        return parse_matrix(key, text(key), max_rows, max_cols);
    }

    /// A stack of equal-sized matrices, N×C×H×W: samples (or kernels) separated by '/',
    /// the maps of one by '|', each map as matrix() reads it. A map's cells are named
    /// key + its 1-based indices, "w21 row 1, column 2" (kernel 2, slice 1), or "delta2 …"
    /// when max_n is 1, so the page can mark the cell.
    Map tensor(const std::string& key, int max_n, int max_c, int max_rows, int max_cols) const {
        const std::vector<std::string> stacks = split(text(key), '/');
        if (static_cast<int>(stacks.size()) > max_n)
            refuse(key + " has " + std::to_string(stacks.size()) + " stacks of maps; this panel takes at most " +
                   std::to_string(max_n));
        std::vector<std::vector<Map>> maps;
        for (std::size_t n = 0; n < stacks.size(); ++n) {
            const std::vector<std::string> parts = split(stacks[n], '|');
            if (static_cast<int>(parts.size()) > max_c)
                refuse(key + " has " + std::to_string(parts.size()) + " maps; this panel takes at most " +
                       std::to_string(max_c));
            if (parts.size() != split(stacks[0], '|').size())
                refuse(key + ": stack " + std::to_string(n + 1) + " has " + std::to_string(parts.size()) +
                       " maps, stack 1 has " + std::to_string(split(stacks[0], '|').size()));
            maps.emplace_back();
            for (std::size_t c = 0; c < parts.size(); ++c) {
                const std::string name = key + (max_n > 1 ? std::to_string(n + 1) : "") + std::to_string(c + 1);
                maps.back().push_back(parse_matrix(name, parts[c], max_rows, max_cols));
                if (maps.back().back().shape() != maps[0][0].shape())
                    refuse(name + " is " + dims(maps.back().back()) + ", " + key +
                           (max_n > 1 ? "11" : "1") + " is " + dims(maps[0][0]) + ": the maps must be the same size");
            }
        }
        const Map& first = maps[0][0];
        Map t(wb::Shape{static_cast<int>(maps.size()), static_cast<int>(maps[0].size()), first.h(), first.w()});
        for (int n = 0; n < t.n(); ++n)
            for (int c = 0; c < t.c(); ++c) t.add_to_plane(n, c, maps[static_cast<std::size_t>(n)][static_cast<std::size_t>(c)]);
        return t;
    }

private:
    static std::string dims(const Map& m) { return std::to_string(m.h()) + "×" + std::to_string(m.w()); }

    static Map parse_matrix(const std::string& key, const std::string& text, int max_rows, int max_cols) {
        const std::vector<std::string> rows = split(text, ';');
        if (static_cast<int>(rows.size()) > max_rows)
            refuse(key + " has " + std::to_string(rows.size()) + " rows; this panel takes at most " +
                   std::to_string(max_rows));
        std::vector<std::vector<std::string>> cells;
        for (const auto& r : rows) cells.push_back(split(r, ','));
        const int h = static_cast<int>(cells.size()), w = static_cast<int>(cells[0].size());
        if (w > max_cols)
            refuse(key + " has " + std::to_string(w) + " columns; this panel takes at most " +
                   std::to_string(max_cols));
        Map m(wb::Shape{1, 1, h, w});
        for (int i = 0; i < h; ++i) {
            if (static_cast<int>(cells[static_cast<std::size_t>(i)].size()) != w)
                refuse(key + ": row " + std::to_string(i + 1) + " has " +
                       std::to_string(cells[static_cast<std::size_t>(i)].size()) +
                       " cells, row 1 has " + std::to_string(w));
            for (int j = 0; j < w; ++j)
                m(i, j) = parse_number(key + " row " + std::to_string(i + 1) + ", column " +
                                           std::to_string(j + 1),
                                       cells[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]);
        }
        return m;
    }

    static std::vector<std::string> split(const std::string& s, char sep) {
        std::vector<std::string> parts;
        std::size_t start = 0;
        while (true) {
            const auto at = s.find(sep, start);
            parts.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
            if (at == std::string::npos) return parts;
            start = at + 1;
        }
    }

    std::map<std::string, std::string> values_;
};

}  // namespace live
