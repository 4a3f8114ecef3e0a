// libFuzzer harness: the picture reader (io/image.hpp) on any bytes: the signature and
// size checks, then stb_image's PNG decoder (the only one compiled in).
#include <cstdint>
#include <stdexcept>

#include "io/image.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const wb::Tensor<double> g = wb::decode_png_gray(data, size, "fuzz");
        if (g.h() < 1 || g.w() < 1 || g.h() > wb::max_image_side || g.w() > wb::max_image_side)
            __builtin_trap();
        for (double v : g)
            if (!(v >= 0 && v <= 1)) __builtin_trap();  // grey levels are in [0, 1]
    } catch (const std::runtime_error&) {
    }
    return 0;
}
