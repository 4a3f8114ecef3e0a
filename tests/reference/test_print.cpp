// format_rows (reference/io/print.hpp): how every chapter and every failed check prints a
// map. Whole numbers print without decimals, anything else with the digits asked for, and
// the columns line up.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "io/print.hpp"

using Rows = std::vector<std::string>;

TEST_CASE("format_rows: whole numbers, right-aligned to the widest, -0 printed as 0") {
    const double v[] = {1, -2, 30, -0.0};
    CHECK(wb::format_rows(v, 2, 2) == Rows{"[  1 -2 ]", "[ 30  0 ]"});
    const double one[] = {7};
    CHECK(wb::format_rows(one, 1, 1) == Rows{"[ 7 ]"});
}

TEST_CASE("format_rows: one non-whole number prints all with the significant digits asked for") {
    const double v[] = {0.5, 1.0 / 3, 2};
    CHECK(wb::format_rows(v, 1, 3, 3) == Rows{"[   0.5 0.333     2 ]"});
    CHECK(wb::format_rows(v, 3, 1, 2) == Rows{"[  0.5 ]", "[ 0.33 ]", "[    2 ]"});
}

TEST_CASE("format_rows: numbers too large to print exactly as whole use the digits") {
    const double v[] = {1e12, 3};
    CHECK(wb::format_rows(v, 1, 2, 3) == Rows{"[ 1e+12     3 ]"});
    CHECK(wb::format_rows(v, 0, 2).empty());
}
