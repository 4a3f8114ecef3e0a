/// \file cli.hpp
/// \brief Options for chapter programs, and the guard that turns any bad input into one
/// line on stderr and exit status 2.
#pragma once

#include <exception>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace wb {

/// Bad command-line input; main_guard() reports it and exits 2.
struct CliError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A declared set of `--name value` options and `--flag`s. Unknown options, missing values
/// and numbers that do not parse or fall outside their range are CliErrors; `--help` prints
/// the usage and exits 0.
class Cli {
public:
    Cli(std::string program, std::string summary);

    Cli& option(const std::string& name, const std::string& fallback, const std::string& help);
    Cli& flag(const std::string& name, const std::string& help);
    /// Appends free text (e.g. the architecture) to --help.
    Cli& epilog(const std::string& text);

    void parse(int argc, char** argv);

    const std::string& text(const std::string& name) const;
    /// Which ends of a range belong to it: [lo, hi], (lo, hi), [lo, hi) or (lo, hi].
    enum class Ends { closed, open, open_above, open_below };
    /// The option as a whole number in [lo, hi], else one CliError, the same for a bad
    /// number and one out of range: "--epochs must be a whole number from 1 to 1000, got '0'".
    long integer(const std::string& name, long lo, long hi) const;
    /// The option as a finite number in the range, else one CliError:
    /// "--lr must be a number in (0, 10), got '20'". hi = infinity leaves it unbounded.
    double real(const std::string& name, double lo, double hi, Ends ends = Ends::closed) const;
    bool is_set(const std::string& name) const;  ///< a flag given, or an option given explicitly

    std::string usage() const;
    const std::string& program() const { return program_; }

private:
    struct Opt {
        std::string value, fallback, help;  // --help shows the fallback, whatever was given
        bool is_flag = false, given = false;
    };
    const Opt& find(const std::string& name) const;

    std::string program_, summary_, epilog_;
    std::vector<std::string> order_;
    std::map<std::string, Opt> opts_;
};

/// Thrown by Cli::parse on --help; main_guard prints the usage and exits 0.
struct HelpRequested {
    std::string usage;
};

/// Runs `body`, turning every exception into "<program>: error: <reason>" and exit 2.
int main_guard(const std::string& program, const std::function<int()>& body);

/// The whole main() of a chapter whose one option is `--out DIR` (default
/// out/NN_name): parses, then returns run(out_dir), all inside main_guard.
int chapter_main(int argc, char** argv, const std::string& program, const std::string& summary,
                 const std::string& default_out, const std::function<int(const std::string&)>& run);

}  // namespace wb
