// The live panels of the chapter pages. Every number shown is computed by the workbook's
// C++ (docs/live/panels.hpp, compiled to WebAssembly in wb_live.js); this file only builds
// the inputs, sends what the reader typed as text, and draws the JSON that comes back.
// Bad input comes back as a one-line reason, shown under the panel (in English from the
// C++; a Chinese page shows it translated, see REFUSALS).
//
// Which panels exist is the C++ table docs/live/registry.hpp: the page asks the
// WebAssembly for it and draws only what it lists. Each panel here is one
// definePanel(name, strings, build) call; its strings (titles, labels, captions,
// instructions) are in its `strings` object, one block per language: `en`, and `zh` for
// the Chinese edition, with the same keys (tests/live/browser_live.py checks them). A
// page's language is the panel div's data-lang, else the page's <html lang>, else English.
(function () {
  'use strict';
  var startMs = performance.now();
  window.wbLive = {ready: {}, errors: [], readyMs: null, askMs: {}, pending: 0, registry: null, defined: []};

  var css = [
    '.wb-live{border:1px solid #c8d0dc;border-radius:6px;padding:10px 14px;margin:14px 0;background:#f8fafc}',
    '.wb-live h4{margin:0 0 8px 0}',
    '.wb-live .wb-row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start;margin:6px 0}',
    '.wb-live table.wb-grid{border-collapse:collapse;margin:2px 0}',
    '.wb-live table.wb-grid td{border:1px solid #c8d0dc;min-width:2.2em;height:1.6em;text-align:center;padding:0 3px;font-family:monospace;background:#fff}',
    '.wb-live table.wb-grid td input{width:3em;border:0;text-align:center;font-family:monospace;background:transparent}',
    '.wb-live table.wb-grid td[tabindex]{cursor:pointer}',
    '.wb-live td.wb-hot{background:#ffe9a8 !important}',
    '.wb-live td.wb-win{background:#cfe6ff !important}',
    '.wb-live td.wb-bad{background:#ffc9c9 !important}',
    '.wb-live .wb-zero{color:#aab}',
    '.wb-live .wb-unreached{background:repeating-linear-gradient(45deg,#eceff3,#eceff3 4px,#d5dbe3 4px,#d5dbe3 8px)}',
    '.wb-live .wb-tail{background:#ffe0c2;color:#a65a00}',
    '.wb-live .wb-delta{background:#e3f1e3;font-weight:bold}',
    '.wb-live .wb-msg{color:#b00020;min-height:1.3em;font-weight:bold}',
    '.wb-live .wb-note{color:#445;font-family:monospace;white-space:pre-wrap;min-height:1.3em}',
    '.wb-live .wb-why{color:#445;font-style:italic;margin:4px 0}',
    '.wb-live label{margin-right:10px}',
    '.wb-live input.wb-small{width:3.5em}',
    '.wb-live button{margin:2px 6px 2px 0}',
    '.wb-live canvas.wb-map{image-rendering:pixelated;border:1px solid #c8d0dc;margin:1px}',
    '.wb-live .wb-caption{font-size:85%;color:#445}',
    '.wb-live span.wb-key{display:inline-block;min-width:1.4em;border:1px solid #c8d0dc;text-align:center;font-family:monospace;margin:1px 4px 1px 8px;background:#fff}',
    '.wb-live .wb-legend{display:inline-block;width:90px;height:9px;border:1px solid #c8d0dc;vertical-align:middle;margin:0 4px}',
    '.wb-live .wb-bars td{font-family:monospace;padding:0 4px}',
    '.wb-live .wb-op{align-self:center;font-size:130%;color:#667}'
  ].join('\n');

  // ---- strings every panel shares (a panel's own strings come first) ----------------------
  var COMMON = {
    en: {
      reset: 'Reset to the notes’ numbers',
      size_range: '{name} must be a whole number from {lo} to {hi}, got {got}',
      failed: 'The live panel failed: {why}',
      not_built: 'The live panel was not built: {why}.',
      no_wasm: 'the WebAssembly build (live/wb_live.js) is missing',
      unregistered: 'no panel named {name} in the registry (docs/live/registry.hpp)',
      undrawn: 'the page script has no panel {name}',
      point: 'point at or tap a cell',
      agree: 'the two agree, element for element',
      differ: 'they differ!',
      key_unreached: 'no window reaches these rows and columns: (n + 2P − f) mod S = {rows} row(s), {cols} column(s)',
      key_fits: 'every row and column is reached by a window',
      scale: 'colour scale: ±{max}',
      scale_unsigned: 'colour scale: 0 to {max}'
    },
    zh: {
      reset: '恢复笔记里的数',
      size_range: '{name} 必须是 {lo} 到 {hi} 之间的整数，现在是 {got}',
      failed: '交互面板出错了：{why}',
      not_built: '交互面板没有生成：{why}。',
      no_wasm: '缺少 WebAssembly 版本（live/wb_live.js）',
      unregistered: '面板登记表（docs/live/registry.hpp）里没有名为 {name} 的面板',
      undrawn: '页面脚本里没有面板 {name}',
      point: '把鼠标移到某个格子上（或点一下）',
      agree: '两者逐个元素相同',
      differ: '两者不一致！',
      key_unreached: '没有任何窗口覆盖到这些行和列：(n + 2P − f) mod S = {rows} 行、{cols} 列',
      key_fits: '每一行、每一列都有窗口覆盖到',
      scale: '色标：±{max}',
      scale_unsigned: '色标：0 到 {max}'
    }
  };

  // ---- the C++'s reasons for refusing an input, in the page's language ------------------------
  // The C++ gives its reason in English: the one line that live_cli, the native tests and
  // the wasm = native comparison also see, and that names the cell to mark. A Chinese page
  // shows it translated, by the form of the sentence (one pattern per kind of refusal of
  // docs/live/request.hpp, panels.hpp, mnist_digit.hpp and the reference library's size
  // checks a panel can reach), with the English original as the line's title; a reason no
  // pattern knows is shown as the C++ wrote it, after `other`.
  var REFUSALS = {
    zh: {
      other: '输入有误（C++ 的原话）：{msg}',
      forms: [
        [/^(.+) is empty$/, '$1 是空的'],
        [/^(.+) is too long to be a number$/, '$1 太长，不是一个数'],
        [/^(.+): '(.*)' is not a number$/, '$1：“$2”不是一个数'],
        [/^(.+): (\S+) is too large$/, '$1：$2 太大了'],
        [/^(.+): (\S+) is too close to 0 \(write 0, or a number of size 1e-100 or more\)$/, '$1：$2 太接近 0（请写 0，或者绝对值不小于 1e-100 的数）'],
        [/^(\S+) must be a whole number, got (.*)$/, '$1 必须是整数，现在是 $2'],
        [/^(\S+) must be between (-?\d+) and (-?\d+), got (.*)$/, '$1 必须在 $2 到 $3 之间，现在是 $4'],
        [/^(\S+) has (\d+) rows; this panel takes at most (\d+)$/, '$1 有 $2 行，这个面板最多接受 $3 行'],
        [/^(\S+) has (\d+) columns; this panel takes at most (\d+)$/, '$1 有 $2 列，这个面板最多接受 $3 列'],
        [/^(\S+) has (\d+) maps; this panel takes at most (\d+)$/, '$1 有 $2 张图，这个面板最多接受 $3 张'],
        [/^(\S+) has (\d+) stacks of maps; this panel takes at most (\d+)$/, '$1 有 $2 组图，这个面板最多接受 $3 组'],
        [/^(\S+): row (\d+) has (\d+) cells, row 1 has (\d+)$/, '$1：第 $2 行有 $3 个数，第 1 行有 $4 个'],
        [/^(\S+): stack (\d+) has (\d+) maps, stack 1 has (\d+)$/, '$1：第 $2 组有 $3 张图，第 1 组有 $4 张'],
        [/^(\S+) is (\S+), (\S+) is (\S+): the maps must be the same size$/, '$1 是 $2，$3 是 $4：各张图的尺寸必须相同'],
        [/^(\S+): (\S+) \(for input (\S+)\) is (\S+), expected (\S+)$/, '$1：$2 是 $4，输入为 $3 时应当是 $5'],
        [/^(\S+): (.+?) is (\S+), expected (\S+)$/, '$1：$2 是 $3，应当是 $4'],
        [/^the request has no (\S+)$/, '请求里缺少 $1'],
        [/^a request line has no 'key=': (.*)$/, '请求里有一行没有“键=”：$1'],
        [/^the request is larger than 1 MB$/, '请求超过了 1 MB'],
        [/^output_size: kernel is larger than the padded input \((.*)\)$/, 'output_size：卷积核比填充之后的输入还大（$1）'],
        [/^(\S+): input (\S+) is smaller than the (\d+)×\d+ window, stride (\d+)$/, '$1：输入 $2 比 $3×$3 的池化窗口还小（步长 $4）'],
        [/^f must be relu, sigmoid or tanh, got '(.*)'$/, 'f 必须是 relu、sigmoid 或 tanh，现在是“$1”'],
        [/^z needs at least 2 classes, got 1$/, 'z 至少要有 2 个类别，现在只有 1 个'],
        [/^the learning rate must be above 0 and at most 10$/, '学习率必须大于 0，且不超过 10'],
        [/^the canvas is empty: draw a digit first$/, '画布是空的：请先写一个数字'],
        [/^the canvas must be between (\d+) and (\d+) pixels a side, got (\S+)$/, '画布每边必须有 $1 到 $2 个像素，现在是 $3'],
        [/^the canvas has (\d+) pixels, expected (\S+)$/, '画布有 $1 个像素，应当是 $2'],
        [/^the canvas data has (\d+) pixels, expected (\d+)$/, '画布数据有 $1 个像素，应当是 $2 个'],
        [/^the canvas data holds '(.*)', not a hex digit$/, '画布数据里有“$1”，它不是十六进制数字'],
        [/^no panel named '(.*)'$/, '没有名为“$1”的面板'],
        [/^the LeNet weights were not loaded$/, 'LeNet 的权重没有加载'],
        [/^a LeNet weight is not finite$/, 'LeNet 有一个权重不是有限数'],
        [/^LeNet needs (\d+) weights, got (\d+)$/, 'LeNet 需要 $1 个权重，现在有 $2 个']
      ],
      cell: [/\b(\w+) row (\d+), column (\d+)/g, '$1 第 $2 行第 $3 列']
    }
  };
  // The reason in `lang`, or null when `lang` needs none (English) or no form matches.
  function refusal(lang, text) {
    var table = REFUSALS[lang];
    if (!table) return null;
    var s = text.replace(table.cell[0], table.cell[1]);
    for (var k = 0; k < table.forms.length; ++k) {
      var f = table.forms[k];
      if (f[0].test(s)) return s.replace(f[0], f[1]).replace(/([\u4e00-\u9fff]) (?=[\u4e00-\u9fff“])/g, '$1');
    }
    return null;
  }
  // What a panel's message line shows for the C++'s reason `text`.
  function showRefusal(msg, lang, text) {
    var said = text && refusal(lang, text);
    msg.textContent = !text || !REFUSALS[lang] ? text : said || REFUSALS[lang].other.replace('{msg}', text);
    if (text && REFUSALS[lang]) msg.title = text; else msg.removeAttribute('title');
    if (text && REFUSALS[lang]) msg.setAttribute('data-translated', said ? 'yes' : 'no'); else msg.removeAttribute('data-translated');
  }

  // ---- the WebAssembly module -------------------------------------------------------------
  var modulePromise = null;
  function wasm() {
    if (!modulePromise) modulePromise = window.createWbLive();
    return modulePromise;
  }
  function ask(M, text) {
    var n = M.lengthBytesUTF8(text) + 1, p = M._malloc(n);
    M.stringToUTF8(text, p, n);
    var out = M.UTF8ToString(M._wb_live(p));
    M._free(p);
    return JSON.parse(out);
  }

  // ---- small DOM helpers ---------------------------------------------------------------------
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'class') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function numberInput(name, value, min, max) {
    return el('input', {type: 'number', class: 'wb-small', 'data-name': name, value: value, min: min, max: max});
  }
  function textInput(name, value) { return el('input', {type: 'text', class: 'wb-small', 'data-name': name, value: value}); }
  function button(name, text) { return el('button', {type: 'button', 'data-name': name, text: text}); }
  function select(name, options) {
    return el('select', {'data-name': name}, options.map(function (o) { return el('option', {value: o[0], text: o[1]}); }));
  }
  function labelled(text, input) { return el('label', {}, [text + ' ', input]); }
  function cellText(v) { return v === null ? '∞' : String(v); }
  // A number for reading (six significant digits); the exact value is the cell's title.
  function short(v) { return v === null ? '∞' : typeof v === 'number' ? String(Number(v.toPrecision(6))) : String(v); }
  function sub(n) { return String(n).split('').map(function (d) { return '₀₁₂₃₄₅₆₇₈₉'[+d]; }).join(''); }
  function column(v) { return v.map(function (x) { return [x]; }); }
  function matrixText(rows) { return rows.map(function (r) { return r.join(','); }).join(';'); }
  function each(root, selector, fn) { Array.prototype.forEach.call(root.querySelectorAll(selector), fn); }

  // An editable grid. It keeps every number typed, also outside the rows and columns on
  // show, so a size typed digit by digit ("1", then "10") or shrunk and grown again gives
  // the reader's numbers back; value() writes the cells on show for the request.
  function InputGrid(name, rows) {
    this.name = name;
    this.fill = '0';
    this.table = el('table', {class: 'wb-grid', 'data-grid': name});
    this.set(rows);
  }
  InputGrid.prototype.set = function (rows) {
    this.store = rows.map(function (r) { return r.map(String); });
    this.show(rows.length, rows[0].length);
  };
  InputGrid.prototype.cell = function (i, j) {
    var r = this.store[i];
    return r && r[j] !== undefined ? r[j] : this.fill;
  };
  InputGrid.prototype.show = function (h, w) {
    var self = this;
    this.table.innerHTML = '';
    for (var i = 0; i < h; ++i) {
      var tr = el('tr');
      for (var j = 0; j < w; ++j) {
        var input = el('input', {type: 'text', value: this.cell(i, j), 'aria-label': this.name + ' row ' + (i + 1) + ' column ' + (j + 1)});
        input.addEventListener('input', (function (i, j, input) {
          return function () { (self.store[i] = self.store[i] || [])[j] = input.value; };
        })(i, j, input));
        tr.appendChild(el('td', {}, [input]));
      }
      this.table.appendChild(tr);
    }
  };
  InputGrid.prototype.rows = function () {
    return Array.prototype.map.call(this.table.rows, function (tr) {
      return Array.prototype.map.call(tr.cells, function (td) { return td.firstChild.value; });
    });
  };
  InputGrid.prototype.resize = function (h, w, fill) {
    var r = this.table.rows;
    if (r.length === h && r[0].cells.length === w) return;  // keep the cells (and the focus)
    if (fill !== undefined) this.fill = String(fill);
    this.show(h, w);
  };
  // Separators typed into a cell must not split it: they become spaces, which the C++
  // refuses as "not a number", naming the cell.
  InputGrid.prototype.value = function () {
    return this.rows().map(function (r) {
      return r.map(function (v) { return v.replace(/[,;|\/\r\n=]/g, ' '); }).join(',');
    }).join(';');
  };
  InputGrid.prototype.mark = function (row, col) {
    each(this.table, 'td', function (td) { td.classList.remove('wb-bad'); });
    var tr = this.table.rows[row - 1];
    if (tr && tr.cells[col - 1]) tr.cells[col - 1].classList.add('wb-bad');
  };

  // A read-only grid of numbers (or symbols); cls(v, i, j) gives a cell its class.
  function outputGrid(name, rows, cls, text) {
    var t = el('table', {class: 'wb-grid', 'data-grid': name});
    rows.forEach(function (row, i) {
      var tr = el('tr');
      row.forEach(function (v, j) {
        var td = el('td', {text: (text || cellText)(v), 'data-row': i, 'data-col': j});
        if (typeof v === 'number') td.title = String(v);
        if (cls) { var c = cls(v, i, j); if (c) td.className = c; }
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    return t;
  }
  function box(caption, content) {
    return el('div', {}, [el('div', {class: 'wb-caption', text: caption}), content]);
  }
  function op(text) { return el('div', {class: 'wb-op', text: text}); }
  // A key to a grid's colours: a sample cell, then what it means.
  function key(cls, text, sample) {
    return el('span', {class: 'wb-caption'}, [el('span', {class: 'wb-key ' + cls, text: sample || '\u00a0'}), text]);
  }
  // Hover, tap or keyboard focus on a table's cells calls fn(td, row, col); the cell stays
  // lit until another is chosen, so a tap on a touch screen shows what hovering shows.
  function pointable(table, fn) {
    each(table, 'td', function (td) {
      td.setAttribute('tabindex', '0');
      function choose() {
        each(table.closest('.wb-live'), 'td.wb-hot', function (c) { c.classList.remove('wb-hot'); });
        td.classList.add('wb-hot');
        fn(td, +td.getAttribute('data-row'), +td.getAttribute('data-col'));
      }
      td.addEventListener('pointerenter', function (e) { if (e.pointerType === 'mouse') choose(); });
      td.addEventListener('click', choose);
      td.addEventListener('focus', choose);
    });
  }
  // Lights the cells of a grid for which inside(i, j) holds.
  function light(table, cls, inside) {
    each(table, 'td', function (p) {
      p.classList.toggle(cls, !!inside(+p.getAttribute('data-row'), +p.getAttribute('data-col')));
    });
  }

  // A value → colour map: grey levels for activations (0 … max), red/blue for signed δ
  // (−max … max); max is the scale the C++ gave, written beside the picture.
  function drawMap(canvas, rows, signed, px, max) {
    var h = rows.length, w = rows[0].length, m = max || 1;
    canvas.width = w; canvas.height = h;
    canvas.style.width = (w * px) + 'px'; canvas.style.height = (h * px) + 'px';
    var ctx = canvas.getContext('2d'), img = ctx.createImageData(w, h);
    for (var i = 0; i < h; ++i)
      for (var j = 0; j < w; ++j) {
        var v = rows[i][j], k = 4 * (i * w + j), r, g, b;
        if (signed) {
          var t = Math.min(1, Math.abs(v) / m);
          r = v > 0 ? 255 : Math.round(255 * (1 - t)); b = v < 0 ? 255 : Math.round(255 * (1 - t)); g = Math.round(255 * (1 - t));
        } else {
          r = g = b = Math.round(255 * (1 - Math.min(1, Math.max(0, v) / m)));
        }
        img.data[k] = r; img.data[k + 1] = g; img.data[k + 2] = b; img.data[k + 3] = 255;
      }
    ctx.putImageData(img, 0, 0);
    return canvas;
  }
  function legend(t, signed, max) {
    var bar = el('span', {class: 'wb-legend', style: 'background:linear-gradient(to right,' + (signed ? '#00f,#fff,#f00' : '#fff,#000') + ')'});
    return el('span', {class: 'wb-caption', 'data-scale': max}, [bar, t(signed ? 'scale' : 'scale_unsigned', {max: short(max)})]);
  }

  // ---- a panel: its strings, its message line, and ask() that never throws ----------------
  // t(key, {name: value}): a panel's string in its page's language, else in English; its
  // own strings first, then the shared ones.
  function pageLang(root) {
    return (root.getAttribute('data-lang') || document.documentElement.lang || 'en').slice(0, 2).toLowerCase();
  }
  function translator(root, strings, name) {
    var lang = pageLang(root);
    return function (k, vars) {
      var s = [strings[lang], strings.en, COMMON[lang], COMMON.en].reduce(function (found, table) {
        return found !== undefined ? found : table && table[k];
      }, undefined);
      if (s === undefined) throw new Error('no string "' + k + '" for panel ' + name);
      return s.replace(/\{(\w+)\}/g, function (m, v) { return vars && v in vars ? vars[v] : m; });
    };
  }
  function Panel(root, name, M, strings) {
    this.root = root; this.name = name; this.M = M;
    this.t = translator(root, strings, name);
    this.lang = pageLang(root);
    this.msg = el('div', {class: 'wb-msg', role: 'alert', 'data-role': 'message'});
  }
  // Shows the C++'s reason for refusing an input ('' clears it), in the page's language.
  Panel.prototype.refuse = function (text) { showRefusal(this.msg, this.lang, text); };
  // Sends the request; on a refusal shows the reason (and marks the cell it names).
  Panel.prototype.ask = function (text, grids) {
    var r, t0 = performance.now();
    try { r = ask(this.M, text); } catch (e) { r = {ok: false, error: 'the panel failed: ' + e.message}; }
    var ms = window.wbLive.askMs;  // the slowest answer of each panel, for the measurements
    ms[this.name] = Math.max(ms[this.name] || 0, performance.now() - t0);
    this.refuse(r.ok ? '' : r.error);
    (grids || []).forEach(function (g) {
      var m = !r.ok && r.error.match(new RegExp('^' + g.name + ' row (\\d+), column (\\d+)'));
      if (m) g.mark(+m[1], +m[2]); else g.mark(0, 0);
    });
    return r;
  };
  // wb::output_size(n, f, p, s), for sizing a δ grid: the formula is not written again here.
  Panel.prototype.size = function (n, f, s, p) {
    var r = ask(this.M, 'panel=size\nn=' + n + '\nf=' + f + '\np=' + (p || 0) + '\ns=' + s + '\n');
    return r.ok ? r.size : null;
  };
  // The panel's heading, its one-paragraph instructions and its reset button.
  Panel.prototype.head = function (reset) {
    this.root.appendChild(el('h4', {text: this.t('title')}));
    this.root.appendChild(el('div', {class: 'wb-caption', 'data-role': 'how', text: this.t('how')}));
    var b = button('reset', this.t('reset'));
    b.addEventListener('click', reset);
    return b;
  };
  function onInput(container, fn) {
    container.addEventListener('input', fn);
    container.addEventListener('change', fn);
  }
  function intValue(input) { return input.value.trim(); }
  // A grid's size boxes, bounded before any cell is made (the C++ checks the grid again).
  function dims(P, inputs) {
    for (var k = 0; k < inputs.length; ++k) {
      var i = inputs[k], v = Number(i.value), lo = Number(i.min), hi = Number(i.max);
      if (!(Number.isInteger(v) && v >= lo && v <= hi)) {
        P.msg.textContent = P.t('size_range', {name: i.getAttribute('data-name'), lo: lo, hi: hi, got: i.value});
        return null;
      }
    }
    return inputs.map(function (i) { return Number(i.value); });
  }
  // Size boxes apply once the reader pauses (or leaves the box, or presses Enter), so "10"
  // typed digit by digit makes one grid of 10, not a grid of 1 on the way.
  function onSizes(P, inputs, apply) {
    var timer = null;
    function now() {
      if (timer) { clearTimeout(timer); timer = null; window.wbLive.pending--; }
      var d = dims(P, inputs);
      if (d) apply(d);
    }
    inputs.forEach(function (i) {
      i.addEventListener('input', function () {
        if (timer) clearTimeout(timer); else window.wbLive.pending++;
        timer = setTimeout(now, 500);
      });
      i.addEventListener('change', now);
    });
    return now;
  }
  function setValues(pairs) { pairs.forEach(function (p) { p[0].value = p[1]; }); }
  // A panel's input grids, one per key of `notes`, filled with the notes' numbers (a grid's
  // name is its key unless `names` gives another: the name the C++ uses for its cells).
  function inputGrids(notes, names) {
    var g = {};
    for (var k in notes) g[k] = new InputGrid((names || {})[k] || k, notes[k]);
    return g;
  }
  // Puts the notes' numbers back into the grids and the boxes (the reset button).
  function restore(g, notes, boxes) {
    for (var k in g) g[k].set(notes[k]);
    setValues(boxes);
  }
  // The rows and columns of the padded input that no window reaches, shaded, with the key.
  function unreachedClass(rows, unreached) {
    var h = rows.length, w = rows[0].length;
    return function (i, j) { return i >= h - unreached[0] || j >= w - unreached[1]; };
  }
  function unreachedKey(P, unreached) {
    return unreached[0] || unreached[1]
      ? el('div', {'data-role': 'unreached'}, [key('wb-unreached', P.t('key_unreached', {rows: unreached[0], cols: unreached[1]}))])
      : el('div', {'data-role': 'unreached', class: 'wb-caption', text: P.t('key_fits')});
  }

  var PANELS = {};
  function definePanel(name, strings, build) { PANELS[name] = {strings: strings, build: build}; }
  window.wbLive.panels = PANELS;   // for tests/live/registry_check.py (the strings' keys)
  window.wbLive.common = COMMON;
  // For tests/live/browser_live.py: the refusals' translation, and the C++ asked directly.
  window.wbLive.refusal = refusal;
  window.wbLive.request = function (text) { return wasm().then(function (M) { return ask(M, text); }); };

  // ---- chapter 01: the forward map --------------------------------------------------------
  definePanel('ch01', {
    en: {
      title: 'Live: a = ReLU(x ⋆ w + b), computed by ch01::feature_map',
      how: 'Edit x and w (001 §5.1’s numbers), the stride S, the padding P and the bias b. Point at or tap a cell of a: its window lights up in the padded input and its sum of products is written out.',
      x_rows: 'x rows', cols: 'cols', w_rows: 'w rows', stride: 'stride S', pad: 'padding P', bias: 'bias b',
      x: 'input x', w: 'kernel w', padded: 'x padded by P', a: 'feature map a (point at a cell)',
      sum: 'z{i}{j} = {sum},  a{i}{j} = ReLU({z}) = {a}'
    },
    zh: {
      title: '交互：a = ReLU(x ⋆ w + b)，由 ch01::feature_map 计算',
      how: '可以改动 x 和 w（初始是 001 §5.1 的数），以及步长 S、填充 P 和偏置 b。把鼠标移到特征图 a 的某个格子上（或点一下）：填充后的输入里会亮出它的窗口，下面写出它的乘积之和。',
      x_rows: 'x 的行数', cols: '列数', w_rows: 'w 的行数', stride: '步长 S', pad: '填充 P', bias: '偏置 b',
      x: '输入 x', w: '卷积核 w', padded: '补 P 圈零之后的 x', a: '特征图 a（指向一个格子）',
      sum: 'z{i}{j} = {sum}，  a{i}{j} = ReLU({z}) = {a}'
    }
  }, function (root, M, P) {
    var notes = {x: [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]], w: [[1, 0, 1], [0, 1, 0], [1, 0, 1]]};
    var t = P.t, g = inputGrids(notes), x = g.x, w = g.w;
    var xh = numberInput('x-rows', 5, 1, 12), xw = numberInput('x-cols', 5, 1, 12);
    var wh = numberInput('w-rows', 3, 1, 7), ww = numberInput('w-cols', 3, 1, 7);
    var stride = numberInput('stride', 1, 1, 3), pad = numberInput('pad', 0, 0, 3), bias = textInput('bias', '0');
    var out = el('div', {class: 'wb-row'}), note = el('div', {class: 'wb-note', 'data-role': 'sum'}), keyLine = el('div');
    var reset = P.head(function () { restore(g, notes, [[xh, 5], [xw, 5], [wh, 3], [ww, 3], [stride, 1], [pad, 0], [bias, '0']]); run(); });
    root.appendChild(el('div', {}, [labelled(t('x_rows'), xh), labelled(t('cols'), xw), labelled(t('w_rows'), wh), labelled(t('cols'), ww),
      labelled(t('stride'), stride), labelled(t('pad'), pad), labelled(t('bias'), bias), reset]));
    root.appendChild(el('div', {class: 'wb-row'}, [box(t('x'), x.table), box(t('w'), w.table)]));
    root.appendChild(out); root.appendChild(keyLine); root.appendChild(note); root.appendChild(P.msg);
    function run() {
      var r = P.ask('panel=ch01\nx=' + x.value() + '\nw=' + w.value() + '\nbias=' + bias.value +
                    '\nstride=' + intValue(stride) + '\npad=' + intValue(pad) + '\n', [x, w]);
      out.innerHTML = ''; note.textContent = ''; keyLine.innerHTML = '';
      if (!r.ok) return;
      var far = unreachedClass(r.padded, r.unreached);
      var padded = outputGrid('padded', r.padded, function (v, i, j) { return far(i, j) ? 'wb-unreached' : v === 0 ? 'wb-zero' : ''; });
      var a = outputGrid('a', r.a);
      out.appendChild(box(t('padded'), padded));
      out.appendChild(box(t('a'), a));
      keyLine.appendChild(unreachedKey(P, r.unreached));
      var kh = w.rows().length, kw = w.rows()[0].length;
      pointable(a, function (td, i, j) {
        var cell = r.cells[i * r.a[0].length + j];
        light(padded, 'wb-win', function (pi, pj) { return pi >= cell.row && pi < cell.row + kh && pj >= cell.col && pj < cell.col + kw; });
        note.textContent = t('sum', {i: sub(i), j: sub(j), sum: cell.sum, z: cellText(cell.z), a: cellText(r.a[i][j])});
      });
    }
    onSizes(P, [xh, xw, wh, ww], function (d) { x.resize(d[0], d[1], 0); w.resize(d[2], d[3], 0); run(); });
    [x.table, w.table, bias, stride, pad].forEach(function (e) { onInput(e, run); });
    run();
  });

  // ---- chapter 02: δ_out by the rule and by the naive backward pass -------------------------
  definePanel('ch02', {
    en: {
      title: 'Live: δ_out = pad(δ_in, F−1) ⋆ rot180(W), against the naive backward pass',
      how: 'Edit W and δ_in (000 §17.3.1’s numbers). The rule pads δ_in with F−1 rings of zeros and slides rot180(W) over it; point at or tap a cell of δ_out to see its window and its element formula (eq 7).',
      a_rows: 'A rows', cols: 'cols', w_rows: 'W rows',
      a: 'input A', w: 'kernel W', delta: 'δ_in (from the next layer)',
      why_a: 'A’s values do not enter δ_out: z = A ⋆ W is linear in A, so ∂z/∂a is a weight and never an a. Only A’s size matters (it sets δ_in’s size). Edit A and nothing below changes.',
      padded: 'pad(δ_in, F−1)', rot: 'rot180(W)',
      rule: 'δ_out by the rule (ch02::delta_out_eq8)', naive: 'δ_out by the naive backward pass (wb::conv2d_backward)',
      formula: '∂J/∂a{u}{v} = {symbols} = {value}'
    },
    zh: {
      title: '交互：δ_out = pad(δ_in, F−1) ⋆ rot180(W)，与朴素的反向传播对照',
      how: '可以改动 W 和 δ_in（初始是 000 §17.3.1 的数）。按规则，先在 δ_in 四周补 F−1 圈零，再让 rot180(W) 在上面滑动；指向或点一下 δ_out 的某个格子，就能看到它的窗口和逐元素的公式（式 7）。',
      a_rows: 'A 的行数', cols: '列数', w_rows: 'W 的行数',
      a: '输入 A', w: '卷积核 W', delta: 'δ_in（从后一层传来）',
      why_a: 'A 的数值不会出现在 δ_out 里：z = A ⋆ W 对 A 是线性的，∂z/∂a 总是某个权重，而不是某个 a。A 只有尺寸起作用（它决定 δ_in 的尺寸）。改动 A 的数，下面什么都不会变。',
      padded: 'pad(δ_in, F−1)', rot: 'rot180(W)',
      rule: '按规则算出的 δ_out（ch02::delta_out_eq8）', naive: '朴素的反向传播算出的 δ_out（wb::conv2d_backward）',
      formula: '∂J/∂a{u}{v} = {symbols} = {value}'
    }
  }, function (root, M, P) {
    var notes = {a: [[1, 2, 0], [3, -1, 2], [0, 4, 1]], w: [[1, 2], [3, 4]], d: [[1, -2], [3, 5]]};
    var t = P.t, g = inputGrids(notes, {d: 'delta'}), a = g.a, w = g.w, d = g.d;
    var ah = numberInput('a-rows', 3, 1, 12), aw = numberInput('a-cols', 3, 1, 12);
    var wh = numberInput('w-rows', 2, 1, 7), ww = numberInput('w-cols', 2, 1, 7);
    var out = el('div', {class: 'wb-row'}), note = el('div', {class: 'wb-note', 'data-role': 'formula'});
    var reset = P.head(function () { restore(g, notes, [[ah, 3], [aw, 3], [wh, 2], [ww, 2]]); run(); });
    root.appendChild(el('div', {}, [labelled(t('a_rows'), ah), labelled(t('cols'), aw), labelled(t('w_rows'), wh), labelled(t('cols'), ww), reset]));
    root.appendChild(el('div', {class: 'wb-row'}, [box(t('a'), a.table), box(t('w'), w.table), box(t('delta'), d.table)]));
    root.appendChild(el('div', {class: 'wb-why', 'data-role': 'why-a', text: t('why_a')}));
    root.appendChild(out); root.appendChild(note); root.appendChild(P.msg);
    function run() {
      var r = P.ask('panel=ch02\na=' + a.value() + '\nw=' + w.value() + '\ndelta=' + d.value() + '\n', [a, w, d]);
      out.innerHTML = ''; note.textContent = '';
      if (!r.ok) return;
      var padded = outputGrid('padded', r.padded, function (v) { return v === 0 ? 'wb-zero' : ''; });
      var rule = outputGrid('rule', r.rule), naive = outputGrid('naive', r.naive);
      out.appendChild(box(t('padded'), padded)); out.appendChild(op('⋆'));
      out.appendChild(box(t('rot'), outputGrid('rot', r.rot))); out.appendChild(op('='));
      out.appendChild(box(t('rule'), rule));
      out.appendChild(box(t('naive'), naive));
      out.appendChild(box('', el('div', {'data-role': 'agree', text: r.agree ? t('agree') : t('differ')})));
      var fh = r.rot.length, fw = r.rot[0].length;
      [rule, naive].forEach(function (g) {
        pointable(g, function (td, i, j) {
          var f = r.formulas[i][j];
          light(padded, 'wb-win', function (pi, pj) { return pi >= i && pi < i + fh && pj >= j && pj < j + fw; });
          note.textContent = t('formula', {u: i + 1, v: j + 1, symbols: f.symbols, value: cellText(f.value)});
        });
      });
    }
    function resize(s) {
      a.resize(s[0], s[1], 0); w.resize(s[2], s[3], 0);
      var h = P.size(s[0], s[2], 1), wd = P.size(s[1], s[3], 1);
      if (h && wd) d.resize(h, wd, 0);
      run();
    }
    onSizes(P, [ah, aw, wh, ww], resize);
    [a, w, d].forEach(function (g) { onInput(g.table, run); });
    run();
  });

  // ---- chapter 03: zero insertion -----------------------------------------------------------
  definePanel('ch03', {
    en: {
      title: 'Live: δ of a stride-S layer, zero-inserted (wb::zero_insert via ch03::layout)',
      how: 'Choose the input size n, the kernel f, the padding P and the stride S. δ_in’s elements are spread S apart; the (n + 2P − f) mod S rows and columns the forward pass never reached are added at the end, in orange.',
      rows: 'input n: rows', cols: 'cols', kernel: 'kernel f', pad: 'padding P', stride: 'stride S',
      layout: 'δ restored to stride 1',
      key_delta: 'an element of δ_in', key_zero: 'an inserted zero', key_tail: 'the remainder: rows/columns no window reached',
      line: '{axis}: m = ⌊({n} + 2·{P} − {f})/{S}⌋ + 1 = {m};  m·S = {words} (the words),  (m−1)·S + 1 = {drawn} (the drawing),  needed n + 2P − f + 1 = {needed};  remainder (n + 2P − f) mod S = {remainder}, so needed = drawn + {remainder}',
      axis_rows: 'rows', axis_cols: 'cols'
    },
    zh: {
      title: '交互：步长为 S 的层的误差项 δ，插零之后的样子（ch03::layout 调用 wb::zero_insert）',
      how: '选定输入尺寸 n、卷积核大小 f、填充 P 和步长 S。δ_in 的元素彼此相隔 S 摆放；前向计算从未覆盖到的 (n + 2P − f) mod S 行和列补在末尾，用橙色标出。',
      rows: '输入 n：行数', cols: '列数', kernel: '卷积核 f', pad: '填充 P', stride: '步长 S',
      layout: '还原到步长 1 的 δ',
      key_delta: 'δ_in 的一个元素', key_zero: '插入的零', key_tail: '余数：没有窗口覆盖到的行/列',
      line: '{axis}：m = ⌊({n} + 2·{P} − {f})/{S}⌋ + 1 = {m}；  m·S = {words}（笔记正文的说法），  (m−1)·S + 1 = {drawn}（笔记插图的画法），  实际需要 n + 2P − f + 1 = {needed}；  余数 (n + 2P − f) mod S = {remainder}，所以需要的 = 插图的 + {remainder}',
      axis_rows: '行', axis_cols: '列'
    }
  }, function (root, M, P) {
    var t = P.t;
    var H = numberInput('height', 5, 1, 24), W = numberInput('width', 8, 1, 24), f = numberInput('kernel', 3, 1, 7);
    var pad = numberInput('pad', 0, 0, 3);
    var S = el('input', {type: 'range', min: 1, max: 3, value: 2, 'data-name': 'stride'});
    var sv = el('span', {text: '2'});
    var reset = P.head(function () { setValues([[H, 5], [W, 8], [f, 3], [pad, 0], [S, 2]]); run(); });
    var controls = el('div', {}, [labelled(t('rows'), H), labelled(t('cols'), W), labelled(t('kernel'), f), labelled(t('pad'), pad), labelled(t('stride'), S), sv, ' ', reset]);
    var out = el('div', {class: 'wb-row'}), note = el('div', {class: 'wb-note', 'data-role': 'sizes'});
    root.appendChild(controls); root.appendChild(note); root.appendChild(out); root.appendChild(P.msg);
    function run() {
      sv.textContent = S.value;
      var r = P.ask('panel=ch03\nheight=' + intValue(H) + '\nwidth=' + intValue(W) + '\nkernel=' + intValue(f) +
                    '\npad=' + intValue(pad) + '\nstride=' + S.value + '\n');
      out.innerHTML = ''; note.textContent = '';
      if (!r.ok) return;
      var h = r.layout.length, w = r.layout[0].length;
      out.appendChild(box(t('layout'), outputGrid('layout', r.layout, function (v, i, j) {
        return i >= h - r.rows.remainder || j >= w - r.cols.remainder ? 'wb-tail' : v === '0' ? 'wb-zero' : 'wb-delta';
      })));
      out.appendChild(el('div', {}, [key('wb-delta', t('key_delta'), 'δ'), el('br'), key('wb-zero', t('key_zero'), '0'), el('br'), key('wb-tail', t('key_tail'), '0')]));
      function line(axis, n, s) {
        return t('line', {axis: t(axis), n: n, P: pad.value, f: f.value, S: S.value, m: s.m, words: s.words, drawn: s.drawn, needed: s.needed, remainder: s.remainder});
      }
      note.textContent = line('axis_rows', H.value, r.rows) + '\n' + line('axis_cols', W.value, r.cols);
    }
    onSizes(P, [H, W, f, pad], run);
    onInput(S, run);
    run();
  });

  // ---- chapter 04: several kernels, several channels -----------------------------------------
  definePanel('ch04', {
    en: {
      title: 'Live: δ_out,c = Σ_k pad(δ_k, F−1) ⋆ rot180(W_k,c), one sum per input channel (ch04::delta_out_channel)',
      how: 'K kernels over C input channels. Each input channel c gets its own δ: every kernel k adds chapter 02’s rule with its slice c. Edit the kernels and the error maps, or pick the notes’ example; point at or tap a cell of a sum for its element formula.',
      example: 'example', ex_kernels: '000 §17.3.3: two kernels, one channel', ex_channels: '000 §17.3.4: one kernel, two channels',
      kernels: 'kernels K', channels: 'channels C', a_rows: 'input rows', cols: 'cols', w_rows: 'kernel rows',
      why_a: 'The input’s values do not enter δ_out (z is linear in a, with slope w); only its size does, so the input is given by its size.',
      w: 'W{k},{c}: kernel {k}, slice {c}', delta: 'δ_in,{k} (kernel {k}’s error map)',
      channel: 'input channel {c}', padded: 'pad(δ_{k}, F−1)', rot: 'rot180(W{k},{c})', part: 'kernel {k}’s part',
      sum: 'δ_out,{c} = the sum', naive: 'naive backward pass (wb::conv2d_backward)',
      formula: '∂J/∂a{c},{u}{v} = {symbols} = {value}', formula_slice: '  (w{k}pq: slice {c} of kernel k)'
    },
    zh: {
      title: '交互：δ_out,c = Σ_k pad(δ_k, F−1) ⋆ rot180(W_k,c)，每个输入通道求一个和（ch04::delta_out_channel）',
      how: 'K 个卷积核作用在 C 个输入通道上。每个输入通道 c 都有自己的 δ：每个卷积核 k 拿它的第 c 个子核，按第 02 章的规则贡献一项。可以改动卷积核和误差图，也可以选用笔记里的例子；指向或点一下和里的某个格子，看它的逐元素公式。',
      example: '例子', ex_kernels: '000 §17.3.3：两个卷积核，一个通道', ex_channels: '000 §17.3.4：一个卷积核，两个通道',
      kernels: '卷积核个数 K', channels: '通道数 C', a_rows: '输入的行数', cols: '列数', w_rows: '卷积核的行数',
      why_a: '输入的数值不会出现在 δ_out 里（z 对 a 是线性的，斜率是 w），只有它的尺寸起作用，所以输入只给尺寸。',
      w: 'W{k},{c}：卷积核 {k} 的第 {c} 个子核', delta: 'δ_in,{k}（卷积核 {k} 的误差图）',
      channel: '输入通道 {c}', padded: 'pad(δ_{k}, F−1)', rot: 'rot180(W{k},{c})', part: '卷积核 {k} 贡献的一项',
      sum: 'δ_out,{c} = 各项之和', naive: '朴素的反向传播（wb::conv2d_backward）',
      formula: '∂J/∂a{c},{u}{v} = {symbols} = {value}', formula_slice: '  （w{k}pq：卷积核 k 的第 {c} 个子核）'
    }
  }, function (root, M, P) {
    var examples = {
      kernels: {K: 2, C: 1, H: 3, W: 3, w: [[[[1, 2], [3, 4]]], [[[-1, 0], [2, 1]]]], d: [[[1, -2], [3, 5]], [[2, 1], [-1, 3]]]},
      channels: {K: 1, C: 2, H: 3, W: 3, w: [[[[1, 2], [3, 4]], [[0, -1], [2, 1]]]], d: [[[1, -2], [3, 5]]]}
    };
    var t = P.t, grids = {};
    var ex = select('example', [['kernels', t('ex_kernels')], ['channels', t('ex_channels')]]);
    var K = numberInput('kernels', 2, 1, 3), C = numberInput('channels', 1, 1, 3);
    var ah = numberInput('a-rows', 3, 1, 12), aw = numberInput('a-cols', 3, 1, 12);
    var wh = numberInput('w-rows', 2, 1, 7), ww = numberInput('w-cols', 2, 1, 7);
    var inputs = el('div', {class: 'wb-row'}), out = el('div'), note = el('div', {class: 'wb-note', 'data-role': 'formula'});
    var reset = P.head(function () { load(ex.value); });
    root.appendChild(el('div', {}, [labelled(t('example'), ex), reset]));
    root.appendChild(el('div', {}, [labelled(t('kernels'), K), labelled(t('channels'), C), labelled(t('a_rows'), ah), labelled(t('cols'), aw),
      labelled(t('w_rows'), wh), labelled(t('cols'), ww)]));
    root.appendChild(el('div', {class: 'wb-why', text: t('why_a')}));
    root.appendChild(inputs); root.appendChild(out); root.appendChild(note); root.appendChild(P.msg);
    // One grid per kernel slice and per error map, kept while K or C change.
    function grid(name, rows) {
      if (!grids[name]) { grids[name] = new InputGrid(name, rows); onInput(grids[name].table, run); }
      return grids[name];
    }
    var shape = null;  // [K, C, H, W, F1, F2, h, w] on show
    function layout(s) {
      var h = P.size(s[2], s[4], 1), w = P.size(s[3], s[5], 1);
      if (!h || !w) { run(); return; }
      shape = s.concat([h, w]);
      inputs.innerHTML = '';
      for (var k = 1; k <= s[0]; ++k) {
        var row = el('div', {class: 'wb-row'});
        for (var c = 1; c <= s[1]; ++c) {
          var g = grid('w' + k + c, [[0]]);
          g.resize(s[4], s[5], 0);
          row.appendChild(box(t('w', {k: k, c: c}), g.table));
        }
        var dg = grid('delta' + k, [[0]]);
        dg.resize(h, w, 0);
        row.appendChild(box(t('delta', {k: k}), dg.table));
        inputs.appendChild(row);
      }
      run();
    }
    function load(name) {
      var e = examples[name];
      ex.value = name;
      setValues([[K, e.K], [C, e.C], [ah, e.H], [aw, e.W], [wh, 2], [ww, 2]]);
      e.w.forEach(function (kernel, k) { kernel.forEach(function (slice, c) { grid('w' + (k + 1) + (c + 1), slice).set(slice); }); });
      e.d.forEach(function (map, k) { grid('delta' + (k + 1), map).set(map); });
      layout([e.K, e.C, e.H, e.W, 2, 2]);
    }
    function run() {
      out.innerHTML = ''; note.textContent = '';
      if (!shape) return;
      var used = [], ws = [], ds = [];
      for (var k = 1; k <= shape[0]; ++k) {
        var slices = [];
        for (var c = 1; c <= shape[1]; ++c) { slices.push(grids['w' + k + c].value()); used.push(grids['w' + k + c]); }
        ws.push(slices.join('|')); ds.push(grids['delta' + k].value()); used.push(grids['delta' + k]);
      }
      var r = P.ask('panel=ch04\nw=' + ws.join('/') + '\ndelta=' + ds.join('|') + '\nheight=' + shape[2] + '\nwidth=' + shape[3] + '\n', used);
      if (!r.ok) return;
      r.channels.forEach(function (ch, c) {
        var row = el('div', {class: 'wb-row', 'data-channel': c + 1});
        var padded = [];
        ch.parts.forEach(function (part, k) {
          if (k) row.appendChild(op('+'));
          var p = outputGrid('padded' + (c + 1) + (k + 1), r.padded[k], function (v) { return v === 0 ? 'wb-zero' : ''; });
          padded.push(p);
          row.appendChild(el('div', {}, [box(t('padded', {k: k + 1}), p), box(t('rot', {k: k + 1, c: c + 1}), outputGrid('rot' + (k + 1) + (c + 1), ch.rot[k])),
            box(t('part', {k: k + 1}), outputGrid('part' + (c + 1) + (k + 1), part))]));
        });
        var sum = outputGrid('sum' + (c + 1), ch.sum);
        row.appendChild(op('='));
        row.appendChild(box(t('sum', {c: c + 1}), sum));
        row.appendChild(box(t('naive'), outputGrid('naive' + (c + 1), ch.naive)));
        row.appendChild(box('', el('div', {'data-role': 'agree', text: ch.agree ? t('agree') : t('differ')})));
        out.appendChild(box(t('channel', {c: c + 1}), row));
        var fh = ch.rot[0].length, fw = ch.rot[0][0].length;
        pointable(sum, function (td, i, j) {
          var f = ch.formulas[i][j];
          padded.forEach(function (p) { light(p, 'wb-win', function (pi, pj) { return pi >= i && pi < i + fh && pj >= j && pj < j + fw; }); });
          note.textContent = t('formula', {c: c + 1, u: i + 1, v: j + 1, symbols: f.symbols, value: cellText(f.value)}) +
            (shape[0] > 1 && shape[1] > 1 ? t('formula_slice', {c: c + 1}) : '');
        });
      });
    }
    onSizes(P, [K, C, ah, aw, wh, ww], layout);
    ex.addEventListener('change', function () { load(ex.value); });
    load('kernels');
  });

  // ---- chapter 05: kernel and bias gradients, with stride ----------------------------------
  definePanel('ch05', {
    en: {
      title: 'Live: ∂J/∂W = pad(A, P) ⋆ δ₁ and ∂J/∂b = Σ δ (ch05::grad_w_strided, ch05::grad_b_sum)',
      how: 'Edit A and δ, or pick the notes’ example. With a stride, δ is first spread S apart (δ₁); then it slides over the padded input as if it were the kernel. Point at or tap a cell of ∂J/∂W: the input elements it multiplies light up.',
      example: 'example', ex_s1: '000 §17.3.5: stride 1 (chapter 02’s layer)', ex_s2: '001 §6.1.2: stride 2 (001 §5.1.2’s layer)',
      a_rows: 'A rows', cols: 'cols', w_rows: 'kernel rows', stride: 'stride S', pad: 'padding P',
      why_w: 'Neither gradient depends on W’s values (z is linear in w, with slope a): the kernel is given by its size.',
      a: 'input A', delta: 'δ_in (stride S)', padded: 'pad(A, P)', restored: 'δ₁: δ_in zero-inserted',
      key_delta: 'an element of δ_in', key_zero: 'an inserted zero', key_tail: 'the remainder (n + 2P − f) mod S: rows/columns no window reached',
      rule: '∂J/∂W by the rule', elements: 'by the element sums (ch05::grad_w_by_elements)', naive: 'naive backward pass',
      agree: 'rule, element sums and naive pass agree (rel. error {err})',
      bias: '∂J/∂b = Σ δ = {db}   (003: 1 ⋆ δ = {db003};  naive: {dbn})',
      formula: '∂J/∂w{p}{q} = {symbols} = {value}'
    },
    zh: {
      title: '交互：∂J/∂W = pad(A, P) ⋆ δ₁ 与 ∂J/∂b = Σ δ（ch05::grad_w_strided, ch05::grad_b_sum）',
      how: '可以改动 A 和 δ，也可以选用笔记里的例子。有步长时，先把 δ 的元素相隔 S 摆开（得到 δ₁），再把它当作卷积核，在填充后的输入上滑动。指向或点一下 ∂J/∂W 的某个格子：与它相乘的那些输入元素会亮起来。',
      example: '例子', ex_s1: '000 §17.3.5：步长 1（第 02 章的层）', ex_s2: '001 §6.1.2：步长 2（001 §5.1.2 的层）',
      a_rows: 'A 的行数', cols: '列数', w_rows: '卷积核的行数', stride: '步长 S', pad: '填充 P',
      why_w: '两个梯度都与 W 的数值无关（z 对 w 是线性的，斜率是 a），所以卷积核只给尺寸。',
      a: '输入 A', delta: 'δ_in（步长 S）', padded: 'pad(A, P)', restored: 'δ₁：插零之后的 δ_in',
      key_delta: 'δ_in 的一个元素', key_zero: '插入的零', key_tail: '余数 (n + 2P − f) mod S：没有窗口覆盖到的行/列',
      rule: '按规则算出的 ∂J/∂W', elements: '逐元素求和算出的（ch05::grad_w_by_elements）', naive: '朴素的反向传播',
      agree: '规则、逐元素求和与朴素的反向传播三者一致（相对误差 {err}）',
      bias: '∂J/∂b = Σ δ = {db}   （003 的写法 1 ⋆ δ = {db003}；朴素的反向传播：{dbn}）',
      formula: '∂J/∂w{p}{q} = {symbols} = {value}'
    }
  }, function (root, M, P) {
    var examples = {
      s1: {a: [[1, 2, 0], [3, -1, 2], [0, 4, 1]], d: [[1, -2], [3, 5]], F: 2, S: 1},
      s2: {a: [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]], d: [[1, -1], [2, 3]], F: 3, S: 2}
    };
    var t = P.t, a = new InputGrid('a', examples.s1.a), d = new InputGrid('delta', examples.s1.d);
    var ex = select('example', [['s1', t('ex_s1')], ['s2', t('ex_s2')]]);
    var ah = numberInput('a-rows', 3, 1, 12), aw = numberInput('a-cols', 3, 1, 12);
    var wh = numberInput('w-rows', 2, 1, 7), ww = numberInput('w-cols', 2, 1, 7);
    var stride = numberInput('stride', 1, 1, 3), pad = numberInput('pad', 0, 0, 3);
    var out = el('div', {class: 'wb-row'}), grads = el('div', {class: 'wb-row'}), keys = el('div');
    var note = el('div', {class: 'wb-note', 'data-role': 'formula'}), bias = el('div', {class: 'wb-note', 'data-role': 'bias'});
    var reset = P.head(function () { load(ex.value); });
    root.appendChild(el('div', {}, [labelled(t('example'), ex), reset]));
    root.appendChild(el('div', {}, [labelled(t('a_rows'), ah), labelled(t('cols'), aw), labelled(t('w_rows'), wh), labelled(t('cols'), ww),
      labelled(t('stride'), stride), labelled(t('pad'), pad)]));
    root.appendChild(el('div', {class: 'wb-why', text: t('why_w')}));
    root.appendChild(el('div', {class: 'wb-row'}, [box(t('a'), a.table), box(t('delta'), d.table)]));
    root.appendChild(out); root.appendChild(keys); root.appendChild(grads); root.appendChild(note); root.appendChild(bias); root.appendChild(P.msg);
    function load(name) {
      var e = examples[name];
      ex.value = name;
      a.set(e.a); d.set(e.d);
      setValues([[ah, e.a.length], [aw, e.a[0].length], [wh, e.F], [ww, e.F], [stride, e.S], [pad, 0]]);
      run();
    }
    function resize(s) {
      a.resize(s[0], s[1], 0);
      var h = P.size(s[0], s[2], s[4], s[5]), w = P.size(s[1], s[3], s[4], s[5]);
      if (h && w) d.resize(h, w, 0);
      run();
    }
    function run() {
      var r = P.ask('panel=ch05\na=' + a.value() + '\ndelta=' + d.value() + '\nkernel_rows=' + intValue(wh) + '\nkernel_cols=' + intValue(ww) +
                    '\nstride=' + intValue(stride) + '\npad=' + intValue(pad) + '\n', [a, d]);
      out.innerHTML = ''; grads.innerHTML = ''; keys.innerHTML = ''; note.textContent = ''; bias.textContent = '';
      if (!r.ok) return;
      var far = unreachedClass(r.padded, r.unreached), h = r.restored.length, w = r.restored[0].length;
      var padded = outputGrid('padded', r.padded, function (v, i, j) { return far(i, j) ? 'wb-unreached' : v === 0 ? 'wb-zero' : ''; });
      var restored = outputGrid('restored', r.restored, function (v, i, j) {
        return i >= h - r.unreached[0] || j >= w - r.unreached[1] ? 'wb-tail' : r.layout[i][j] === '0' ? 'wb-zero' : 'wb-delta';
      });
      out.appendChild(box(t('padded'), padded)); out.appendChild(op('⋆'));
      out.appendChild(box(t('restored'), restored));
      keys.appendChild(unreachedKey(P, r.unreached));
      keys.appendChild(el('div', {}, [key('wb-delta', t('key_delta'), 'δ'), key('wb-zero', t('key_zero'), '0'), key('wb-tail', t('key_tail'), '0')]));
      var rule = outputGrid('rule', r.rule);
      grads.appendChild(box(t('rule'), rule));
      grads.appendChild(box(t('elements'), outputGrid('elements', r.elements)));
      grads.appendChild(box(t('naive'), outputGrid('naive', r.naive)));
      grads.appendChild(box('', el('div', {'data-role': 'agree', text: r.rel_error < 1e-12 ? t('agree', {err: r.rel_error}) : t('differ')})));
      bias.textContent = t('bias', {db: cellText(r.db), db003: cellText(r.db_003), dbn: cellText(r.db_naive)});
      pointable(rule, function (td, p, q) {
        var f = r.formulas[p][q], hit = {};
        f.cells.forEach(function (c) { hit[c[0] + ',' + c[1]] = true; });
        light(padded, 'wb-win', function (i, j) { return hit[i + ',' + j]; });
        note.textContent = t('formula', {p: p + 1, q: q + 1, symbols: f.symbols, value: cellText(f.value)});
      });
    }
    onSizes(P, [ah, aw, wh, ww, stride, pad], resize);
    ex.addEventListener('change', function () { load(ex.value); });
    [a, d].forEach(function (g) { onInput(g.table, run); });
    run();
  });

  // ---- chapter 06: pooling routes δ ---------------------------------------------------------
  definePanel('ch06', {
    en: {
      title: 'Live: where pooling sends δ back (wb::max_pool_backward, wb::mean_pool_backward)',
      how: 'Edit the map a and the two δ’s (002’s numbers), the window and the stride. Max pooling sends each δ to its window’s maximum; mean pooling shares it equally.',
      rows: 'map rows', cols: 'cols', size: 'window', stride: 'stride',
      a: 'feature map a', dmax: 'δ for max pooling', dmean: 'δ for mean pooling',
      zmax: 'max pooled', max: 'max: δ to each window’s maximum', zmean: 'mean pooled', mean: 'mean: δ/size² to every position'
    },
    zh: {
      title: '交互：池化把 δ 送回到哪里（wb::max_pool_backward, wb::mean_pool_backward）',
      how: '可以改动特征图 a 和两个 δ（初始是 002 的数），以及池化窗口和步长。最大池化把每个 δ 整个交给窗口里的最大值；平均池化把它平均分给窗口里的每个位置。',
      rows: '特征图的行数', cols: '列数', size: '窗口', stride: '步长',
      a: '特征图 a', dmax: '最大池化的 δ', dmean: '平均池化的 δ',
      zmax: '最大池化的输出', max: '最大池化：δ 交给各窗口的最大值', zmean: '平均池化的输出', mean: '平均池化：每个位置分到 δ/size²'
    }
  }, function (root, M, P) {
    var notes = {a: [[1, 8, 4, 3], [7, 2, 1, 9], [6, 1, 2, 4], [8, 7, 6, 0]], dmax: [[7, 3], [1, 4]], dmean: [[8, 4], [16, 4]]};
    var t = P.t, g = inputGrids(notes, {dmax: 'delta_max', dmean: 'delta_mean'}), a = g.a, dmax = g.dmax, dmean = g.dmean;
    var ah = numberInput('a-rows', 4, 1, 8), aw = numberInput('a-cols', 4, 1, 8);
    var size = numberInput('size', 2, 1, 4), stride = numberInput('stride', 2, 1, 4);
    var out = el('div', {class: 'wb-row'}), keyLine = el('div');
    var reset = P.head(function () { restore(g, notes, [[ah, 4], [aw, 4], [size, 2], [stride, 2]]); run(); });
    root.appendChild(el('div', {}, [labelled(t('rows'), ah), labelled(t('cols'), aw), labelled(t('size'), size), labelled(t('stride'), stride), reset]));
    root.appendChild(el('div', {class: 'wb-row'}, [box(t('a'), a.table), box(t('dmax'), dmax.table), box(t('dmean'), dmean.table)]));
    root.appendChild(out); root.appendChild(keyLine); root.appendChild(P.msg);
    function run() {
      var r = P.ask('panel=ch06\na=' + a.value() + '\ndelta_max=' + dmax.value() + '\ndelta_mean=' + dmean.value() +
                    '\nsize=' + intValue(size) + '\nstride=' + intValue(stride) + '\n', [a, dmax, dmean]);
      out.innerHTML = ''; keyLine.innerHTML = '';
      if (!r.ok) return;
      var hits = {}, far = unreachedClass(r.max, r.unreached);
      r.argmax.forEach(function (p) { hits[p[0] + ',' + p[1]] = true; });
      out.appendChild(box(t('zmax'), outputGrid('zmax', r.zmax)));
      out.appendChild(box(t('max'), outputGrid('max', r.max, function (v, i, j) { return hits[i + ',' + j] ? 'wb-win' : far(i, j) ? 'wb-unreached' : v === 0 ? 'wb-zero' : ''; })));
      out.appendChild(box(t('zmean'), outputGrid('zmean', r.zmean)));
      out.appendChild(box(t('mean'), outputGrid('mean', r.mean, function (v, i, j) { return far(i, j) ? 'wb-unreached' : ''; })));
      keyLine.appendChild(unreachedKey(P, r.unreached));
    }
    function resize(s) {
      a.resize(s[0], s[1], 0);
      var h = P.size(s[0], s[2], s[3]), w = P.size(s[1], s[2], s[3]);
      if (h && w) { dmax.resize(h, w, 1); dmean.resize(h, w, 1); }
      run();
    }
    onSizes(P, [ah, aw, size, stride], resize);
    [a, dmax, dmean].forEach(function (g) { onInput(g.table, run); });
    run();
  });

  // ---- chapter 07: the dense layer's three gradients -----------------------------------------
  definePanel('ch07', {
    en: {
      title: 'Live: 004’s two-layer network, every gradient (ch07::mse_backward, wb::dense_backward)',
      how: 'x → a² = σ(W²x + b²) → a³ = σ(W³a² + b³), J = ½‖a³ − y‖². Edit any number (the chapter’s network), or the layer sizes. Point at or tap a gradient cell for the products it sums.',
      n_in: 'inputs', n_hidden: 'hidden units', n_out: 'outputs',
      x: 'x', W2: 'W²', b2: 'b²', W3: 'W³', b3: 'b³', y: 'y (target)',
      forward: 'forward', z2: 'z²', a2: 'a² = σ(z²)', z3: 'z³', a3: 'a³ = σ(z³)', J: 'J = ½‖a³ − y‖² = {J}',
      out_layer: 'output layer: δ³ = (a³ − y) ⊙ σ′(z³), then the dense layer’s three gradients',
      delta3: 'δ³', dW3: '∂J/∂W³ = δ³ a²ᵀ', db3: '∂J/∂b³ = δ³', dA2: '∂J/∂a² = W³ᵀ δ³',
      hidden: 'hidden layer: δ² = W³ᵀδ³ ⊙ σ′(z²)', delta2: 'δ²', dW2: '∂J/∂W² = δ² xᵀ', db2: '∂J/∂b² = δ²',
      dense: 'wb::dense_backward(W³, a², δ³) gives the same ∂J/∂W³ and ∂J/∂b³: {same}', yes: 'yes', no: 'no!',
      check: 'against centred differences of J (ch07::mse_numerical), rel. error: W³ {dW3}, b³ {db3}, W² {dW2}, b² {db2}'
    },
    zh: {
      title: '交互：004 的两层网络，每一个梯度（ch07::mse_backward, wb::dense_backward）',
      how: 'x → a² = σ(W²x + b²) → a³ = σ(W³a² + b³)，J = ½‖a³ − y‖²。每个数都可以改（初始是本章的网络），层的大小也可以改。指向或点一下某个梯度格子，看它是哪些乘积的和。',
      n_in: '输入个数', n_hidden: '隐藏单元个数', n_out: '输出个数',
      x: 'x', W2: 'W²', b2: 'b²', W3: 'W³', b3: 'b³', y: 'y（目标值）',
      forward: '正向传播', z2: 'z²', a2: 'a² = σ(z²)', z3: 'z³', a3: 'a³ = σ(z³)', J: 'J = ½‖a³ − y‖² = {J}',
      out_layer: '输出层：δ³ = (a³ − y) ⊙ σ′(z³)，然后是全连接层的三个梯度',
      delta3: 'δ³', dW3: '∂J/∂W³ = δ³ a²ᵀ', db3: '∂J/∂b³ = δ³', dA2: '∂J/∂a² = W³ᵀ δ³',
      hidden: '隐藏层：δ² = W³ᵀδ³ ⊙ σ′(z²)', delta2: 'δ²', dW2: '∂J/∂W² = δ² xᵀ', db2: '∂J/∂b² = δ²',
      dense: 'wb::dense_backward(W³, a², δ³) 给出的 ∂J/∂W³ 和 ∂J/∂b³ 是否相同：{same}', yes: '相同', no: '不同！',
      check: '与 J 的中心差分（ch07::mse_numerical）对照，相对误差：W³ {dW3}，b³ {db3}，W² {dW2}，b² {db2}'
    }
  }, function (root, M, P) {
    var notes = {x: [[1], [-2]], W2: [[0.5, -0.25], [0.75, 0.5], [-1, 0.25]], b2: [[0.1], [-0.2], [0.05]],
                 W3: [[1, -0.5, 0.25], [-0.75, 0.5, 1]], b3: [[0.2], [-0.1]], y: [[1], [0]]};
    var t = P.t, g = inputGrids(notes);
    var nin = numberInput('inputs', 2, 1, 6), nh = numberInput('hidden', 3, 1, 6), nout = numberInput('outputs', 2, 1, 6);
    var fwd = el('div', {class: 'wb-row'}), back = el('div'), note = el('div', {class: 'wb-note', 'data-role': 'formula'});
    var reset = P.head(function () { restore(g, notes, [[nin, 2], [nh, 3], [nout, 2]]); run(); });
    root.appendChild(el('div', {}, [labelled(t('n_in'), nin), labelled(t('n_hidden'), nh), labelled(t('n_out'), nout), reset]));
    root.appendChild(el('div', {class: 'wb-row'}, ['x', 'W2', 'b2', 'W3', 'b3', 'y'].map(function (n) { return box(t(n), g[n].table); })));
    root.appendChild(fwd); root.appendChild(back); root.appendChild(note); root.appendChild(P.msg);
    function vec(name, v) { return outputGrid(name, column(v), null, short); }
    function run() {
      var req = 'panel=ch07\n';
      for (var n in g) req += n + '=' + g[n].value() + '\n';
      var r = P.ask(req, Object.keys(g).map(function (n) { return g[n]; }));
      fwd.innerHTML = ''; back.innerHTML = ''; note.textContent = '';
      if (!r.ok) return;
      fwd.appendChild(el('div', {class: 'wb-caption', text: t('forward')}));
      [['z2', r.z2], ['a2', r.a2], ['z3', r.z3], ['a3', r.a3]].forEach(function (p) { fwd.appendChild(box(t(p[0]), vec(p[0], p[1]))); });
      fwd.appendChild(el('div', {class: 'wb-note', 'data-role': 'loss', text: t('J', {J: short(r.J)})}));
      var dW3 = outputGrid('dW3', r.dW3, null, short), dA2 = vec('dA2', r.dA2), dW2 = outputGrid('dW2', r.dW2, null, short);
      back.appendChild(box(t('out_layer'), el('div', {class: 'wb-row'}, [box(t('delta3'), vec('delta3', r.delta3)), box(t('dW3'), dW3),
        box(t('db3'), vec('db3', r.db3)), box(t('dA2'), dA2)])));
      back.appendChild(box(t('hidden'), el('div', {class: 'wb-row'}, [box(t('delta2'), vec('delta2', r.delta2)), box(t('dW2'), dW2),
        box(t('db2'), vec('db2', r.db2))])));
      var same = JSON.stringify(r.dense_dW3) === JSON.stringify(r.dW3) && JSON.stringify(r.dense_db3) === JSON.stringify(r.db3);
      back.appendChild(el('div', {class: 'wb-caption', 'data-role': 'dense', text: t('dense', {same: same ? t('yes') : t('no')})}));
      var e = r.rel_error;
      back.appendChild(el('div', {class: 'wb-caption', 'data-role': 'check', text: t('check', {dW3: short(e.dW3), db3: short(e.db3), dW2: short(e.dW2), db2: short(e.db2)})}));
      pointable(dW3, function (td, i, j) { note.textContent = r.dW3_sums[i][j]; });
      pointable(dW2, function (td, i, j) { note.textContent = r.dW2_sums[i][j]; });
      pointable(dA2, function (td, i) { note.textContent = r.dA2_sums[i]; });
    }
    onSizes(P, [nin, nh, nout], function (s) {
      g.x.resize(s[0], 1, 0); g.W2.resize(s[1], s[0], 0); g.b2.resize(s[1], 1, 0);
      g.W3.resize(s[2], s[1], 0); g.b3.resize(s[2], 1, 0); g.y.resize(s[2], 1, 0);
      run();
    });
    for (var n in g) onInput(g[n].table, run);
    run();
  });

  // ---- chapter 08: f′ and the shrinking product ------------------------------------------------
  definePanel('ch08', {
    en: {
      title: 'Live: the gradient through k units, a product of f′(z) (wb::sigmoid_backward and friends)',
      how: 'A chain of k units a_i = f(z_i); the gradient 1 at the top is passed down through each unit’s backward pass and multiplied by f′(z_i) each time. Edit the z_i, or draw them from N(0, 1); the bars are on a log scale, with their values.',
      f: 'activation f', layers: 'units k', seed: 'seed', draw: 'Draw z ~ N(0, 1)',
      z: 'z_i', table: 'unit i: z_i, f(z_i), f′(z_i), and the gradient that reaches z_i (the product of f′ from the top down to i)',
      head_i: 'i', head_z: 'z_i', head_a: 'f(z_i)', head_fp: 'f′(z_i)', head_reach: 'gradient at z_i',
      bound: 'the sigmoid’s best case, (1/4)^k = {bound};  an active ReLU chain: {relu}',
      bottom: 'the gradient reaching unit 1: {reach}',
      plot: 'f (solid) and f′ (dashed) on [−6, 6]; dots: this chain’s z_i'
    },
    zh: {
      title: '交互：穿过 k 个单元的梯度是一串 f′(z) 的乘积（wb::sigmoid_backward 等）',
      how: '一串 k 个单元 a_i = f(z_i)；顶端的梯度 1 逐个穿过每个单元的反向传播，每穿过一个就乘上一次 f′(z_i)。可以改动各个 z_i，也可以从 N(0, 1) 中随机抽取；条形按对数刻度画，旁边写着数值。',
      f: '激活函数 f', layers: '单元个数 k', seed: '随机种子', draw: '抽取 z ~ N(0, 1)',
      z: 'z_i', table: '第 i 个单元：z_i、f(z_i)、f′(z_i)，以及到达 z_i 的梯度（从顶端到 i 的各个 f′ 之积）',
      head_i: 'i', head_z: 'z_i', head_a: 'f(z_i)', head_fp: 'f′(z_i)', head_reach: '到达 z_i 的梯度',
      bound: 'sigmoid 最好的情形 (1/4)^k = {bound}；  一串全部处于激活区的 ReLU：{relu}',
      bottom: '到达第 1 个单元的梯度：{reach}',
      plot: 'f（实线）和 f′（虚线），区间 [−6, 6]；圆点是这一串的 z_i'
    }
  }, function (root, M, P) {
    var t = P.t, zeros = [[0], [0], [0], [0], [0], [0], [0], [0], [0], [0]];
    var z = new InputGrid('z', zeros);
    var f = select('f', [['sigmoid', 'sigmoid'], ['relu', 'ReLU'], ['tanh', 'tanh']]);
    var k = numberInput('layers', 10, 1, 30), seed = numberInput('seed', 8, 0, 1000000), draw = button('draw', t('draw'));
    var out = el('div', {class: 'wb-row'}), lines = el('div', {class: 'wb-note', 'data-role': 'bound'});
    var plot = el('canvas', {width: 300, height: 180, 'data-role': 'plot', style: 'border:1px solid #c8d0dc;background:#fff'});
    var reset = P.head(function () { f.value = 'sigmoid'; k.value = 10; z.set(zeros); run(); });
    root.appendChild(el('div', {}, [labelled(t('f'), f), labelled(t('layers'), k), labelled(t('seed'), seed), draw, reset]));
    root.appendChild(el('div', {class: 'wb-row'}, [box(t('z'), z.table), out, box(t('plot'), plot)]));
    root.appendChild(lines); root.appendChild(P.msg);
    function show(r) {
      out.innerHTML = ''; lines.textContent = '';
      if (!r.ok) return;
      var table = el('table', {class: 'wb-grid wb-bars', 'data-grid': 'chain'});
      table.appendChild(el('tr', {}, ['head_i', 'head_z', 'head_a', 'head_fp', 'head_reach', ''].map(function (h) { return el('td', {text: h ? t(h) : ''}); })));
      // bar length on a log scale: full at 1, empty at the chain's smallest decade (or 0)
      var span = 1;
      r.reach.forEach(function (g) { if (g > 0) span = Math.max(span, Math.ceil(-Math.log10(g)) + 1); });
      r.reach.forEach(function (g, i) {
        var decades = g > 0 ? -Math.log10(g) : span, width = Math.round(200 * Math.max(0, 1 - decades / span));
        table.appendChild(el('tr', {'data-unit': i + 1}, [el('td', {text: String(i + 1)}), el('td', {text: short(r.z[i])}), el('td', {text: short(r.a[i])}),
          el('td', {text: short(r.fprime[i]), 'data-role': 'fprime'}), el('td', {text: g.toExponential(3), 'data-role': 'reach', title: String(g)}),
          el('td', {}, [el('div', {style: 'background:#246;height:8px;width:' + width + 'px'})])]));
      });
      out.appendChild(box(t('table'), table));
      lines.textContent = t('bound', {bound: r.bound.toExponential(3), relu: short(r.relu_active)}) + '\n' + t('bottom', {reach: r.reach[0].toExponential(3)});
      drawCurves(r);
    }
    function drawCurves(r) {
      var ctx = plot.getContext('2d'), W = plot.width, H = plot.height, c = r.curve;
      var lo = Math.min.apply(null, c.f.concat(c.fprime, [0])), hi = Math.max.apply(null, c.f.concat(c.fprime, [1]));
      function X(v) { return 30 + (W - 40) * (v + 6) / 12; }
      function Y(v) { return H - 15 - (H - 25) * (v - lo) / (hi - lo); }
      ctx.clearRect(0, 0, W, H);
      ctx.strokeStyle = '#ccc'; ctx.fillStyle = '#667'; ctx.font = '10px monospace';
      [lo, 0, hi].forEach(function (v) { ctx.beginPath(); ctx.moveTo(30, Y(v)); ctx.lineTo(W, Y(v)); ctx.stroke(); ctx.fillText(short(v), 2, Y(v) + 3); });
      [['f', '#246', []], ['fprime', '#c22', [4, 3]]].forEach(function (s) {
        ctx.strokeStyle = s[1]; ctx.setLineDash(s[2]); ctx.beginPath();
        c.z.forEach(function (v, i) { if (i) ctx.lineTo(X(v), Y(c[s[0]][i])); else ctx.moveTo(X(v), Y(c[s[0]][i])); });
        ctx.stroke();
      });
      ctx.setLineDash([]); ctx.fillStyle = '#c22';
      r.z.forEach(function (v, i) { if (v >= -6 && v <= 6) { ctx.beginPath(); ctx.arc(X(v), Y(r.fprime[i]), 3, 0, 7); ctx.fill(); } });
    }
    function run() {
      show(P.ask('panel=ch08\nf=' + f.value + '\nz=' + z.value() + '\n', [z]));
    }
    draw.addEventListener('click', function () {
      var d = dims(P, [k, seed]);
      if (!d) return;
      var r = P.ask('panel=ch08\nf=' + f.value + '\nseed=' + d[1] + '\nlayers=' + d[0] + '\n');
      if (r.ok) z.set(column(r.z));
      show(r);
    });
    onSizes(P, [k], function (s) { z.resize(s[0], 1, 0); run(); });
    onInput(z.table, run);
    f.addEventListener('change', run);
    run();
  });

  // ---- chapter 09: softmax and the cross-entropy gradient ------------------------------------
  definePanel('ch09', {
    en: {
      title: 'Live: softmax, cross-entropy and ∂L/∂z = y − t (wb::softmax, wb::softmax_ce_backward)',
      how: 'Edit the logits z (004’s (3, 1, −3)) and the true class. Eq 4.20 as written overflows on logits like 1000; subtracting the largest first does not, and gives the same y.',
      classes: 'classes K', label: 'true class', big: 'Logits of 1000: (1000, 999, 998)',
      z: 'z', table: 'class k', head_k: 'k', head_exp: 'e^(z_k)', head_naive: 'eq 4.20 as written',
      head_shift: 'z_k − max', head_exps: 'e^(z_k − max)', head_y: 'y_k', head_t: 't_k', head_grad: 'y_k − t_k',
      head_class: 'by class (ch09)', head_num: 'finite differences',
      sums: 'Σ e^(z_k) = {sum};  Σ e^(z_k − max) = {sum_shifted}  (max = {max})',
      loss: 'L = −ln y_{label} = {loss};  y − t against centred differences: rel. error {err}'
    },
    zh: {
      title: '交互：softmax、交叉熵与 ∂L/∂z = y − t（wb::softmax, wb::softmax_ce_backward）',
      how: '可以改动输入 z（初始是 004 的 (3, 1, −3)）和真实类别。照式 4.20 原样计算时，z 取 1000 这样的值就会溢出；先减去最大值就不会，而且得到同样的 y。',
      classes: '类别数 K', label: '真实类别', big: 'z 取 1000 左右：(1000, 999, 998)',
      z: 'z', table: '第 k 类', head_k: 'k', head_exp: 'e^(z_k)', head_naive: '照式 4.20 原样计算',
      head_shift: 'z_k − max', head_exps: 'e^(z_k − max)', head_y: 'y_k', head_t: 't_k', head_grad: 'y_k − t_k',
      head_class: '逐类计算（ch09）', head_num: '有限差分',
      sums: 'Σ e^(z_k) = {sum}；  Σ e^(z_k − max) = {sum_shifted}  （max = {max}）',
      loss: 'L = −ln y_{label} = {loss}；  y − t 与中心差分对照：相对误差 {err}'
    }
  }, function (root, M, P) {
    var t = P.t, notes = [[3], [1], [-3]];
    var z = new InputGrid('z', notes);
    var K = numberInput('classes', 3, 2, 10), label = numberInput('label', 0, 0, 9), big = button('big', t('big'));
    var out = el('div'), lines = el('div', {class: 'wb-note', 'data-role': 'loss'});
    // values the C++ sends as text (∞ and NaN have no JSON number), shortened for reading
    function text(v) { return isFinite(Number(v)) ? short(Number(v)) : v; }
    var reset = P.head(function () { z.set(notes); K.value = 3; label.value = 0; run(); });
    root.appendChild(el('div', {}, [labelled(t('classes'), K), labelled(t('label'), label), big, reset]));
    root.appendChild(el('div', {class: 'wb-row'}, [box(t('z'), z.table), out]));
    root.appendChild(lines); root.appendChild(P.msg);
    function run() {
      var r = P.ask('panel=ch09\nz=' + z.value() + '\nlabel=' + intValue(label) + '\n', [z]);
      out.innerHTML = ''; lines.textContent = '';
      if (!r.ok) return;
      var heads = ['head_k', 'head_exp', 'head_naive', 'head_shift', 'head_exps', 'head_y', '', 'head_t', 'head_grad', 'head_class', 'head_num'];
      var table = el('table', {class: 'wb-grid wb-bars', 'data-grid': 'softmax'});
      table.appendChild(el('tr', {}, heads.map(function (h) { return el('td', {text: h ? t(h) : ''}); })));
      r.y.forEach(function (y, k) {
        var cells = [String(k), text(r.exp[k]), text(r.naive[k]), short(r.shifted[k]), text(r.exp_shifted[k]), short(y), null,
                     k === Number(label.value) ? '1' : '0', short(r.grad[k]), short(r.by_class[k]), short(r.numeric[k])];
        var roles = ['k', 'exp', 'naive', 'shifted', 'exp_shifted', 'y', 'bar', 't', 'grad', 'by_class', 'numeric'];
        table.appendChild(el('tr', {'data-class': k}, cells.map(function (c, i) {
          if (c === null) return el('td', {}, [el('div', {style: 'background:#246;height:8px;width:' + Math.round(120 * y) + 'px'})]);
          return el('td', {text: c, 'data-role': roles[i]});
        })));
      });
      out.appendChild(box(t('table'), table));
      lines.textContent = t('sums', {sum: text(r.sum), sum_shifted: text(r.sum_shifted), max: short(r.max)}) + '\n' +
        t('loss', {label: label.value, loss: short(r.loss), err: short(r.rel_error)});
    }
    big.addEventListener('click', function () { z.set([[1000], [999], [998]]); K.value = 3; run(); });
    onSizes(P, [K], function (s) { z.resize(s[0], 1, 0); run(); });
    onInput(z.table, run); onInput(label, run);
    run();
  });

  // ---- chapter 10: the edge-kernel fit, in steps that keep the page responsive ---------------
  definePanel('ch10', {
    en: {
      title: 'Live: learn the edge kernel back (ch10::fit), loss on a log scale',
      how: 'Pick a learning rate and a start and run the fit. Above 2/λ_max the loss grows: the fit is carried on past the point where ch10::fit calls it diverging, so the curve shows the growth.',
      lr: 'learning rate', start: 'start', zero: 'w = 0 (the chapter)', seed: 'random, seed 1', run: 'Run the fit', stop: 'Stop',
      w: 'kernel w now', w_true: 'the edge kernel it should find', updates: 'updates: {n}',
      limit: '2/λ_max = {limit}', above: ' (lr is above it: expect divergence)', below: ' (lr is below it)',
      converged: 'converged: loss {loss} < {tol} at iteration {it}',
      diverged: 'diverged at iteration {it} (ch10::fit: the loss rose above its start); {past} more updates drawn: the loss reached {loss}',
      limit_hit: 'stopped after {limit} iterations, loss {loss}', running: 'running… iteration {it}, loss {loss}'
    },
    zh: {
      title: '交互：把边缘检测核重新学出来（ch10::fit），损失画在对数刻度上',
      how: '选一个学习率和一个起点，然后运行拟合。学习率超过 2/λ_max 时损失会越来越大：ch10::fit 判定发散之后，这里仍然接着算下去，让曲线把增长画出来。',
      lr: '学习率', start: '起点', zero: 'w = 0（本章的做法）', seed: '随机，种子 1', run: '运行拟合', stop: '停止',
      w: '当前的卷积核 w', w_true: '应当找到的边缘检测核', updates: '更新次数：{n}',
      limit: '2/λ_max = {limit}', above: '（lr 高于它：预计会发散）', below: '（lr 低于它）',
      converged: '已收敛：第 {it} 次迭代时损失 {loss} < {tol}',
      diverged: '第 {it} 次迭代时发散（ch10::fit 的判据：损失超过了起点的值）；之后又多画了 {past} 次更新：损失达到 {loss}',
      limit_hit: '迭代 {limit} 次后停止，损失 {loss}', running: '正在运行……第 {it} 次迭代，损失 {loss}'
    }
  }, function (root, M, P) {
    var t = P.t;
    var lr = el('input', {type: 'range', min: 0.05, max: 1.0, step: 0.01, value: 0.5, 'data-name': 'lr'});
    var lrv = el('span', {text: '0.50', 'data-role': 'lr'});
    var start = select('start', [['zero', t('zero')], ['seed', t('seed')]]);
    var go = button('run', t('run')), stop = button('stop', t('stop'));
    var status = el('div', {class: 'wb-note', 'data-role': 'status'});
    var plot = el('canvas', {width: 520, height: 220, 'data-role': 'loss-plot', style: 'border:1px solid #c8d0dc;background:#fff'});
    var kernel = el('div', {class: 'wb-row'});
    var reset = P.head(function () { lr.value = 0.5; lrv.textContent = '0.50'; start.value = 'zero'; run(); });
    root.appendChild(el('div', {}, [labelled(t('lr'), lr), lrv, ' ', labelled(t('start'), start), go, ' ', stop, reset]));
    root.appendChild(status); root.appendChild(el('div', {class: 'wb-row'}, [plot, kernel])); root.appendChild(P.msg);
    var limit = 10000, chunk = 100, past = 200, job = 0;
    function drawLoss(losses, tol, diverged, updates) {
      var ctx = plot.getContext('2d'), W = plot.width, H = plot.height;
      ctx.clearRect(0, 0, W, H);
      var lo = Math.log10(Math.min(tol, 1e-8)), hi = 1;
      losses.forEach(function (l) { if (l > 0 && isFinite(l)) hi = Math.max(hi, Math.log10(l)); });
      hi = Math.ceil(hi); lo = Math.floor(lo);
      var n = Math.max(losses.length, 100), step = Math.max(2, 2 * Math.ceil((hi - lo) / 16));
      function y(v) { return H - 20 - (H - 30) * (Math.log10(Math.max(v, 1e-300)) - lo) / (hi - lo); }
      ctx.strokeStyle = '#ccc'; ctx.fillStyle = '#667'; ctx.font = '10px monospace';
      for (var e = lo; e <= hi; e += step) { ctx.beginPath(); ctx.moveTo(40, y(Math.pow(10, e))); ctx.lineTo(W, y(Math.pow(10, e))); ctx.stroke(); ctx.fillText('1e' + e, 2, y(Math.pow(10, e)) + 3); }
      ctx.strokeStyle = '#2a7'; ctx.setLineDash([4, 3]); ctx.beginPath(); ctx.moveTo(40, y(tol)); ctx.lineTo(W, y(tol)); ctx.stroke(); ctx.setLineDash([]);
      ctx.strokeStyle = diverged ? '#c22' : '#246'; ctx.beginPath();
      losses.forEach(function (l, i) {
        var px = 40 + (W - 45) * i / n, py = l !== null && isFinite(l) ? Math.max(0, y(l)) : 0;
        if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py);
      });
      ctx.stroke();
      ctx.fillText(t('updates', {n: updates}), W - 100, H - 5);
    }
    function showKernel(w, wTrue) {
      kernel.innerHTML = '';
      kernel.appendChild(box(t('w'), outputGrid('w', w.map(function (r) { return r.map(function (v) { return Number(v.toPrecision(6)); }); }))));
      kernel.appendChild(box(t('w_true'), outputGrid('w_true', wTrue)));
    }
    function run() {
      var my = ++job, losses = [], w = null, total = 0, rate = Number(lr.value), t0 = performance.now();
      function step() {
        if (my !== job) return;  // stopped or restarted
        var req = 'panel=ch10\nlr=' + rate + '\niterations=' + Math.min(chunk, limit - total) + '\npast=' + past + '\n';
        if (w) req += 'w=' + matrixText(w) + '\n';
        else if (start.value === 'seed') req += 'seed=1\n';
        var r = P.ask(req);
        if (!r.ok) { status.textContent = ''; return; }
        w = r.w; total += r.iterations; losses = losses.concat(r.losses);
        drawLoss(losses, r.tol, r.outcome === 'diverged', total); showKernel(r.w, r.w_true);
        var limitText = t('limit', {limit: r.lr_limit.toFixed(6)}) + (rate > r.lr_limit ? t('above') : t('below'));
        var last = losses[losses.length - 1], lastText = last === null ? '∞' : last.toExponential(3);
        var state = r.outcome === 'converged' ? t('converged', {loss: lastText, tol: r.tol, it: total})
          : r.outcome === 'diverged' ? t('diverged', {it: total, past: r.past, loss: lastText})
          : total >= limit ? t('limit_hit', {limit: limit, loss: lastText})
          : t('running', {it: total, loss: lastText});
        status.textContent = 'lr = ' + rate + ',  ' + limitText + '\n' + state;
        status.setAttribute('data-outcome', r.outcome === 'running' && total >= limit ? 'limit' : r.outcome);
        status.setAttribute('data-iterations', total);
        status.setAttribute('data-losses', losses.length);
        status.setAttribute('data-last-loss', last === null ? 'inf' : last);
        status.setAttribute('data-first-loss', losses[0]);
        if (r.outcome === 'running' && total < limit) setTimeout(step, 0);  // yield to the page between chunks
        else (window.wbLive.fits = window.wbLive.fits || []).push({lr: rate, outcome: r.outcome, iterations: total, ms: performance.now() - t0});
      }
      step();
    }
    lr.addEventListener('input', function () { lrv.textContent = Number(lr.value).toFixed(2); });
    lr.addEventListener('change', run);
    start.addEventListener('change', run);
    go.addEventListener('click', run);
    stop.addEventListener('click', function () { ++job; });
    run();
  });

  // ---- chapter 11: LeNet on a drawn digit -----------------------------------------------------
  definePanel('ch11', {
    en: {
      title: 'Live: draw a digit; LeNet-5 (ch11::forward, ch11::backward) with weights chapter 11 trained',
      how: 'Draw a digit with the mouse or a finger; pick a label and run the backward pass for it. Each layer’s maps share one colour scale, written beside them.',
      no_weights: 'Live LeNet: the trained weights (live/lenet_weights.js) were not built.',
      weights: 'weights: {source}', clear: 'Clear', label: 'label', backward: 'Backward pass for this label',
      reads: 'LeNet reads: {digit}',
      forward: 'Forward: every layer’s maps after ReLU / pooling (darker = larger)',
      x: 'input 28×28 (centred by mass, like MNIST)', c1: 'C1 6@28×28', s2: 'S2 6@14×14', c3: 'C3 16@10×10', s4: 'S4 16@5×5', f5: 'F5 120', f6: 'F6 84',
      deltas: 'Backward for label {label} (loss {loss}): δ of every layer (red > 0, blue < 0)',
      scale_mode: 'δ colour scale', per_layer: 'each layer its own (written beside it)', shared: 'one for all layers',
      d_f7: 'δ F7 (P − T)', d_f6: 'δ F6', d_f5: 'δ F5', d_s4: 'δ S4', d_c3: 'δ C3', d_s2: 'δ S2', d_c1: 'δ C1',
      map: '{layer} map {i}'
    },
    zh: {
      title: '交互：写一个数字；LeNet-5（ch11::forward, ch11::backward）用的是第 11 章训练出的权重',
      how: '用鼠标或手指写一个数字；选一个标签，对它做一次反向传播。同一层的特征图共用一个色标，写在旁边。',
      no_weights: '交互 LeNet：训练好的权重（live/lenet_weights.js）没有生成。',
      weights: '权重：{source}', clear: '清除', label: '标签', backward: '对这个标签做反向传播',
      reads: 'LeNet 认出的是：{digit}',
      forward: '正向传播：每一层经过 ReLU / 池化之后的特征图（颜色越深，值越大）',
      x: '输入 28×28（按质心居中，和 MNIST 一样）', c1: 'C1 6@28×28', s2: 'S2 6@14×14', c3: 'C3 16@10×10', s4: 'S4 16@5×5', f5: 'F5 120', f6: 'F6 84',
      deltas: '标签 {label} 的反向传播（损失 {loss}）：每一层的误差项 δ（红色 > 0，蓝色 < 0）',
      scale_mode: 'δ 的色标', per_layer: '每层各用各的（写在旁边）', shared: '所有层共用一个',
      d_f7: 'δ F7 (P − T)', d_f6: 'δ F6', d_f5: 'δ F5', d_s4: 'δ S4', d_c3: 'δ C3', d_s2: 'δ S2', d_c1: 'δ C1',
      map: '{layer} 的第 {i} 张特征图'
    }
  }, function (root, M, P) {
    var t = P.t;
    if (!window.WB_LENET) {
      root.appendChild(el('p', {text: t('no_weights')}));
      return;
    }
    var bytes = Uint8Array.from(atob(window.WB_LENET.weights), function (c) { return c.charCodeAt(0); });
    var wp = M._malloc(bytes.length);
    M.HEAPU8.set(bytes, wp);
    var why = M.UTF8ToString(M._wb_live_set_weights(wp, bytes.length / 4));
    M._free(wp);
    var side = 280;
    var canvas = el('canvas', {width: side, height: side, 'data-role': 'pad', style: 'background:#000;touch-action:none;cursor:crosshair;border:1px solid #889'});
    var clear = button('clear', t('clear'));
    var label = el('select', {'data-name': 'label'});
    for (var k = 0; k < 10; ++k) label.appendChild(el('option', {value: k, text: String(k)}));
    var back = button('backward', t('backward'));
    var mode = select('scale', [['layer', t('per_layer')], ['shared', t('shared')]]);
    var result = el('div', {class: 'wb-note', 'data-role': 'predicted'});
    var probs = el('table', {class: 'wb-bars', 'data-grid': 'prob'});
    var maps = el('div', {}), deltas = el('div', {}), last = null;
    root.appendChild(el('h4', {text: t('title')}));
    root.appendChild(el('div', {class: 'wb-caption', 'data-role': 'how', text: t('how')}));
    root.appendChild(el('div', {class: 'wb-caption', text: t('weights', {source: window.WB_LENET.source})}));
    root.appendChild(el('div', {class: 'wb-row'}, [canvas, el('div', {}, [clear, el('br'), labelled(t('label'), label), back, el('br'),
      labelled(t('scale_mode'), mode), result, probs])]));
    root.appendChild(P.msg); root.appendChild(maps); root.appendChild(deltas);
    if (why) { P.refuse(why); return; }
    var ctx = canvas.getContext('2d');
    ctx.lineWidth = 22; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#fff';
    var drawing = false;
    function pos(e) { var b = canvas.getBoundingClientRect(); return [(e.clientX - b.left) * side / b.width, (e.clientY - b.top) * side / b.height]; }
    canvas.addEventListener('pointerdown', function (e) { drawing = true; var p = pos(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); ctx.lineTo(p[0], p[1]); ctx.stroke(); e.preventDefault(); });
    canvas.addEventListener('pointermove', function (e) { if (!drawing) return; var p = pos(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); });
    function end() { if (drawing) { drawing = false; run(-1); } }
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointerleave', end);
    clear.addEventListener('click', function () { ctx.clearRect(0, 0, side, side); maps.innerHTML = deltas.innerHTML = probs.innerHTML = ''; result.textContent = ''; P.refuse(''); last = null; });
    back.addEventListener('click', function () { run(+label.value); });
    mode.addEventListener('change', function () { if (last) showDeltas(last); });
    function pixels() {
      var d = ctx.getImageData(0, 0, side, side).data, hex = new Array(side * side);
      for (var i = 0; i < side * side; ++i) hex[i] = (d[4 * i] < 16 ? '0' : '') + d[4 * i].toString(16);  // red channel: ink
      return hex.join('');
    }
    // One layer's maps on one scale (max, from the C++), with the scale written beside them.
    function layerRow(title, list, signed, px, max) {
      var row = el('div', {class: 'wb-row'});
      list.forEach(function (m, i) {
        var c = drawMap(el('canvas', {class: 'wb-map'}), m, signed, px, max);
        c.title = t('map', {layer: title, i: i});
        row.appendChild(c);
      });
      return el('div', {'data-layer': title}, [el('div', {class: 'wb-caption'}, [title + '  ', legend(t, signed, max)]), row]);
    }
    function showDeltas(r) {
      deltas.innerHTML = '';
      var s = r.delta_scales, d = r.deltas, all = 0;
      for (var n in s) all = Math.max(all, s[n]);
      function scale(n) { return mode.value === 'shared' ? all : s[n]; }
      deltas.setAttribute('data-label', r.label);
      deltas.appendChild(el('div', {class: 'wb-caption', text: t('deltas', {label: r.label, loss: r.loss.toFixed(4)})}));
      deltas.appendChild(layerRow(t('d_f7'), [[d.f7]], true, 12, scale('f7')));
      deltas.appendChild(layerRow(t('d_f6'), [[d.f6]], true, 5, scale('f6')));
      deltas.appendChild(layerRow(t('d_f5'), [[d.f5]], true, 4, scale('f5')));
      deltas.appendChild(layerRow(t('d_s4'), d.s4, true, 8, scale('s4')));
      deltas.appendChild(layerRow(t('d_c3'), d.c3, true, 5, scale('c3')));
      deltas.appendChild(layerRow(t('d_s2'), d.s2, true, 4, scale('s2')));
      deltas.appendChild(layerRow(t('d_c1'), d.c1, true, 3, scale('c1')));
    }
    function run(lab) {
      var r = P.ask('panel=ch11\nwidth=' + side + '\nheight=' + side + (lab >= 0 ? '\nlabel=' + lab : '') + '\npixels=' + pixels() + '\n');
      if (!r.ok) return;
      result.textContent = t('reads', {digit: r.predicted});
      result.setAttribute('data-predicted', r.predicted);
      probs.innerHTML = '';
      r.prob.forEach(function (p, k) {
        probs.appendChild(el('tr', {}, [el('td', {text: String(k)}), el('td', {text: p.toFixed(4), 'data-digit': k}),
          el('td', {}, [el('div', {style: 'background:' + (k === r.predicted ? '#246' : '#9ab') + ';height:10px;width:' + Math.round(200 * p) + 'px'})])]));
      });
      var s = r.scales;
      maps.innerHTML = '';
      maps.appendChild(el('div', {class: 'wb-caption', text: t('forward')}));
      maps.appendChild(layerRow(t('x'), [r.x], false, 4, s.x));
      maps.appendChild(layerRow(t('c1'), r.c1, false, 3, s.c1));
      maps.appendChild(layerRow(t('s2'), r.s2, false, 4, s.s2));
      maps.appendChild(layerRow(t('c3'), r.c3, false, 5, s.c3));
      maps.appendChild(layerRow(t('s4'), r.s4, false, 8, s.s4));
      maps.appendChild(layerRow(t('f5'), [[r.f5]], false, 4, s.f5));
      maps.appendChild(layerRow(t('f6'), [[r.f6]], false, 5, s.f6));
      deltas.innerHTML = '';
      if (!r.deltas) return;
      last = r;
      showDeltas(r);
    }
  });

  // ---- start: the registry from the C++, then every panel on the page ------------------------
  function start() {
    var roots = document.querySelectorAll('div.wb-live[data-panel]');
    if (!roots.length) return;
    window.wbLive.defined = Object.keys(PANELS);
    function common(root, k, vars) { return translator(root, {}, '')(k, vars); }
    if (typeof window.createWbLive !== 'function') {
      var reason = window.WB_LIVE_MISSING || COMMON.en.no_wasm;
      Array.prototype.forEach.call(roots, function (r) {
        r.setAttribute('data-state', 'not-built');
        r.querySelector('.wb-live-static').textContent = common(r, 'not_built', {why: reason});
      });
      return;
    }
    document.head.appendChild(el('style', {text: css}));
    wasm().then(function (M) {
      var listed = ask(M, 'panel=panels\n').panels, names = {};
      window.wbLive.registry = listed;
      listed.forEach(function (p) { names[p.name] = p; });
      Array.prototype.forEach.call(roots, function (root) {
        var name = root.getAttribute('data-panel');
        try {
          if (!names[name]) throw new Error(common(root, 'unregistered', {name: name}));
          if (!PANELS[name]) throw new Error(common(root, 'undrawn', {name: name}));
          root.querySelector('.wb-live-static').remove();
          var P = new Panel(root, name, M, PANELS[name].strings);
          PANELS[name].build(root, M, P);
          root.setAttribute('data-state', 'ready');
          window.wbLive.ready[name] = true;
        } catch (e) {
          root.setAttribute('data-state', 'failed');
          window.wbLive.errors.push(name + ': ' + e.message);
          root.appendChild(el('div', {class: 'wb-msg', text: common(root, 'failed', {why: e.message})}));
        }
      });
      window.wbLive.readyMs = performance.now();
      window.wbLive.scriptMs = startMs;
    }, function (e) { window.wbLive.errors.push('wasm: ' + e); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
