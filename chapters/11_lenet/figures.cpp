#include "11_lenet/figures.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>

#include "io/plot.hpp"

namespace ch11 {

namespace {

/// 3×5 glyphs: five rows of three bits, top row first, leftmost column the high bit.
const std::map<char, std::array<unsigned char, 5>>& font() {
    static const std::map<char, std::array<unsigned char, 5>> f = {
        {'0', {7, 5, 5, 5, 7}}, {'1', {2, 6, 2, 2, 7}}, {'2', {7, 1, 7, 4, 7}},
        {'3', {7, 1, 7, 1, 7}}, {'4', {5, 5, 7, 1, 1}}, {'5', {7, 4, 7, 1, 7}},
        {'6', {7, 4, 7, 5, 7}}, {'7', {7, 1, 1, 2, 2}}, {'8', {7, 5, 7, 5, 7}},
        {'9', {7, 5, 7, 1, 7}}, {'A', {2, 5, 7, 5, 5}}, {'B', {6, 5, 6, 5, 6}},
        {'C', {7, 4, 4, 4, 7}}, {'D', {6, 5, 5, 5, 6}}, {'E', {7, 4, 6, 4, 7}},
        {'F', {7, 4, 6, 4, 4}}, {'G', {7, 4, 5, 5, 7}}, {'H', {5, 5, 7, 5, 5}},
        {'I', {7, 2, 2, 2, 7}}, {'J', {1, 1, 1, 5, 7}}, {'K', {5, 5, 6, 5, 5}},
        {'L', {4, 4, 4, 4, 7}}, {'M', {5, 7, 7, 5, 5}}, {'N', {6, 5, 5, 5, 5}},
        {'O', {7, 5, 5, 5, 7}}, {'P', {7, 5, 7, 4, 4}}, {'Q', {7, 5, 5, 7, 1}},
        {'R', {7, 5, 6, 5, 5}}, {'S', {7, 4, 7, 1, 7}}, {'T', {7, 2, 2, 2, 2}},
        {'U', {5, 5, 5, 5, 7}}, {'V', {5, 5, 5, 5, 2}}, {'W', {5, 5, 7, 7, 5}},
        {'X', {5, 5, 2, 5, 5}}, {'Y', {5, 5, 2, 2, 2}}, {'Z', {7, 1, 2, 4, 7}},
        {':', {0, 2, 0, 2, 0}}, {'>', {4, 2, 1, 2, 4}}, {'-', {0, 0, 7, 0, 0}},
        {'.', {0, 0, 0, 0, 2}}, {'/', {1, 1, 2, 4, 4}}, {'@', {7, 5, 7, 4, 7}},
        {'=', {0, 7, 0, 7, 0}}, {'%', {5, 1, 2, 4, 5}}, {'+', {0, 2, 7, 2, 0}},
        {' ', {0, 0, 0, 0, 0}},
    };
    return f;
}

wb::Tensor<double> plane(const Tensor<float>& t, int n, int c) {
    wb::Tensor<double> m(Shape{1, 1, t.h(), t.w()});
    for (int i = 0; i < t.h(); ++i)
        for (int j = 0; j < t.w(); ++j) m(i, j) = t(n, c, i, j);
    return m;
}

/// Column n of a rows×N matrix laid out as an h×w map (row-major, zero-filled).
wb::Tensor<double> column_as_map(const Tensor<float>& m, int n, int h, int w) {
    wb::Tensor<double> out(Shape{1, 1, h, w});
    for (int r = 0; r < m.h() && r < h * w; ++r) out(r / w, r % w) = m(r, n);
    return out;
}

wb::Tensor<double> digit_map(const Dataset& d, int index) {
    wb::Tensor<double> m(Shape{1, 1, 28, 28});
    for (int i = 0; i < 784; ++i) m.data()[i] = d.pixels[static_cast<std::size_t>(index) * 784 + i];
    return m;
}

}  // namespace

int draw_text(wb::Canvas& c, int x, int y, const std::string& text, int scale, unsigned char r,
              unsigned char g, unsigned char b) {
    for (char ch : text) {
        const auto it = font().find(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
        if (it != font().end())
            for (int row = 0; row < 5; ++row)
                for (int col = 0; col < 3; ++col)
                    if (it->second[static_cast<std::size_t>(row)] & (4 >> col))
                        for (int dy = 0; dy < scale; ++dy)
                            for (int dx = 0; dx < scale; ++dx)
                                c.set(x + col * scale + dx, y + row * scale + dy, r, g, b);
        x += 4 * scale;
    }
    return x;
}

void plot_curves(const std::string& dir, const History& h) {
    std::vector<double> ep;
    for (std::size_t i = 0; i < h.train_loss.size(); ++i) ep.push_back(static_cast<double>(i + 1));
    const auto pct = [](std::vector<double> v) {
        for (auto& x : v) x *= 100;
        return v;
    };
    wb::plot_png(dir + "/11_loss.png", {"LeNet-5: cross-entropy per epoch (train: mean over the epoch; validation: after it)", "epoch", "loss", true},
                 {{"train", ep, h.train_loss, "linespoints"},
                  {"validation", ep, h.val_loss, "linespoints"}});
    wb::plot_png(dir + "/11_accuracy.png", {"LeNet-5: accuracy per epoch", "epoch", "accuracy (%)"},
                 {{"train", ep, pct(h.train_acc), "linespoints"},
                  {"validation", ep, pct(h.val_acc), "linespoints"}});
}

void draw_feature_maps(const std::string& path, const Params<float>& w, const Dataset& test,
                       int index) {
    const std::vector<int> one{index};
    const Forward<float> f = forward(w, gather_images(test, one, 0, 1), Engine{false, 1});
    const int pred = predicted(f.prob, 0);
    struct Row {
        std::string label;
        std::vector<wb::Tensor<double>> maps;
        int scale;
    };
    std::vector<Row> rows;
    rows.push_back({"INPUT 28X28", {digit_map(test, index)}, 4});
    const auto maps_of = [&](const Tensor<float>& t) {
        std::vector<wb::Tensor<double>> v;
        for (int c = 0; c < t.c(); ++c) v.push_back(plane(t, 0, c));
        return v;
    };
    rows.push_back({"C1+RELU 6@28X28", maps_of(f.a1), 3});
    rows.push_back({"POOL 6@14X14", maps_of(f.p1), 4});
    auto c3 = maps_of(f.a3);
    rows.push_back({"C3+RELU 16@10X10", c3, 4});
    rows.push_back({"POOL 16@5X5", maps_of(f.p3), 7});
    rows.push_back({"FC120+RELU", {column_as_map(f.a5, 0, 6, 20)}, 8});
    rows.push_back({"FC84+RELU", {column_as_map(f.a6, 0, 4, 21)}, 8});
    rows.push_back({"SOFTMAX 0-9", {column_as_map(f.prob, 0, 1, 10)}, 16});

    const int label_w = 4 * 2 * 17 + 10, gap = 6, margin = 8;
    int width = 0, height = margin;
    for (const auto& r : rows) {
        int wsum = label_w;
        int h = 0;
        for (const auto& m : r.maps) {
            wsum += m.w() * r.scale + gap;
            h = std::max(h, m.h() * r.scale);
        }
        width = std::max(width, wsum + margin);
        height += std::max(h, 12) + 2 * gap;
    }
    height += 20;
    wb::Canvas c(width, height, 255);
    int y = margin;
    for (const auto& r : rows) {
        draw_text(c, margin, y, r.label, 2);
        int x = label_w, h = 0;
        for (const auto& m : r.maps) {
            // Softmax as probabilities on a fixed 0..1 scale; every other map on its own range.
            if (r.label.rfind("SOFTMAX", 0) == 0)
                c.draw_map(m, x, y, r.scale, 0.0, 1.0);
            else
                c.draw_map(m, x, y, r.scale);
            x += m.w() * r.scale + gap;
            h = std::max(h, m.h() * r.scale);
        }
        if (r.label.rfind("SOFTMAX", 0) == 0)
            for (int k = 0; k < 10; ++k)
                draw_text(c, label_w + k * 16 + 5, y + 18, std::to_string(k), 2,
                          k == pred ? 200 : 0, 0, 0);
        y += std::max(h, 12) + 2 * gap;
    }
    draw_text(c, margin, y + 8,
              "LABEL " + std::to_string(test.labels[static_cast<std::size_t>(index)]) +
                  "  PREDICTED " + std::to_string(pred),
              2);
    wb::write_png(path, c);
}

void draw_c1_kernels(const std::string& path, const Params<float>& w) {
    const int scale = 16, gap = 10;
    wb::Canvas c(6 * (5 * scale + gap) + gap, 5 * scale + 2 * gap + 14, 255);
    for (int k = 0; k < 6; ++k) {
        const int x = gap + k * (5 * scale + gap);
        c.draw_map(plane(w.c1w, k, 0), x, gap, scale);
        draw_text(c, x + 5 * scale / 2 - 4, 5 * scale + gap + 4, std::to_string(k + 1), 2);
    }
    wb::write_png(path, c);
}

int draw_misclassified(const std::string& path, const Dataset& test,
                       const std::vector<int>& predictions, int max_shown) {
    std::vector<int> wrong;
    for (int i = 0; i < test.count && i < static_cast<int>(predictions.size()); ++i)
        if (predictions[static_cast<std::size_t>(i)] != test.labels[static_cast<std::size_t>(i)])
            wrong.push_back(i);
    const int shown = std::min<int>(max_shown, static_cast<int>(wrong.size()));
    const int cols = 12, scale = 2, cell_w = 28 * scale + 10, cell_h = 28 * scale + 24;
    const int rows_n = std::max(1, (shown + cols - 1) / cols);
    wb::Canvas c(cols * cell_w + 10, rows_n * cell_h + 10, 255);
    for (int i = 0; i < shown; ++i) {
        const int idx = wrong[static_cast<std::size_t>(i)];
        const int x = 10 + (i % cols) * cell_w, y = 8 + (i / cols) * cell_h;
        c.draw_map(digit_map(test, idx), x, y, scale, 0.0, 1.0);
        // "true>predicted": the true label in black, the network's answer in red.
        const int after = draw_text(c, x + 10, y + 28 * scale + 4,
                                    std::to_string(test.labels[static_cast<std::size_t>(idx)]) + ">", 3);
        draw_text(c, after, y + 28 * scale + 4,
                  std::to_string(predictions[static_cast<std::size_t>(idx)]), 3, 210, 0, 0);
    }
    if (shown == 0) draw_text(c, 10, 10, "NO MISTAKES", 3);
    wb::write_png(path, c);
    return static_cast<int>(wrong.size());
}

}  // namespace ch11
