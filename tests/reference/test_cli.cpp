// The options every chapter program reads (reference/io/cli.hpp): what is accepted, and the
// one line each kind of bad input gets. Messages are pinned whole: a learner reads them.
#include <doctest/doctest.h>

#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "io/cli.hpp"

namespace {

/// A Cli with --n (whole), --x (real), --name (text) and --fast (flag), given `args`.
wb::Cli parsed(std::vector<std::string> args) {
    wb::Cli cli("prog", "A test program.");
    cli.option("--n", "5", "a count").option("--x", "0.5", "a rate").option("--name", "", "a file");
    cli.flag("--fast", "go fast");
    args.insert(args.begin(), "prog");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    cli.parse(static_cast<int>(argv.size()), argv.data());
    return cli;
}

/// The CliError's message for `args` and reading --n in [lo, hi] ("" if it reads).
std::string integer_error(const std::string& value, long lo, long hi) {
    try {
        parsed({"--n", value}).integer("--n", lo, hi);
        return "";
    } catch (const wb::CliError& e) {
        return e.what();
    }
}

std::string real_error(const std::string& value, double lo, double hi, wb::Cli::Ends ends) {
    try {
        parsed({"--x", value}).real("--x", lo, hi, ends);
        return "";
    } catch (const wb::CliError& e) {
        return e.what();
    }
}

std::string parse_error(std::vector<std::string> args) {
    try {
        parsed(std::move(args));
        return "";
    } catch (const wb::CliError& e) {
        return e.what();
    }
}

}  // namespace

TEST_CASE("Cli: defaults, both spellings of a value, flags and is_set") {
    const auto plain = parsed({});
    CHECK(plain.integer("--n", 1, 9) == 5);
    CHECK(plain.real("--x", 0, 1) == 0.5);
    CHECK_FALSE(plain.is_set("--n"));
    CHECK_FALSE(plain.is_set("--fast"));
    const auto given = parsed({"--n", "7", "--x=0.25", "--fast", "--name=a=b"});
    CHECK(given.integer("--n", 1, 9) == 7);
    CHECK(given.real("--x", 0, 1) == 0.25);
    CHECK(given.text("--name") == "a=b");
    CHECK(given.is_set("--n"));
    CHECK(given.is_set("--fast"));
    CHECK(parsed({"--n", "-3"}).integer("--n", -3, 0) == -3);  // a value may start with '-'
}

TEST_CASE("Cli: a whole number is accepted at both ends of its range and refused past them") {
    CHECK(integer_error("1", 1, 1000) == "");
    CHECK(integer_error("1000", 1, 1000) == "");
    CHECK(integer_error("0", 1, 1000) == "--n must be a whole number from 1 to 1000, got '0'");
    CHECK(integer_error("1001", 1, 1000) == "--n must be a whole number from 1 to 1000, got '1001'");
    // Text that is no whole number gets the same line.
    for (const std::string bad : {"", "x", "3.5", "2k", "99999999999999999999"})
        CHECK(integer_error(bad, 1, 1000) == "--n must be a whole number from 1 to 1000, got '" + bad + "'");
    const long any = std::numeric_limits<long>::max();
    CHECK(integer_error("123456789012", 0, any) == "");
    CHECK(integer_error("-1", 0, any) == "--n must be a whole number ≥ 0, got '-1'");
}

TEST_CASE("Cli: a real number's range, each kind of end") {
    using E = wb::Cli::Ends;
    CHECK(real_error("0", 0, 1, E::closed) == "");
    CHECK(real_error("1", 0, 1, E::closed) == "");
    CHECK(real_error("1.5", 0, 1, E::closed) == "--x must be a number in [0, 1], got '1.5'");
    CHECK(real_error("0", 0, 10, E::open) == "--x must be a number in (0, 10), got '0'");
    CHECK(real_error("10", 0, 10, E::open) == "--x must be a number in (0, 10), got '10'");
    CHECK(real_error("9.99", 0, 10, E::open) == "");
    CHECK(real_error("0", 0, 1, E::open_above) == "");
    CHECK(real_error("1", 0, 1, E::open_above) == "--x must be a number in [0, 1), got '1'");
    CHECK(real_error("1", 0, 1, E::open_below) == "");
    CHECK(real_error("0", 0, 1, E::open_below) == "--x must be a number in (0, 1], got '0'");
    const double inf = std::numeric_limits<double>::infinity();
    CHECK(real_error("1e300", 0, inf, E::open_below) == "");
    CHECK(real_error("0", 0, inf, E::open_below) == "--x must be a number > 0, got '0'");
    CHECK(real_error("-0.5", 0, inf, E::closed) == "--x must be a number ≥ 0, got '-0.5'");
    // Not numbers, not finite, or too large for a double: the same line.
    for (const std::string bad : {"", "abc", "0.5x", "nan", "inf", "1e999"})
        CHECK(real_error(bad, 0, inf, E::closed) == "--x must be a number ≥ 0, got '" + bad + "'");
}

TEST_CASE("Cli: unknown options, missing values and a flag given a value are refused") {
    CHECK(parse_error({"--bogus", "1"}) == "unknown option '--bogus' (see --help)");
    CHECK(parse_error({"n", "1"}) == "unknown option 'n' (see --help)");
    CHECK(parse_error({"--n"}) == "--n needs a value");
    CHECK(parse_error({"--fast=yes"}) == "--fast takes no value");
    CHECK_THROWS_AS(parsed({}).text("--undeclared"), std::logic_error);
}

TEST_CASE("Cli: --help stops parsing with the usage, which lists every option and its default") {
    std::string usage;
    try {
        parsed({"--n", "x", "--help"});
    } catch (const wb::HelpRequested& h) {
        usage = h.usage;
    }
    CHECK(usage ==
          "usage: prog [options]\n"
          "A test program.\n\n"
          "options:\n"
          "  --n VALUE           a count (default 5)\n"
          "  --x VALUE           a rate (default 0.5)\n"
          "  --name VALUE        a file\n"
          "  --fast              go fast\n"
          "  --help              this text\n");
}

TEST_CASE("main_guard: an error is one line on stderr and exit 2, help is exit 0") {
    std::ostringstream err, out;
    auto* old_err = std::cerr.rdbuf(err.rdbuf());
    auto* old_out = std::cout.rdbuf(out.rdbuf());
    const int refused = wb::main_guard("prog", [] () -> int { throw wb::CliError("--n is wrong"); });
    const int helped = wb::main_guard("prog", [] () -> int { throw wb::HelpRequested{"usage\n"}; });
    const int fine = wb::main_guard("prog", [] { return 0; });
    std::cerr.rdbuf(old_err);
    std::cout.rdbuf(old_out);
    CHECK(refused == 2);
    CHECK(helped == 0);
    CHECK(fine == 0);
    CHECK(err.str() == "prog: error: --n is wrong\n");
    CHECK(out.str() == "usage\n");
}
