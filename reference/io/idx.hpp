/// \file idx.hpp
/// \brief Reading the IDX files of MNIST and Fashion-MNIST, plain or gzip'd, defensively.
///
/// IDX (LeCun's format): a 4-byte magic 0x00 0x00 TYPE NDIM, then NDIM big-endian 32-bit
/// sizes, then the data in row-major order. Images are type 0x08 (unsigned byte) with 3
/// dimensions (count, rows, columns); labels are 0x08 with 1 dimension (count).
///
/// Everything is checked before a byte of data is allocated: the magic, the type, the
/// number of dimensions, that no size is 0, that the sizes fit the limits, and that the
/// file holds exactly header + count·rows·cols bytes (for gzip, the length recorded in the
/// gzip trailer). A truncated, corrupt, mismatched or oversized file is a
/// std::runtime_error whose one-line reason names the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wb {

/// A set of grey images, `count` of `rows`×`cols` bytes each (0 = background).
struct IdxImages {
    int count = 0, rows = 0, cols = 0;
    std::vector<std::uint8_t> pixels;  ///< count·rows·cols bytes, image by image, row by row
};

/// Reads an idx3-ubyte image file, gzip'd or not (detected from the content).
IdxImages read_idx_images(const std::string& path);

/// Reads an idx1-ubyte label file, gzip'd or not. Every label must be below `classes`.
std::vector<std::uint8_t> read_idx_labels(const std::string& path, int classes = 10);

/// Images with their labels; the two files must hold the same number of items.
struct IdxDataset {
    IdxImages images;
    std::vector<std::uint8_t> labels;
};

/// `prefix` is "train" or "t10k". Looks in `dir` for the usual names:
/// PREFIX-images-idx3-ubyte[.gz] and PREFIX-labels-idx1-ubyte[.gz], also with a dot
/// before "idx" (PREFIX-images.idx3-ubyte), as some copies of MNIST name them.
/// A missing file is an error that lists the names tried.
IdxDataset load_idx_dataset(const std::string& dir, const std::string& prefix,
                            int classes = 10);

/// The file in `dir` for one of the above (images or labels); throws if none exists.
std::string find_idx_file(const std::string& dir, const std::string& prefix,
                          const std::string& kind);

}  // namespace wb
