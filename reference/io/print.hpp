/// \file print.hpp
/// \brief How chapters talk: headings, aligned matrices labelled with the notes' symbols,
/// and one-line verdicts.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "tensor.hpp"

namespace wb {

/// Formats an h×w block of numbers as aligned rows "[ 4  3  4 ]". Integers print without
/// decimals; anything else with `digits` significant digits.
std::vector<std::string> format_rows(const double* v, int h, int w, int digits = 6);

/// Prints `label =` and the map under it, indented. A tensor with several planes prints
/// each as `label[n,c]`.
template <class T>
void print_map(std::ostream& os, std::string_view label, const Tensor<T>& t, int digits = 6);

/// A numbered section heading of a chapter's narration.
void print_heading(std::ostream& os, std::string_view title);

/// Collects a chapter's checks: prints "[ok] text" or "[FAIL] text" and remembers failures,
/// so main() can return exit_code().
class Report {
public:
    explicit Report(std::ostream& os) : os_(os) {}
    bool check(bool ok, std::string_view text);
    int exit_code() const { return failures_ == 0 ? 0 : 1; }
    int failures() const { return failures_; }

private:
    std::ostream& os_;
    int failures_ = 0;
};

/// "3.2e-12": a relative error or other small quantity, compactly.
std::string sci(double v, int digits = 2);

/// "0.637059": `decimals` digits after the point.
std::string fixed(double v, int decimals);

/// The shortest text that reads back as the same double ("0.03", "9.999234418532805e-08"),
/// the way Python prints a float; what files store when a number must survive exactly.
std::string shortest(double v);

// ---- template definitions -------------------------------------------------------------

void print_block(std::ostream& os, std::string_view label, const double* v, int h, int w,
                 int digits);

template <class T>
void print_map(std::ostream& os, std::string_view label, const Tensor<T>& t, int digits) {
    std::vector<double> plane(static_cast<std::size_t>(t.h()) * static_cast<std::size_t>(t.w()));
    for (int n = 0; n < t.n(); ++n)
        for (int c = 0; c < t.c(); ++c) {
            for (int i = 0; i < t.h(); ++i)
                for (int j = 0; j < t.w(); ++j)
                    plane[static_cast<std::size_t>(i * t.w() + j)] =
                        static_cast<double>(t(n, c, i, j));
            const std::string name = t.is_map() ? std::string(label)
                                                : std::string(label) + "[" + std::to_string(n) +
                                                      "," + std::to_string(c) + "]";
            print_block(os, name, plane.data(), t.h(), t.w(), digits);
        }
}

}  // namespace wb
