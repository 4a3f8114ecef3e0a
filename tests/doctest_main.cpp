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
                std::string(e.is_crash ? "crashed: " : "threw: ") + e.error_string.c_str());
    }
    void subcase_start(const doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const doctest::AssertData& a) override {
        if (!a.m_failed) return;
        std::string text = a.m_expr;
        if (a.m_threw) text += "\n  threw: " + std::string(a.m_exception.c_str());
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
