/// \file files.hpp
/// \brief Writing files so that nothing is lost: a new file appears whole or not at all,
/// every write error is reported, and the previous good file is kept.
///
/// A file is written as a temporary PATH.wbPID.tmp (PID: this process), flushed to the disk
/// (fsync), then renamed over PATH; a kill at any moment leaves the old PATH or the new one,
/// never half of one. A failed write removes its temporary file (a full disk stays no
/// fuller) and throws. Only names of that form are ever removed: a user's own `*.tmp` is
/// not the workbook's, and a temporary file of another run still alive is left to it.
///
/// For the fault tests, the environment variable WB_FAULT ("kill:N" or "fail:N") makes the
/// N-th step of writing in this process (open, each write, sync, close, rename) kill the
/// process with SIGKILL, or fail as if the disk were full. Unset, it costs one branch.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <vector>

namespace wb {

/// Creates `dir` (and its parents) if needed; refuses an empty name, which would mean
/// the root directory. `what` names it for the user, e.g. "--out".
void ensure_directory(const std::string& dir, const std::string& what = "directory");

/// ensure_directory, then proves a file can be created in `dir` (before any long work
/// whose results would go there), and removes the temporary files (temporary_path) that a
/// run no longer alive left in it.
void prepare_output_directory(const std::string& dir, const std::string& what = "--out");

/// The name this process writes `path` under before renaming it: PATH.wbPID.tmp.
std::string temporary_path(const std::string& path);

/// True if `name` is a temporary name of a workbook program whose process has ended
/// (it was killed before its rename); false for every other name, the user's included.
bool is_stale_temporary(const std::string& name);

/// One file being written atomically, as described above.
class AtomicFile {
public:
    /// `what` says what the file is ("checkpoint", "PNG") in error messages.
    AtomicFile(std::string path, std::string what);
    ~AtomicFile();  ///< without commit(): closes and removes the temporary file
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    void write(const void* data, std::size_t n);  ///< throws on any error
    void commit();                                ///< fsync, close, rename; throws on error

private:
    [[noreturn]] void fail(const std::string& why);
    std::string path_, tmp_, what_;
    std::FILE* f_ = nullptr;
    bool committed_ = false;
};

/// Writes `bytes` to `path` atomically.
void write_file_atomically(const std::string& path, const std::string& what,
                           const std::vector<unsigned char>& bytes);

/// The fault-test hook: counts one step of writing; true if this step must fail (errno is
/// then ENOSPC); never returns if it must be killed. `step` names it in WB_FAULT_LOG.
bool fault_point(const char* step);

/// Sets the fault as WB_FAULT would ("kill:N", "fail:N", or "" for none) and restarts the
/// count: for tests inside one process.
void set_fault(const std::string& spec);

}  // namespace wb
