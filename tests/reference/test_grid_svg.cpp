// The grid figures (io/grid_svg.hpp): every cell gets its number, every panel its title,
// one colour scale across panels, marks outline the cells they name, bad input is refused.
#include <doctest/doctest.h>

#include <iterator>
#include <regex>
#include <stdexcept>
#include <string>

#include "io/grid_svg.hpp"

using M = wb::Tensor<double>;

namespace {

int count(const std::string& s, const std::string& what) {
    int n = 0;
    for (auto i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) ++n;
    return n;
}

// How many cells show the number `v`.
int cells_showing(const std::string& svg, const std::string& v) {
    const std::regex text("class=\"value\"[^>]*>" + v + "</text>");
    return static_cast<int>(std::distance(std::sregex_iterator(svg.begin(), svg.end(), text),
                                          std::sregex_iterator()));
}

// The fill of the cell whose value text is `v` (the rect is written just before its text).
std::string fill_of(const std::string& svg, const std::string& v) {
    const std::regex cell("fill=\"(#[0-9a-f]{6})\"[^>]*/><text class=\"value\"[^>]*>" + v + "</text>");
    std::smatch m;
    REQUIRE(std::regex_search(svg, m, cell));
    return m[1];
}

}  // namespace

TEST_CASE("grid_svg: one cell and one number per element, a title under each panel") {
    const std::string svg = wb::grid_svg({{M{{1, 2}, {3, 4}}, "x"}, {M{{5, 6, 7}}, "δ_{in}"}});
    CHECK(count(svg, "class=\"cell\"") == 7);
    CHECK(count(svg, "class=\"value\"") == 7);
    for (const char* v : {"1", "2", "3", "4", "5", "6", "7"}) CHECK(cells_showing(svg, v) == 1);
    CHECK(count(svg, "class=\"panel-title\"") == 2);
    CHECK(svg.find("δ<tspan baseline-shift=\"sub\" font-size=\"75%\">in</tspan>") != std::string::npos);
    CHECK(count(svg, "class=\"mark\"") == 0);
}

TEST_CASE("grid_svg: one colour scale for the whole figure, white at zero") {
    // The same value has the same colour in both panels; 0 is white; the largest is darkest.
    const std::string svg = wb::grid_svg({{M{{0, 4}}, "a"}, {M{{2, 8}}, "b"}});
    CHECK(fill_of(svg, "0") == "#ffffff");
    CHECK(fill_of(svg, "8") == "#2166ac");
    CHECK(fill_of(svg, "4") == fill_of(wb::grid_svg({{M{{4}}, "c"}, {M{{0, 8}}, "d"}}), "4"));
    // Both signs: a diverging scale, negatives blue, positives red, symmetric in |v|.
    const std::string both = wb::grid_svg({{M{{-2, 0, 2}}, "e"}});
    CHECK(fill_of(both, "−2") == "#2166ac");
    CHECK(fill_of(both, "2") == "#b2182b");
    CHECK(fill_of(both, "0") == "#ffffff");
}

TEST_CASE("grid_svg: whole numbers print as integers, others with two decimals and a real minus") {
    const std::string svg = wb::grid_svg({{M{{0.5, -0.25, -0.001}}, "f"}});
    CHECK(cells_showing(svg, "0.50") == 1);
    CHECK(cells_showing(svg, "−0.25") == 1);
    CHECK(cells_showing(svg, "0.00") == 1);  // −0.001 rounds to 0.00, not "−0.00"
}

TEST_CASE("grid_svg: a mark outlines exactly the cells it names") {
    const std::string svg = wb::grid_svg({{M{{1, 2, 3}, {4, 5, 6}}, "x", {{0, 1, 2, 2}}}});
    CHECK(count(svg, "class=\"mark\"") == 1);
    // Cells are 30 px from x = 14 (margin): columns 1–2, rows 0–1, inset by 1.5 px.
    CHECK(svg.find("class=\"mark\" x=\"45.5\" y=\"15.5\" width=\"57\" height=\"57\"") != std::string::npos);
}

TEST_CASE("grid_svg: a title longer than its grid widens the panel, so titles never overlap") {
    // Two 1×1 panels (30 px) with 19-character titles (about 170 px each at 15 px type):
    // the second grid starts after the first title, not 30 + 28 px after the first grid.
    const std::string svg = wb::grid_svg({{M{{1}}, "sample 0, channel 0"}, {M{{2}}, "sample 0, channel 1"}});
    const std::string needle = "class=\"panel-title\" x=\"";
    const std::size_t first = svg.find(needle), second = svg.find(needle, first + 1);
    REQUIRE(second != std::string::npos);
    const double gap_between_titles = std::stod(svg.substr(second + needle.size())) -
                                      std::stod(svg.substr(first + needle.size()));
    CHECK(gap_between_titles >= 9 * 19);
}

TEST_CASE("grid_svg: refuses what it cannot draw") {
    CHECK_THROWS_AS(wb::grid_svg({}), std::invalid_argument);
    CHECK_THROWS_AS(wb::grid_svg({{M::from(wb::Shape{1, 2, 1, 1}, {1, 2}), "two channels"}}),
                    std::invalid_argument);
    CHECK_THROWS_AS(wb::grid_svg({{M{{1, 2}}, "x", {{0, 1, 1, 2}}}}), std::invalid_argument);
    CHECK_THROWS_AS(wb::grid_svg({{M{{1, 2}}, "x", {{-1, 0}}}}), std::invalid_argument);
}
