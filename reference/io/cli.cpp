#include "cli.hpp"

#include "files.hpp"
#include "print.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

namespace wb {

Cli::Cli(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

Cli& Cli::option(const std::string& name, const std::string& fallback, const std::string& help) {
    order_.push_back(name);
    opts_[name] = Opt{fallback, fallback, help, false, false};
    return *this;
}

Cli& Cli::flag(const std::string& name, const std::string& help) {
    order_.push_back(name);
    opts_[name] = Opt{"", "", help, true, false};
    return *this;
}

Cli& Cli::epilog(const std::string& text) {
    epilog_ = text;
    return *this;
}

void Cli::parse(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i], value;
        if (arg == "--help" || arg == "-h") throw HelpRequested{usage()};
        const auto eq = arg.find('=');
        const bool inline_value = arg.rfind("--", 0) == 0 && eq != std::string::npos;
        if (inline_value) {
            value = arg.substr(eq + 1);
            arg = arg.substr(0, eq);
        }
        const auto it = opts_.find(arg);
        if (it == opts_.end())
            throw CliError("unknown option '" + arg + "' (see --help)");
        Opt& o = it->second;
        if (o.is_flag) {
            if (inline_value) throw CliError(arg + " takes no value");
        } else if (!inline_value) {
            if (i + 1 >= argc) throw CliError(arg + " needs a value");
            value = argv[++i];
        }
        if (!o.is_flag) o.value = value;
        o.given = true;
    }
}

const Cli::Opt& Cli::find(const std::string& name) const {
    const auto it = opts_.find(name);
    if (it == opts_.end()) throw std::logic_error("Cli: option " + name + " was never declared");
    return it->second;
}

const std::string& Cli::text(const std::string& name) const { return find(name).value; }

long Cli::integer(const std::string& name, long lo, long hi) const {
    const std::string range = hi == std::numeric_limits<long>::max()
                                  ? "≥ " + std::to_string(lo)
                                  : "from " + std::to_string(lo) + " to " + std::to_string(hi);
    const std::string& s = text(name);
    char* end = nullptr;
    errno = 0;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        throw CliError(name + " must be a whole number " + range + ", got '" + s + "'");
    return v;
}

double Cli::real(const std::string& name, double lo, double hi, Ends ends) const {
    const bool open_low = ends == Ends::open || ends == Ends::open_below;
    const bool open_high = ends == Ends::open || ends == Ends::open_above;
    const std::string range = std::isinf(hi)
                                  ? (open_low ? "> " : "≥ ") + shortest(lo)
                                  : std::string("in ") + (open_low ? "(" : "[") + shortest(lo) +
                                        ", " + shortest(hi) + (open_high ? ")" : "]");
    const std::string& s = text(name);
    char* end = nullptr;
    errno = 0;
    const double v = std::strtod(s.c_str(), &end);
    const bool inside = (open_low ? v > lo : v >= lo) && (open_high ? v < hi : v <= hi);
    if (s.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(v) || !inside)
        throw CliError(name + " must be a number " + range + ", got '" + s + "'");
    return v;
}

bool Cli::is_set(const std::string& name) const { return find(name).given; }

std::string Cli::usage() const {
    std::ostringstream os;
    os << "usage: " << program_ << " [options]\n" << summary_ << "\n\noptions:\n";
    for (const auto& name : order_) {
        const Opt& o = opts_.at(name);
        std::string left = name + (o.is_flag ? "" : " VALUE");
        os << "  " << left << std::string(left.size() < 20 ? 20 - left.size() : 1, ' ') << o.help;
        if (!o.is_flag && !o.fallback.empty()) os << " (default " << o.fallback << ")";
        os << '\n';
    }
    os << "  --help              this text\n";
    if (!epilog_.empty()) os << '\n' << epilog_ << '\n';
    return os.str();
}

int main_guard(const std::string& program, const std::function<int()>& body) {
    try {
        return body();
    } catch (const HelpRequested& h) {
        std::cout << h.usage;
        return 0;
    } catch (const std::exception& e) {
        std::cout.flush();
        std::cerr << program << ": error: " << e.what() << '\n';
        return 2;
    }
}

int chapter_main(int argc, char** argv, const std::string& program, const std::string& summary,
                 const std::string& default_out, const std::function<int(const std::string&)>& run) {
    return main_guard(program, [&] {
        Cli cli(program, summary);
        cli.option("--out", default_out, "directory for the figures");
        cli.parse(argc, argv);
        const std::string out = cli.text("--out");
        prepare_output_directory(out, "--out");  // before the work, not after it
        return run(out);
    });
}

}  // namespace wb
