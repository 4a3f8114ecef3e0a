/// \file registry.hpp
/// \brief The live panels, listed once: name, chapter page, the C++ function that answers
/// and the chapter functions it computes with.
///
/// Everything else reads this table: live::handle() dispatches on it; the page script
/// (panels.js) asks the WebAssembly for it (`panel=panels`) and draws only what it lists;
/// `live_cli --panels` prints it for the docs build (the table on the "Live panels" page)
/// and for tests/live/registry_check.py, which fails when a page block, the page script's
/// drawing code, a browser test or the worked requests fall out of step with it.
/// Adding a panel: CONTRIBUTING.md, "Adding a live panel".
#pragma once

#include <string>
#include <string_view>

#include "panels.hpp"

namespace live {

/// One live panel.
struct PanelEntry {
    std::string_view name;      ///< `data-panel="…"` on its page, and the request's `panel=`
    std::string_view page;      ///< the chapter page's label (`{#…}` in docs/chapters/*.md)
    std::string_view function;  ///< the answering function's name, for the docs
    std::string (*answer)(const Request&);
    std::string_view computes;  ///< the workbook functions it calls, for the docs
};

/// {name, page, live::<name>_panel, what it computes with}: the function's name is
/// spelled once, by the macro.
#define WB_LIVE_PANEL(name, page, computes) {#name, #page, "live::" #name "_panel", name##_panel, computes}

// [table]
inline constexpr PanelEntry panel_table[] = {
    WB_LIVE_PANEL(ch01, ch01_conv_forward, "ch01::feature_map, ch01::element_terms"),
    WB_LIVE_PANEL(ch02, ch02_delta_2x2, "ch02::delta_out_eq8, ch02::element_formula, wb::conv2d_backward"),
    WB_LIVE_PANEL(ch03, ch03_stride, "ch03::zero_insert_sizes, ch03::remainder, ch03::layout"),
    WB_LIVE_PANEL(ch04, ch04_channels, "ch04::delta_out_channel, ch04::several_kernels_formula, "
                                       "ch04::several_channels_formula, wb::conv2d_backward"),
    WB_LIVE_PANEL(ch05, ch05_kernel_grad, "ch05::grad_w_strided, ch05::grad_w_by_elements, "
                                          "ch05::grad_b_sum, wb::restore_stride, wb::conv2d_backward"),
    WB_LIVE_PANEL(ch06, ch06_pooling, "wb::max_pool_backward, wb::mean_pool_backward, ch06::max_window_partials"),
    WB_LIVE_PANEL(ch07, ch07_dense, "ch07::mse_forward, ch07::mse_backward, wb::dense_backward, ch07::mse_numerical"),
    WB_LIVE_PANEL(ch08, ch08_activations, "wb::sigmoid_backward, wb::relu_backward, wb::tanh_backward, "
                                          "ch08::sigmoid_chain_bound"),
    WB_LIVE_PANEL(ch09, ch09_softmax, "wb::softmax, ch09::softmax_naive, wb::softmax_ce_backward, "
                                      "ch09::ce_gradient_by_class, ch09::ce_numerical"),
    WB_LIVE_PANEL(ch10, ch10_edge_kernel_fit, "ch10::fit, ch10::stable_lr_limit"),
    WB_LIVE_PANEL(ch11, ch11_lenet, "ch11::forward, ch11::backward"),
};
// [table]

#undef WB_LIVE_PANEL

/// The table as JSON, [{"name":…,"page":…,"function":…,"computes":…}, …]: what the page
/// script and `live_cli --panels` read.
inline std::string panels_json() {
    Json j;
    j.open('[');
    for (const PanelEntry& p : panel_table) {
        j.open('{').key("name").str(p.name).key("page").str(p.page).key("function").str(p.function);
        j.key("computes").str(p.computes).close('}');
    }
    j.close(']');
    return j.text();
}

/// Dispatches on `panel=`: a panel of the table, `panels` (the table itself) or `size`
/// (wb::output_size, for the page's grids). Any refusal (from here or from the reference
/// library's own shape checks) becomes {"ok":false,"error":"…"}, the one line the page shows.
inline std::string handle(std::string_view text) {
    try {
        const Request q(text);
        const std::string& panel = q.text("panel");
        for (const PanelEntry& p : panel_table)
            if (panel == p.name) return p.answer(q);
        if (panel == "panels") return R"({"ok":true,"panels":)" + panels_json() + "}";
        if (panel == "size") return size_panel(q);
        refuse("no panel named '" + clip(panel, 20) + "'");
    } catch (const std::exception& e) {
        Json j;
        j.open('{').key("ok").boolean(false).key("error").str(one_line(e.what())).close('}');
        return j.text();
    }
}

}  // namespace live
