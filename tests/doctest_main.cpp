// The doctest runner, compiled once and linked into every test program, with the "verdict"
// reporter that `./workbook check` uses (`-r=verdict`): it stops at the first failing check
// and prints it in a few lines, so the most useful failure is the one a learner sees.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <sstream>
#include <string>

#include "check.hpp"

#ifdef WB_BOUNDS_BACKTRACE
// The learner build: every throw keeps its stack (raw addresses, cheap), so an exception
// that escapes into a failure names the learner's line, as a bounds error does, even when
// a library helper threw it (Tensor::add_to_plane's shape check, say).
#include <dlfcn.h>
#include <execinfo.h>
#include <sanitizer/common_interface_defs.h>

#include <cstring>

namespace {
thread_local void* throw_stack[64];
thread_local int throw_depth = 0;
}  // namespace

// (The type is a std::type_info*; g++'s own declaration of __cxa_throw says void*.)
extern "C" [[noreturn]] void __cxa_throw(void* thrown, void* type, void (*destroy)(void*)) {
    throw_depth = backtrace(throw_stack, 64);
    using Throw = void (*)(void*, void*, void (*)(void*));
    static const auto real = reinterpret_cast<Throw>(dlsym(RTLD_NEXT, "__cxa_throw"));
    real(thrown, type, destroy);
    __builtin_unreachable();
}

namespace {
/// "exercises/ID/name.cpp:LINE (in FUNCTION)": the first frame of the last throw's stack in
/// an exercise file, or "" if none is.
std::string thrown_from() {
    for (int i = 1; i < throw_depth; ++i) {
        char where[1024];
        // The return address minus one lies inside the call, so its line is the call's.
        __sanitizer_symbolize_pc(static_cast<char*>(throw_stack[i]) - 1, "%s:%l (in %f)", where,
                                 sizeof where);
        const char* at = std::strstr(where, "/exercises/");
        if (at != nullptr && std::strstr(where, "/tests/exercises/") == nullptr) return at + 1;
    }
    return "";
}
}  // namespace
#else
namespace {
std::string thrown_from() { return ""; }
}  // namespace
#endif

std::string wbtest::thrown_at() {
    const std::string at = thrown_from();
    return at.empty() ? "" : "\n  thrown in a call made at " + at;
}

namespace {

/// Lines for the workbook script start with "@@wb "; everything else is for the learner.
/// A failure that is only an untouched stub's "not implemented" is held back: if nothing in
/// the run did anything else, the verdict is "not started"; otherwise it is shown last.
class Verdict : public doctest::IReporter {
public:
    explicit Verdict(const doctest::ContextOptions& opt) : out_(*opt.cout) {}

    void report_query(const doctest::QueryData&) override {}
    void test_run_start() override {}
    void test_case_start(const doctest::TestCaseData& tc) override {
        case_ = &tc;
        out_ << "@@wb case " << tc.m_name << std::endl;  // flushed: a hang names its check
    }
    void test_case_reenter(const doctest::TestCaseData&) override {}
    void test_case_end(const doctest::CurrentTestCaseStats& st) override {
        passed_ += st.numAssertsCurrentTest - st.numAssertsFailedCurrentTest;
    }
    void test_case_exception(const doctest::TestCaseException& e) override {
        // After a crash doctest raises the signal again, for the sanitizer to report where.
        crashed_ = e.is_crash;
        failure(case_->m_file.c_str(), static_cast<int>(case_->m_line),
                std::string(e.is_crash ? "crashed: " : "threw: ") + e.error_string.c_str() +
                    (e.is_crash ? "" : thrown_at()));
    }
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData& a) override {
        if (!a.m_failed) return;
        std::string text = a.m_expr;
        if (a.m_threw) text += "\n  threw: " + std::string(a.m_exception.c_str()) + thrown_at();
        else text += "\n  values: " + std::string(a.m_decomp.c_str());
        failure(a.m_file, a.m_line, text);
    }
    void log_message(const doctest::MessageData& m) override {
        if (m.m_severity & (doctest::assertType::is_check | doctest::assertType::is_require))
            failure(m.m_file, m.m_line, m.m_string.c_str());
    }
    void test_case_skipped(const doctest::TestCaseData&) override {}

    void test_run_end(const doctest::TestRunStats& st) override {
        if (!stub_.empty()) {
            if (passed_ == 0 && shown_ == 0) out_ << "@@wb not-started\n";
            else if (shown_ == 0) show(stub_);
        }
        if (st.numAssertsFailed == 0)
            out_ << "@@wb passed " << st.numAsserts << " checks in " << st.numTestCasesPassingFilters
                 << " test cases\n";
        out_.flush();
    }

private:
    static std::string thrown_at() { return wbtest::thrown_at(); }
    void failure(const char* file, int line, const std::string& text) {
        std::ostringstream block;
        block << "check: " << case_->m_name << "\n  (" << file << ":" << line << ")\n" << text;
        if (text.empty() || text.back() != '\n') block << '\n';
        const int n = get_num_active_contexts();
        const doctest::IContextScope* const* contexts = get_active_contexts();
        for (int i = 0; i < n; ++i) {
            std::ostringstream c;
            contexts[i]->stringify(&c);
            block << "  with " << c.str() << '\n';
        }
        if (text.find("not implemented yet") != std::string::npos) {
            if (stub_.empty()) stub_ = block.str();
            return;
        }
        show(block.str());
        if (!verbose_ && !crashed_) {  // the first failing check is the verdict; stop here
            out_ << "@@wb stopped\n";
            out_.flush();
            std::fflush(nullptr);
            std::_Exit(1);
        }
    }
    void show(const std::string& block) {
        out_ << "@@wb failure\n" << block;
        out_.flush();
        ++shown_;
    }

    std::ostream& out_;
    const doctest::TestCaseData* case_ = nullptr;
    std::string stub_;
    int passed_ = 0, shown_ = 0;
    bool crashed_ = false;
    const bool verbose_ = [] {
        const char* v = std::getenv("WB_VERBOSE");
        return v != nullptr && *v != '\0' && std::string(v) != "0";
    }();
};

}  // namespace

REGISTER_REPORTER("verdict", 1, Verdict);
