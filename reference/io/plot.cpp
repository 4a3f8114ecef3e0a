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

namespace {
/// Runs `draw` (which writes gnuplot commands) into a PNG at `path`: gnuplot writes a
/// scratch file and does not report write errors, so only a complete PNG (ending in its
/// IEND chunk) is then copied over `path`, through AtomicFile.
template <class Draw>
void render_png(const std::string& path, int width, int height, Draw draw) {
    if (!gnuplot_available())
        throw std::runtime_error("cannot plot '" + path + "': gnuplot is not installed (Debian "
                                 "package gnuplot-nox; ./workbook setup installs it)");
    const std::string parent = std::filesystem::path(path).parent_path().string();
    if (!parent.empty()) ensure_directory(parent);
    const std::string scratch = temporary_path(path + ".gnuplot");
    {
        Gnuplot gp("gnuplot -persist 2>&1");
        gp << "set terminal pngcairo size " << width << "," << height
           << " enhanced font 'Sans,11'\n"
           << "set output " << quoted(scratch) << "\n";
        draw(gp);
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
}  // namespace

void plot_png(const std::string& path, const PlotSpec& spec, const std::vector<Series>& curves) {
    for (const auto& s : curves)
        if (s.x.size() != s.y.size())
            throw std::runtime_error("plot '" + path + "': series '" + s.title + "' has " +
                                     std::to_string(s.x.size()) + " x and " +
                                     std::to_string(s.y.size()) + " y values");
    render_png(path, spec.width, spec.height, [&](Gnuplot& gp) {
        gp << "set title " << quoted(spec.title) << " noenhanced\n"
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
    });
}

void maps_png(const std::string& path, const std::string& title, const std::vector<MapPanel>& panels,
              int width, int height) {
    if (panels.empty()) throw std::runtime_error("maps_png '" + path + "': no panels");
    for (const auto& p : panels)
        if (!p.map.is_map() || p.map.size() == 0 || !(p.lo < p.hi))
            throw std::runtime_error("maps_png '" + path + "': panel '" + p.title + "' needs a 2-D map and lo < hi, got " +
                                     p.map.shape().str());
    render_png(path, width, height, [&](Gnuplot& gp) {
        gp << "set multiplot layout 1," << panels.size() << " title " << quoted(title) << " noenhanced\n"
           << "unset xtics\nunset ytics\nunset key\nset size ratio -1\nset cbtics font ',9'\n";
        for (const auto& p : panels) {
            gp << "set title " << quoted(p.title) << " noenhanced\n"
               << "set palette " << (p.diverging ? "defined (0 '#2166ac', 1 '#ffffff', 2 '#b2182b')" : "grey")
               << "\nset cbrange [" << p.lo << ":" << p.hi << "]\n"
               << "set xrange [-0.5:" << p.map.w() - 0.5 << "]\nset yrange [" << p.map.h() - 0.5
               << ":-0.5]\nplot '-' matrix with image\n";
            for (int i = 0; i < p.map.h(); ++i) {
                for (int j = 0; j < p.map.w(); ++j) gp << (j ? " " : "") << p.map(i, j);
                gp << "\n";
            }
            gp << "e\n";  // one e ends matrix data; a second is read as a command (an error exit)
        }
        gp << "unset multiplot\n";
    });
}

}  // namespace wb
