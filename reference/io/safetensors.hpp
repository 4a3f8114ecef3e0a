/// \file safetensors.hpp
/// \brief Checkpoints as safetensors files: readable by Python's `safetensors` package, or
/// by a few lines of json + numpy, written atomically and checksummed.
///
/// Layout (https://huggingface.co/docs/safetensors, "Format"): 8 bytes, the header length N
/// as a little-endian unsigned 64-bit integer; N bytes of JSON (padded with spaces); the raw
/// tensor data. The JSON maps each tensor name to {"dtype": "F32", "shape": [...],
/// "data_offsets": [begin, end]} (byte offsets into the data part) and holds string→string
/// metadata under "__metadata__".
///
/// This workbook adds one metadata entry, "checksum_fnv1a64": 16 hex digits of the 64-bit
/// FNV-1a hash of the data part followed by every other metadata entry as key, NUL, value,
/// NUL in sorted key order. read_safetensors() checks it, so a flipped bit anywhere in the
/// data or the metadata is an error rather than a silently different model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace wb {

/// One float32 tensor.
struct StTensor {
    std::string name;
    std::vector<std::int64_t> shape;
    std::vector<float> data;
};

/// A whole file: metadata and tensors (in file order).
struct StFile {
    std::map<std::string, std::string> metadata;
    std::vector<StTensor> tensors;
    const StTensor& tensor(const std::string& name) const;  ///< throws if absent
};

/// 64-bit FNV-1a of `n` bytes, continuing from `h` (start with the offset basis).
std::uint64_t fnv1a64(const void* data, std::size_t n, std::uint64_t h = 0xcbf29ce484222325ull);

/// A 64-bit value as 16 lower-case hex digits, the way checksums and fingerprints are written.
std::string hex64(std::uint64_t v);

/// The largest safetensors file read_safetensors accepts (a LeNet-5 checkpoint is under
/// 1 MiB), and the largest JSON header; both are checked before anything is allocated.
inline constexpr std::uint64_t max_safetensors_bytes = 256ull << 20;
inline constexpr std::uint64_t max_safetensors_header = 1ull << 20;

/// Writes `file` to `path` atomically (files.hpp: PATH.tmp, fsync, rename), so a crash
/// leaves the old file or the new one, never half of one, and a write error throws and
/// keeps the old one. Adds the checksum.
void write_safetensors(const std::string& path, const StFile& file);

/// Reads and validates a file written by write_safetensors (or any F32 safetensors file
/// with the checksum entry): size, header length, JSON syntax (nlohmann::json), dtypes,
/// shapes × 4 = byte ranges, ranges tiling the data part, the checksum. Any fault is a
/// std::runtime_error naming the file.
StFile read_safetensors(const std::string& path);

/// The same for a file's bytes already in memory; `name` is used in the messages.
/// `verify_checksum` false skips only the checksum (for the fuzzer, which re-signs).
StFile parse_safetensors(const char* bytes, std::size_t n, const std::string& name,
                         bool verify_checksum = true);

}  // namespace wb
