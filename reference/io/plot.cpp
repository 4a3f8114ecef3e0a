#include "plot.hpp"

#include <gnuplot-iostream.h>

#include <cstdlib>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <tuple>

#include "image.hpp"

namespace wb {

bool gnuplot_available() {
    const char* path = std::getenv("PATH");
    if (!path) return false;
    std::stringstream dirs(path);
    for (std::string dir; std::getline(dirs, dir, ':');)
        if (!dir.empty() && std::filesystem::exists(std::filesystem::path(dir) / "gnuplot"))
            return true;
    return false;
}

namespace {
/// gnuplot strings are single-quoted; a quote inside is doubled.
std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}
}  // namespace

void plot_png(const std::string& path, const PlotSpec& spec, const std::vector<Series>& curves) {
    if (!gnuplot_available())
        throw std::runtime_error("cannot plot '" + path + "': gnuplot is not installed (Debian "
                                 "package gnuplot-nox; ./workbook setup installs it)");
    for (const auto& s : curves)
        if (s.x.size() != s.y.size())
            throw std::runtime_error("plot '" + path + "': series '" + s.title + "' has " +
                                     std::to_string(s.x.size()) + " x and " +
                                     std::to_string(s.y.size()) + " y values");
    const std::string parent = std::filesystem::path(path).parent_path().string();
    if (!parent.empty()) ensure_directory(parent);
    // gnuplot writes a scratch file and does not report write errors; only a complete PNG
    // (ending in its IEND chunk) is then copied over `path`, through AtomicFile.
    const std::string scratch = temporary_path(path + ".gnuplot");
    {
        Gnuplot gp("gnuplot -persist 2>&1");
        gp << "set terminal pngcairo size " << spec.width << "," << spec.height
           << " enhanced font 'Sans,11'\n"
           << "set output " << quoted(scratch) << "\n"
           << "set title " << quoted(spec.title) << " noenhanced\n"
           << "set xlabel " << quoted(spec.xlabel) << " noenhanced\n"
           << "set ylabel " << quoted(spec.ylabel) << " noenhanced\n"
           << "set grid\nset key outside right top noenhanced\n";
        if (spec.log_y) gp << "set logscale y\nset format y '10^{%L}'\n";
        gp << "plot ";
        for (std::size_t i = 0; i < curves.size(); ++i)
            gp << (i ? ", " : "") << "'-' using 1:2 with " << curves[i].style
               << (curves[i].style.find("lw") == std::string::npos ? " lw 2" : "") << " title "
               << quoted(curves[i].title);
        gp << "\n";
        for (const auto& s : curves) gp.send1d(std::make_tuple(s.x, s.y));
        gp << "unset output\n";
    }  // closing the pipe waits for gnuplot to finish writing
    std::ifstream in(scratch, std::ios::binary);
    const std::vector<unsigned char> png((std::istreambuf_iterator<char>(in)), {});
    in.close();
    std::error_code ec;
    std::filesystem::remove(scratch, ec);
    static constexpr unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    if (png.size() < 12 || !std::equal(png.end() - 12, png.end(), iend))
        throw std::runtime_error("gnuplot did not write a complete '" + path +
                                 "' (disk full? its messages are above)" +
                                 (std::filesystem::exists(path, ec) ? "; the previous file is kept" : ""));
    write_file_atomically(path, "plot", png);
}

}  // namespace wb
