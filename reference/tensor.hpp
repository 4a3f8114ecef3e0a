/// \file tensor.hpp
/// \brief The one data type of the workbook: a dense N×C×H×W tensor, templated on the scalar.
///
/// Derivations and gradient checks use `Tensor<double>`; LeNet trains in `Tensor<float>`.
/// A single 2-D map (the matrices of the notes) is a tensor with N = C = 1.
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#ifdef WB_BOUNDS_BACKTRACE
#include <sanitizer/common_interface_defs.h>

#include <cstdio>
#endif

namespace wb {

/// Sizes of the four axes: batch N, channels C, height H, width W.
struct Shape {
    int n = 1, c = 1, h = 1, w = 1;

    std::size_t size() const {
        return static_cast<std::size_t>(n) * static_cast<std::size_t>(c) *
               static_cast<std::size_t>(h) * static_cast<std::size_t>(w);
    }
    bool operator==(const Shape&) const = default;

    /// "2×3×5×5", or "5×5" when N = C = 1, the way the notes write sizes.
    std::string str() const {
        std::string hw = std::to_string(h) + "×" + std::to_string(w);
        if (n == 1 && c == 1) return hw;
        return std::to_string(n) + "×" + std::to_string(c) + "×" + hw;
    }
};

/// Throws std::invalid_argument("<where>: <what>") — the one way shape errors are reported.
[[noreturn]] inline void shape_error(const std::string& where, const std::string& what) {
    throw std::invalid_argument(where + ": " + what);
}

/// Throws unless `got == expected`, naming both shapes. The names are views, so a check
/// that passes builds no string (the fast layers check every call of a training step).
inline void require_shape(std::string_view where, std::string_view name, const Shape& got,
                          const Shape& expected) {
    if (!(got == expected))
        shape_error(std::string(where), std::string(name) + " is " + got.str() + ", expected " + expected.str());
}

/// Dense row-major N×C×H×W storage. Element (n, c, h, w) sits at ((n·C + c)·H + h)·W + w.
template <class T>
class Tensor {
public:
    Tensor() : shape_{0, 0, 0, 0} {}

    explicit Tensor(Shape s, T fill = T{}) : shape_(check(s)), data_(s.size(), fill) {}

    /// Takes shape `s` and keeps the storage when it is big enough (the values are left as
    /// they were, new ones 0): for buffers that a training step reuses, whose last and
    /// smaller batch must not cost an allocation.
    void resize(Shape s) {
        shape_ = check(s);
        data_.resize(s.size());
    }

    /// A 2-D map (N = C = 1) written row by row, as the notes print matrices.
    Tensor(std::initializer_list<std::initializer_list<T>> rows) : shape_{0, 0, 0, 0} {
        const int h = static_cast<int>(rows.size());
        const int w = h ? static_cast<int>(rows.begin()->size()) : 0;
        shape_ = check(Shape{1, 1, h, w});
        data_.reserve(shape_.size());
        for (const auto& row : rows) {
            if (static_cast<int>(row.size()) != w)
                shape_error("Tensor", "ragged rows: a row has " + std::to_string(row.size()) +
                                          " values, the first has " + std::to_string(w));
            data_.insert(data_.end(), row.begin(), row.end());
        }
    }

    /// A tensor of shape `s` filled from `values` in storage order (count checked).
    static Tensor from(Shape s, std::initializer_list<T> values) {
        return from(s, std::vector<T>(values));
    }
    static Tensor from(Shape s, std::vector<T> values) {
        Tensor t(s);
        if (values.size() != t.size())
            shape_error("Tensor::from", "shape " + s.str() + " holds " + std::to_string(t.size()) +
                                            " values, got " + std::to_string(values.size()));
        t.data_ = std::move(values);
        return t;
    }

    const Shape& shape() const { return shape_; }
    int n() const { return shape_.n; }
    int c() const { return shape_.c; }
    int h() const { return shape_.h; }
    int w() const { return shape_.w; }
    std::size_t size() const { return data_.size(); }
    bool is_map() const { return shape_.n == 1 && shape_.c == 1; }

    T& operator()(int n, int c, int h, int w) { return data_[index(n, c, h, w)]; }
    const T& operator()(int n, int c, int h, int w) const { return data_[index(n, c, h, w)]; }
    /// Element (h, w) of a 2-D map.
    T& operator()(int h, int w) { return data_[index(0, 0, h, w)]; }
    const T& operator()(int h, int w) const { return data_[index(0, 0, h, w)]; }

    T* data() { return data_.data(); }
    const T* data() const { return data_.data(); }
    auto begin() { return data_.begin(); }
    auto end() { return data_.end(); }
    auto begin() const { return data_.begin(); }
    auto end() const { return data_.end(); }
    std::vector<T>& values() { return data_; }
    const std::vector<T>& values() const { return data_; }

    bool operator==(const Tensor& o) const { return shape_ == o.shape_ && data_ == o.data_; }

    /// Plane (n, c) as its own 2-D map (a copy).
    Tensor plane(int n, int c) const {
        check_plane("Tensor::plane", n, c);
        Tensor p(Shape{1, 1, shape_.h, shape_.w});
        const auto first = data_.begin() + static_cast<std::ptrdiff_t>(index(n, c, 0, 0));
        std::copy(first, first + static_cast<std::ptrdiff_t>(p.size()), p.data_.begin());
        return p;
    }

    /// Adds a 2-D map of this tensor's H×W into plane (n, c).
    void add_to_plane(int n, int c, const Tensor& map) {
        check_plane("Tensor::add_to_plane", n, c);
        require_shape("Tensor::add_to_plane", "the map", map.shape(),
                      Shape{1, 1, shape_.h, shape_.w});
        T* dst = data_.data() + index(n, c, 0, 0);
        for (std::size_t i = 0; i < map.size(); ++i) dst[i] += map.data_[i];
    }

private:
    static Shape check(Shape s) {
        if (s.n < 0 || s.c < 0 || s.h < 0 || s.w < 0)
            shape_error("Tensor", "negative size in shape " + s.str());
        return s;
    }
    void check_plane(const char* where, int n, int c) const {
        if (n < 0 || n >= shape_.n || c < 0 || c >= shape_.c)
            shape_error(where, "plane (" + std::to_string(n) + ", " + std::to_string(c) +
                                   ") is outside " + shape_.str());
    }
    std::size_t index(int n, int c, int h, int w) const {
#ifdef WB_CHECKED
        // The sanitizer build checks every access; the optimised build trusts the
        // shape checks made at each public entry.
        if (n < 0 || n >= shape_.n || c < 0 || c >= shape_.c || h < 0 || h >= shape_.h ||
            w < 0 || w >= shape_.w)
            outside(n, c, h, w);
#endif
        return ((static_cast<std::size_t>(n) * shape_.c + c) * shape_.h + h) * shape_.w + w;
    }

#ifdef WB_CHECKED
    [[noreturn]] void outside(int n, int c, int h, int w) const {
        const std::string what = "Tensor: element (" + std::to_string(n) + "," +
                                 std::to_string(c) + "," + std::to_string(h) + "," +
                                 std::to_string(w) + ") is outside " + shape_.str();
#ifdef WB_BOUNDS_BACKTRACE
        // The learner build also says where: `./workbook check` finds the learner's own
        // line in this stack.
        std::fprintf(stderr, "wb-bounds: %s\n", what.c_str());
        __sanitizer_print_stack_trace();
#endif
        throw std::out_of_range(what);
    }
#endif

    Shape shape_;
    std::vector<T> data_;
};

}  // namespace wb
