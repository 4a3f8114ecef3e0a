#include "files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace wb {

namespace {

namespace fs = std::filesystem;

/// WB_FAULT parsed once: which step to hit, and how.
struct Fault {
    long at = 0;  // 0: never
    bool kill = false;
    const char* log = nullptr;
    long count = 0;
};

Fault parse_fault(const std::string& s) {
    Fault r;
    if (s.empty()) return r;
    const auto colon = s.find(':');
    const std::string how = s.substr(0, colon);
    char* end = nullptr;
    if (colon != std::string::npos) r.at = std::strtol(s.c_str() + colon + 1, &end, 10);
    if ((how != "kill" && how != "fail") || r.at < 1 || *end != '\0')
        throw std::runtime_error("WB_FAULT must be kill:N or fail:N with N ≥ 1, got '" + s + "'");
    r.kill = how == "kill";
    return r;
}

Fault& fault() {
    static Fault f = [] {
        const char* spec = std::getenv("WB_FAULT");
        Fault r = parse_fault(spec ? spec : "");
        r.log = std::getenv("WB_FAULT_LOG");
        return r;
    }();
    return f;
}

void fsync_directory(const fs::path& dir) {
    // Makes the rename itself durable; a directory that cannot be opened is no error.
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

bool fault_point(const char* step) {
    Fault& f = fault();
    ++f.count;
    if (f.log)
        if (std::FILE* l = std::fopen(f.log, "a")) {
            std::fprintf(l, "%ld %s\n", f.count, step);
            std::fclose(l);
        }
    if (f.count != f.at) return false;
    if (f.kill) std::raise(SIGKILL);
    errno = ENOSPC;
    return true;
}

void set_fault(const std::string& spec) {
    const char* log = fault().log;
    fault() = parse_fault(spec);
    fault().log = log;
}

void ensure_directory(const std::string& dir, const std::string& what) {
    if (dir.empty())
        throw std::runtime_error(what + " is empty; give a directory name (\".\" for this one)");
    std::error_code ec;
    if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
        throw std::runtime_error(what + " '" + dir + "' is not a directory");
    fs::create_directories(dir, ec);
    if (ec) throw std::runtime_error("cannot create " + what + " '" + dir + "': " + ec.message());
}

std::string temporary_path(const std::string& path) {
    return path + ".wb" + std::to_string(::getpid()) + ".tmp";
}

bool is_stale_temporary(const std::string& name) {
    // NAME.wbPID.tmp with PID all digits, and no process of that number left.
    static const std::string suffix = ".tmp";
    if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        return false;
    const std::string stem = name.substr(0, name.size() - suffix.size());
    const auto dot = stem.rfind(".wb");
    if (dot == std::string::npos) return false;
    const std::string digits = stem.substr(dot + 3);
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string::npos)
        return false;
    const long pid = std::stol(digits);
    // kill(pid, 0) probes without signalling; EPERM means alive under another user.
    return pid > 0 && pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

void prepare_output_directory(const std::string& dir, const std::string& what) {
    ensure_directory(dir, what);
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
        if (is_stale_temporary(e.path().filename().string()) && e.is_regular_file(ec))
            fs::remove(e.path(), ec);
    const fs::path probe = temporary_path((fs::path(dir) / ".write_probe").string());
    std::FILE* f = std::fopen(probe.c_str(), "wb");
    const int err = errno;
    if (!f)
        throw std::runtime_error("cannot write into " + what + " '" + dir + "': " + std::strerror(err));
    std::fclose(f);
    fs::remove(probe, ec);
}

AtomicFile::AtomicFile(std::string path, std::string what)
    : path_(std::move(path)), tmp_(temporary_path(path_)), what_(std::move(what)) {
    if (path_.empty() || fs::path(path_).filename().empty())
        throw std::runtime_error("cannot write " + what_ + " '" + path_ + "': not a file name");
    const fs::path parent = fs::path(path_).parent_path();
    if (!parent.empty()) ensure_directory(parent.string());
    if (!fault_point("open")) f_ = std::fopen(tmp_.c_str(), "wb");
    if (!f_) fail(std::strerror(errno));
}

AtomicFile::~AtomicFile() {
    if (committed_) return;
    if (f_) std::fclose(f_);
    std::error_code ec;
    fs::remove(tmp_, ec);
}

void AtomicFile::fail(const std::string& why) {
    if (f_) std::fclose(f_);
    f_ = nullptr;
    std::error_code ec;
    fs::remove(tmp_, ec);
    throw std::runtime_error("cannot write " + what_ + " '" + path_ + "': " + why +
                             (fs::exists(path_, ec) ? " (the previous file is kept)" : ""));
}

void AtomicFile::write(const void* data, std::size_t n) {
    if (fault_point("write") || std::fwrite(data, 1, n, f_) != n) fail(std::strerror(errno));
}

void AtomicFile::commit() {
    // stdio buffers: the error of a full disk may show only at fflush or fclose.
    if (fault_point("flush") || std::fflush(f_) != 0) fail(std::strerror(errno));
    if (fault_point("fsync") || ::fsync(::fileno(f_)) != 0) fail(std::strerror(errno));
    const bool closed = !fault_point("close") && std::fclose(f_) == 0;
    f_ = nullptr;
    if (!closed) fail(std::strerror(errno));
    if (fault_point("rename") || std::rename(tmp_.c_str(), path_.c_str()) != 0)
        fail(std::strerror(errno));
    committed_ = true;
    fsync_directory(fs::path(path_).parent_path());
}

void write_file_atomically(const std::string& path, const std::string& what,
                           const std::vector<unsigned char>& bytes) {
    AtomicFile f(path, what);
    f.write(bytes.data(), bytes.size());
    f.commit();
}

}  // namespace wb
