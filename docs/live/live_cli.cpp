// The native twin of the WebAssembly panels: reads requests separated by lines "---" from a
// file (or stdin) and prints each JSON answer on its own line. tests/live compares its
// output with the WebAssembly build's, byte for byte.
//
//   live_cli [--weights FILE] [REQUESTS]      answers the requests
//   live_cli --init-weights SEED FILE         writes He-initialised LeNet weights (raw float32)
//   live_cli --panels                         prints the panel table (registry.hpp) as JSON
#include <cstring>
#include <iterator>
#include <fstream>
#include <iostream>
#include <sstream>

#include "registry.hpp"

namespace {

std::vector<float> read_floats(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.size() % sizeof(float)) throw std::runtime_error(path + " is not a whole number of floats");
    std::vector<float> v(bytes.size() / sizeof(float));
    std::memcpy(v.data(), bytes.data(), bytes.size());
    return v;
}

void write_floats(const std::string& path, const std::vector<float>& v) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
    if (!out.flush()) throw std::runtime_error("cannot write " + path);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        std::vector<std::string> args(argv + 1, argv + argc);
        if (args.size() == 3 && args[0] == "--init-weights") {
            wb::Rng rng(std::stoull(args[1]));
            auto p = ch11::init_params<float>(rng);
            std::vector<float> all;
            for (const auto& v : ch11::param_views(p)) all.insert(all.end(), v.values.begin(), v.values.end());
            write_floats(args[2], all);
            return 0;
        }
        if (args.size() == 1 && args[0] == "--panels") {
            std::cout << live::panels_json() << '\n';
            return 0;
        }
        if (args.size() >= 2 && args[0] == "--weights") {
            live::set_lenet_weights(read_floats(args[1]));
            args.erase(args.begin(), args.begin() + 2);
        }
        if (args.size() > 1) throw std::runtime_error("usage: live_cli [--weights FILE] [REQUESTS] | --panels | --init-weights SEED FILE");
        std::ifstream file;
        if (!args.empty()) {
            file.open(args[0]);
            if (!file) throw std::runtime_error("cannot read " + args[0]);
        }
        std::istream& in = args.empty() ? std::cin : file;
        std::string line, request;
        auto answer = [&] {
            if (!request.empty()) std::cout << live::handle(request) << '\n';
            request.clear();
        };
        while (std::getline(in, line)) {
            if (line == "---") answer();
            else request += line + '\n';
        }
        answer();
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "live_cli: " << e.what() << '\n';
        return 2;
    }
}
