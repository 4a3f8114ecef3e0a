// The live panels of the chapter pages. Every number shown is computed by the workbook's
// C++ (docs/live/panels.hpp, compiled to WebAssembly in wb_live.js); this file only builds
// the inputs, sends what the reader typed as text, and draws the JSON that comes back.
// Bad input comes back as a one-line reason, shown under the panel.
(function () {
  'use strict';
  var startMs = performance.now();
  window.wbLive = {ready: {}, errors: [], readyMs: null, askMs: {}};

  var css = [
    '.wb-live{border:1px solid #c8d0dc;border-radius:6px;padding:10px 14px;margin:14px 0;background:#f8fafc}',
    '.wb-live h4{margin:0 0 8px 0}',
    '.wb-live .wb-row{display:flex;flex-wrap:wrap;gap:18px;align-items:flex-start;margin:6px 0}',
    '.wb-live table.wb-grid{border-collapse:collapse;margin:2px 0}',
    '.wb-live table.wb-grid td{border:1px solid #c8d0dc;min-width:2.2em;height:1.6em;text-align:center;padding:0 3px;font-family:monospace;background:#fff}',
    '.wb-live table.wb-grid td input{width:3em;border:0;text-align:center;font-family:monospace;background:transparent}',
    '.wb-live td.wb-hot{background:#ffe9a8 !important}',
    '.wb-live td.wb-win{background:#cfe6ff !important}',
    '.wb-live td.wb-bad{background:#ffc9c9 !important}',
    '.wb-live td.wb-zero{color:#aab}',
    '.wb-live .wb-msg{color:#b00020;min-height:1.3em;font-weight:bold}',
    '.wb-live .wb-note{color:#445;font-family:monospace;white-space:pre-wrap;min-height:1.3em}',
    '.wb-live label{margin-right:10px}',
    '.wb-live input.wb-small{width:3.5em}',
    '.wb-live canvas.wb-map{image-rendering:pixelated;border:1px solid #c8d0dc;margin:1px}',
    '.wb-live .wb-caption{font-size:85%;color:#445}',
    '.wb-live .wb-bars td{font-family:monospace;padding:0 4px}'
  ].join('\n');

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
  function labelled(text, input) { return el('label', {}, [text + ' ', input]); }
  function cellText(v) { return v === null ? '∞' : String(v); }

  // An editable grid: the cells keep what the reader typed; value() writes it for the request.
  function InputGrid(name, rows) {
    this.name = name;
    this.table = el('table', {class: 'wb-grid', 'data-grid': name});
    this.set(rows);
  }
  InputGrid.prototype.set = function (rows) {
    this.table.innerHTML = '';
    var self = this;
    rows.forEach(function (row, i) {
      var tr = el('tr');
      row.forEach(function (v, j) {
        var input = el('input', {type: 'text', value: String(v), 'aria-label': self.name + ' row ' + (i + 1) + ' column ' + (j + 1)});
        tr.appendChild(el('td', {}, [input]));
      });
      self.table.appendChild(tr);
    });
  };
  InputGrid.prototype.rows = function () {
    return Array.prototype.map.call(this.table.rows, function (tr) {
      return Array.prototype.map.call(tr.cells, function (td) { return td.firstChild.value; });
    });
  };
  InputGrid.prototype.resize = function (h, w, fill) {
    var old = this.rows(), rows = [];
    if (old.length === h && old[0].length === w) return;  // keep the cells (and the focus)
    for (var i = 0; i < h; ++i) {
      rows.push([]);
      for (var j = 0; j < w; ++j) rows[i].push(old[i] && old[i][j] !== undefined ? old[i][j] : fill);
    }
    this.set(rows);
  };
  // Separators typed into a cell must not split it: they become spaces, which the C++
  // refuses as "not a number", naming the cell.
  InputGrid.prototype.value = function () {
    return this.rows().map(function (r) {
      return r.map(function (v) { return v.replace(/[,;\r\n=]/g, ' '); }).join(',');
    }).join(';');
  };
  InputGrid.prototype.mark = function (row, col) {
    Array.prototype.forEach.call(this.table.querySelectorAll('td'), function (td) { td.classList.remove('wb-bad'); });
    var tr = this.table.rows[row - 1];
    if (tr && tr.cells[col - 1]) tr.cells[col - 1].classList.add('wb-bad');
  };

  // A read-only grid of numbers (or symbols).
  function outputGrid(name, rows, cls) {
    var t = el('table', {class: 'wb-grid', 'data-grid': name});
    rows.forEach(function (row, i) {
      var tr = el('tr');
      row.forEach(function (v, j) {
        var td = el('td', {text: cellText(v), 'data-row': i, 'data-col': j});
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

  // A value → colour map: grey levels for activations, red/blue for signed δ.
  function drawMap(canvas, rows, signed, scale) {
    var h = rows.length, w = rows[0].length, lo = 0, hi = 0;
    rows.forEach(function (r) { r.forEach(function (v) { lo = Math.min(lo, v); hi = Math.max(hi, v); }); });
    var m = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    canvas.width = w; canvas.height = h;
    canvas.style.width = (w * scale) + 'px'; canvas.style.height = (h * scale) + 'px';
    var ctx = canvas.getContext('2d'), img = ctx.createImageData(w, h);
    for (var i = 0; i < h; ++i)
      for (var j = 0; j < w; ++j) {
        var v = rows[i][j], k = 4 * (i * w + j), r, g, b;
        if (signed) {
          var t = Math.min(1, Math.abs(v) / m);
          r = v > 0 ? 255 : Math.round(255 * (1 - t)); b = v < 0 ? 255 : Math.round(255 * (1 - t)); g = Math.round(255 * (1 - t));
        } else {
          r = g = b = Math.round(255 * (1 - Math.min(1, Math.max(0, v) / (hi || 1))));
        }
        img.data[k] = r; img.data[k + 1] = g; img.data[k + 2] = b; img.data[k + 3] = 255;
      }
    ctx.putImageData(img, 0, 0);
    return canvas;
  }
  function mapCanvas(rows, signed, scale, title) {
    var c = drawMap(el('canvas', {class: 'wb-map'}), rows, signed, scale);
    if (title) c.title = title;
    return c;
  }

  // ---- a panel: its message line and a run() that never throws ------------------------------
  function Panel(root, name, M) {
    this.root = root; this.name = name; this.M = M;
    this.msg = el('div', {class: 'wb-msg', role: 'alert', 'data-role': 'message'});
  }
  // Sends the request; on a refusal shows the reason (and marks the cell it names).
  Panel.prototype.ask = function (text, grids) {
    var r, t0 = performance.now();
    try { r = ask(this.M, text); } catch (e) { r = {ok: false, error: 'the panel failed: ' + e.message}; }
    var ms = window.wbLive.askMs;  // the slowest answer of each panel, for the measurements
    ms[this.name] = Math.max(ms[this.name] || 0, performance.now() - t0);
    this.msg.textContent = r.ok ? '' : r.error;
    (grids || []).forEach(function (g) {
      var m = !r.ok && r.error.match(new RegExp('^' + g.name + ' row (\\d+), column (\\d+)'));
      if (m) g.mark(+m[1], +m[2]); else g.mark(0, 0);
    });
    return r;
  };
  Panel.prototype.size = function (n, f, s) {
    var r = ask(this.M, 'panel=size\nn=' + n + '\nf=' + f + '\np=0\ns=' + s + '\n');
    return r.ok ? r.size : null;
  };
  function onInput(container, fn) {
    container.addEventListener('input', fn);
    container.addEventListener('change', fn);
  }
  function intValue(input) { return input.value.trim(); }
  // A grid's size control, bounded before any cell is made (the C++ checks the grid again).
  function dims(P, inputs) {
    for (var k = 0; k < inputs.length; ++k) {
      var i = inputs[k], v = Number(i.value), lo = Number(i.min), hi = Number(i.max);
      if (!(Number.isInteger(v) && v >= lo && v <= hi)) {
        P.msg.textContent = i.getAttribute('data-name') + ' must be a whole number from ' + lo + ' to ' + hi + ', got ' + i.value;
        return null;
      }
    }
    return inputs.map(function (i) { return Number(i.value); });
  }

  // ---- chapter 01: the forward map --------------------------------------------------------
  function ch01(root, M) {
    var P = new Panel(root, 'ch01', M);
    var x = new InputGrid('x', [[1, 1, 1, 0, 0], [0, 1, 1, 1, 0], [0, 0, 1, 1, 1], [0, 0, 1, 1, 0], [0, 1, 1, 0, 0]]);
    var w = new InputGrid('w', [[1, 0, 1], [0, 1, 0], [1, 0, 1]]);
    var xh = numberInput('x-rows', 5, 1, 12), xw = numberInput('x-cols', 5, 1, 12);
    var wh = numberInput('w-rows', 3, 1, 7), ww = numberInput('w-cols', 3, 1, 7);
    var stride = numberInput('stride', 1, 1, 3), pad = numberInput('pad', 0, 0, 3);
    var bias = el('input', {type: 'text', class: 'wb-small', 'data-name': 'bias', value: '0'});
    var out = el('div', {class: 'wb-row'}), note = el('div', {class: 'wb-note', 'data-role': 'sum'});
    var controls = el('div', {}, [labelled('x rows', xh), labelled('cols', xw), labelled('w rows', wh), labelled('cols', ww),
      labelled('stride S', stride), labelled('padding P', pad), labelled('bias b', bias)]);
    root.appendChild(el('h4', {text: 'Live: a = ReLU(x ⋆ w + b), computed by ch01::feature_map'}));
    root.appendChild(controls);
    root.appendChild(el('div', {class: 'wb-row'}, [box('input x', x.table), box('kernel w', w.table)]));
    root.appendChild(out); root.appendChild(note); root.appendChild(P.msg);
    function run() {
      var r = P.ask('panel=ch01\nx=' + x.value() + '\nw=' + w.value() + '\nbias=' + bias.value +
                    '\nstride=' + intValue(stride) + '\npad=' + intValue(pad) + '\n', [x, w]);
      out.innerHTML = ''; note.textContent = '';
      if (!r.ok) return;
      var padded = outputGrid('padded', r.padded, function (v) { return v === 0 ? 'wb-zero' : ''; });
      var a = outputGrid('a', r.a);
      out.appendChild(box('x padded by P', padded));
      out.appendChild(box('feature map a (hover a cell)', a));
      var kh = w.rows().length, kw = w.rows()[0].length;
      Array.prototype.forEach.call(a.querySelectorAll('td'), function (td) {
        td.addEventListener('mouseenter', function () {
          var i = +td.getAttribute('data-row'), j = +td.getAttribute('data-col');
          var cell = r.cells[i * r.a[0].length + j];
          Array.prototype.forEach.call(padded.querySelectorAll('td'), function (p) {
            var pi = +p.getAttribute('data-row'), pj = +p.getAttribute('data-col');
            p.classList.toggle('wb-win', pi >= cell.row && pi < cell.row + kh && pj >= cell.col && pj < cell.col + kw);
          });
          td.classList.add('wb-hot');
          note.textContent = 'z' + sub(i) + sub(j) + ' = ' + cell.sum + ',  a' + sub(i) + sub(j) + ' = ReLU(' + cellText(cell.z) + ') = ' + cellText(r.a[i][j]);
        });
        td.addEventListener('mouseleave', function () { td.classList.remove('wb-hot'); });
      });
    }
    onInput(controls, function () {
      var d = dims(P, [xh, xw, wh, ww]);
      if (!d) return;
      x.resize(d[0], d[1], 0); w.resize(d[2], d[3], 0); run();
    });
    onInput(x.table, run); onInput(w.table, run); onInput(bias, run);
    run();
  }
  function sub(n) { return String(n).split('').map(function (d) { return '₀₁₂₃₄₅₆₇₈₉'[+d]; }).join(''); }

  // ---- chapter 02: δ_out by the rule and by the naive backward pass -------------------------
  function ch02(root, M) {
    var P = new Panel(root, 'ch02', M);
    var a = new InputGrid('a', [[1, 2, 0], [3, -1, 2], [0, 4, 1]]);
    var w = new InputGrid('w', [[1, 2], [3, 4]]);
    var d = new InputGrid('delta', [[1, -2], [3, 5]]);
    var ah = numberInput('a-rows', 3, 1, 12), aw = numberInput('a-cols', 3, 1, 12);
    var wh = numberInput('w-rows', 2, 1, 7), ww = numberInput('w-cols', 2, 1, 7);
    var controls = el('div', {}, [labelled('A rows', ah), labelled('cols', aw), labelled('W rows', wh), labelled('cols', ww)]);
    var out = el('div', {class: 'wb-row'}), note = el('div', {class: 'wb-note', 'data-role': 'formula'});
    root.appendChild(el('h4', {text: 'Live: δ_out = pad(δ_in, F−1) ⋆ rot180(W), against the naive backward pass'}));
    root.appendChild(controls);
    root.appendChild(el('div', {class: 'wb-row'}, [box('input A', a.table), box('kernel W', w.table), box('δ_in (from the next layer)', d.table)]));
    root.appendChild(out); root.appendChild(note); root.appendChild(P.msg);
    function run() {
      var r = P.ask('panel=ch02\na=' + a.value() + '\nw=' + w.value() + '\ndelta=' + d.value() + '\n', [a, w, d]);
      out.innerHTML = ''; note.textContent = '';
      if (!r.ok) return;
      var rule = outputGrid('rule', r.rule), naive = outputGrid('naive', r.naive);
      out.appendChild(box('δ_out by the rule (ch02::delta_out_eq8)', rule));
      out.appendChild(box('δ_out by the naive backward pass (wb::conv2d_backward)', naive));
      out.appendChild(box('', el('div', {'data-role': 'agree', text: r.agree ? 'the two agree, element for element' : 'they differ!'})));
      [rule, naive].forEach(function (t) {
        Array.prototype.forEach.call(t.querySelectorAll('td'), function (td) {
          td.addEventListener('mouseenter', function () {
            var i = +td.getAttribute('data-row'), j = +td.getAttribute('data-col'), f = r.formulas[i][j];
            note.textContent = '∂J/∂a' + (i + 1) + (j + 1) + ' = ' + f.symbols + ' = ' + cellText(f.value);
            td.classList.add('wb-hot');
          });
          td.addEventListener('mouseleave', function () { td.classList.remove('wb-hot'); });
        });
      });
    }
    function resize() {
      var s = dims(P, [ah, aw, wh, ww]);
      if (!s) return;
      a.resize(s[0], s[1], 0); w.resize(s[2], s[3], 0);
      var h = P.size(s[0], s[2], 1), wd = P.size(s[1], s[3], 1);
      if (h && wd) d.resize(h, wd, 0);
      run();
    }
    onInput(controls, resize);
    [a, w, d].forEach(function (g) { onInput(g.table, run); });
    run();
  }

  // ---- chapter 03: zero insertion -----------------------------------------------------------
  function ch03(root, M) {
    var P = new Panel(root, 'ch03', M);
    var H = numberInput('height', 5, 1, 24), W = numberInput('width', 8, 1, 24), f = numberInput('kernel', 3, 1, 7);
    var pad = numberInput('pad', 0, 0, 3);
    var S = el('input', {type: 'range', min: 1, max: 3, value: 2, 'data-name': 'stride'});
    var sv = el('span', {text: '2'});
    var controls = el('div', {}, [labelled('input n: rows', H), labelled('cols', W), labelled('kernel f', f), labelled('padding P', pad), labelled('stride S', S), sv]);
    var out = el('div', {class: 'wb-row'}), note = el('div', {class: 'wb-note', 'data-role': 'sizes'});
    root.appendChild(el('h4', {text: 'Live: δ of a stride-S layer, zero-inserted (wb::zero_insert via ch03::layout)'}));
    root.appendChild(controls); root.appendChild(note); root.appendChild(out); root.appendChild(P.msg);
    function run() {
      sv.textContent = S.value;
      var r = P.ask('panel=ch03\nheight=' + intValue(H) + '\nwidth=' + intValue(W) + '\nkernel=' + intValue(f) +
                    '\npad=' + intValue(pad) + '\nstride=' + S.value + '\n');
      out.innerHTML = ''; note.textContent = '';
      if (!r.ok) return;
      out.appendChild(box('δ restored to stride 1', outputGrid('layout', r.layout, function (v) { return v === '0' ? 'wb-zero' : ''; })));
      function line(axis, n, s) {
        return axis + ': m = ⌊(' + n + ' + 2·' + pad.value + ' − ' + f.value + ')/' + S.value + '⌋ + 1 = ' + s.m +
          ';  m·S = ' + s.words + ' (the words),  (m−1)·S + 1 = ' + s.drawn + ' (the drawing),  needed n + 2P − f + 1 = ' +
          s.needed + ';  remainder (n + 2P − f) mod S = ' + s.remainder + ', so needed = drawn + ' + s.remainder;
      }
      note.textContent = line('rows', H.value, r.rows) + '\n' + line('cols', W.value, r.cols);
    }
    onInput(controls, run);
    run();
  }

  // ---- chapter 06: pooling routes δ ---------------------------------------------------------
  function ch06(root, M) {
    var P = new Panel(root, 'ch06', M);
    var a = new InputGrid('a', [[1, 8, 4, 3], [7, 2, 1, 9], [6, 1, 2, 4], [8, 7, 6, 0]]);
    var dmax = new InputGrid('delta_max', [[7, 3], [1, 4]]), dmean = new InputGrid('delta_mean', [[8, 4], [16, 4]]);
    var ah = numberInput('a-rows', 4, 1, 8), aw = numberInput('a-cols', 4, 1, 8);
    var size = numberInput('size', 2, 1, 4), stride = numberInput('stride', 2, 1, 4);
    var controls = el('div', {}, [labelled('map rows', ah), labelled('cols', aw), labelled('window', size), labelled('stride', stride)]);
    var out = el('div', {class: 'wb-row'});
    root.appendChild(el('h4', {text: 'Live: where pooling sends δ back (wb::max_pool_backward, wb::mean_pool_backward)'}));
    root.appendChild(controls);
    root.appendChild(el('div', {class: 'wb-row'}, [box('feature map a', a.table), box('δ for max pooling', dmax.table), box('δ for mean pooling', dmean.table)]));
    root.appendChild(out); root.appendChild(P.msg);
    function run() {
      var r = P.ask('panel=ch06\na=' + a.value() + '\ndelta_max=' + dmax.value() + '\ndelta_mean=' + dmean.value() +
                    '\nsize=' + intValue(size) + '\nstride=' + intValue(stride) + '\n', [a, dmax, dmean]);
      out.innerHTML = '';
      if (!r.ok) return;
      var hits = {};
      r.argmax.forEach(function (p) { hits[p[0] + ',' + p[1]] = true; });
      out.appendChild(box('max pooled', outputGrid('zmax', r.zmax)));
      out.appendChild(box('max: δ to each window’s maximum', outputGrid('max', r.max, function (v, i, j) { return hits[i + ',' + j] ? 'wb-win' : v === 0 ? 'wb-zero' : ''; })));
      out.appendChild(box('mean pooled', outputGrid('zmean', r.zmean)));
      out.appendChild(box('mean: δ/size² to every position', outputGrid('mean', r.mean)));
    }
    function resize() {
      var s = dims(P, [ah, aw, size, stride]);
      if (!s) return;
      a.resize(s[0], s[1], 0);
      var h = P.size(s[0], s[2], s[3]), w = P.size(s[1], s[2], s[3]);
      if (h && w) { dmax.resize(h, w, 1); dmean.resize(h, w, 1); }
      run();
    }
    onInput(controls, resize);
    [a, dmax, dmean].forEach(function (g) { onInput(g.table, run); });
    run();
  }

  // ---- chapter 10: the edge-kernel fit, in steps that keep the page responsive ---------------
  function ch10(root, M) {
    var P = new Panel(root, 'ch10', M);
    var lr = el('input', {type: 'range', min: 0.05, max: 1.0, step: 0.01, value: 0.5, 'data-name': 'lr'});
    var lrv = el('span', {text: '0.50', 'data-role': 'lr'});
    var start = el('select', {'data-name': 'start'}, [el('option', {value: 'zero', text: 'w = 0 (the chapter)'}), el('option', {value: 'seed', text: 'random, seed 1'})]);
    var go = el('button', {type: 'button', text: 'Run the fit', 'data-name': 'run'}), stop = el('button', {type: 'button', text: 'Stop'});
    var status = el('div', {class: 'wb-note', 'data-role': 'status'});
    var plot = el('canvas', {width: 520, height: 220, 'data-role': 'loss-plot', style: 'border:1px solid #c8d0dc;background:#fff'});
    var kernel = el('div', {class: 'wb-row'});
    root.appendChild(el('h4', {text: 'Live: learn the edge kernel back (ch10::fit), loss on a log scale'}));
    root.appendChild(el('div', {}, [labelled('learning rate', lr), lrv, ' ', labelled('start', start), go, ' ', stop]));
    root.appendChild(status); root.appendChild(el('div', {class: 'wb-row'}, [plot, kernel])); root.appendChild(P.msg);
    var limit = 10000, chunk = 100, job = 0;
    function drawLoss(losses, tol, diverged, updates) {
      var ctx = plot.getContext('2d'), W = plot.width, H = plot.height;
      ctx.clearRect(0, 0, W, H);
      var lo = Math.log10(Math.min(tol, 1e-8)), hi = 1;
      losses.forEach(function (l) { if (l > 0 && isFinite(l)) hi = Math.max(hi, Math.log10(l)); });
      hi = Math.ceil(hi); lo = Math.floor(lo);
      var n = Math.max(losses.length, 100);
      function y(v) { return H - 20 - (H - 30) * (Math.log10(Math.max(v, 1e-300)) - lo) / (hi - lo); }
      ctx.strokeStyle = '#ccc'; ctx.fillStyle = '#667'; ctx.font = '10px monospace';
      for (var e = lo; e <= hi; e += 2) { ctx.beginPath(); ctx.moveTo(40, y(Math.pow(10, e))); ctx.lineTo(W, y(Math.pow(10, e))); ctx.stroke(); ctx.fillText('1e' + e, 2, y(Math.pow(10, e)) + 3); }
      ctx.strokeStyle = '#2a7'; ctx.setLineDash([4, 3]); ctx.beginPath(); ctx.moveTo(40, y(tol)); ctx.lineTo(W, y(tol)); ctx.stroke(); ctx.setLineDash([]);
      ctx.strokeStyle = diverged ? '#c22' : '#246'; ctx.beginPath();
      losses.forEach(function (l, i) {
        var px = 40 + (W - 45) * i / n, py = isFinite(l) ? Math.max(0, y(l)) : 0;
        if (i) ctx.lineTo(px, py); else ctx.moveTo(px, py);
      });
      ctx.stroke();
      ctx.fillText('updates: ' + updates, W - 100, H - 5);
    }
    function showKernel(w, wTrue) {
      kernel.innerHTML = '';
      kernel.appendChild(box('kernel w now', outputGrid('w', w.map(function (r) { return r.map(function (v) { return Number(v.toPrecision(6)); }); }))));
      kernel.appendChild(box('the edge kernel it should find', outputGrid('w_true', wTrue)));
    }
    function run() {
      var my = ++job, losses = [], w = null, total = 0, rate = Number(lr.value), t0 = performance.now();
      function step() {
        if (my !== job) return;  // stopped or restarted
        var req = 'panel=ch10\nlr=' + rate + '\niterations=' + Math.min(chunk, limit - total) + '\n';
        if (w) req += 'w=' + w.map(function (r) { return r.join(','); }).join(';') + '\n';
        else if (start.value === 'seed') req += 'seed=1\n';
        var r = P.ask(req);
        if (!r.ok) { status.textContent = ''; return; }
        w = r.w; total += r.iterations; losses = losses.concat(r.losses);
        drawLoss(losses, r.tol, r.outcome === 'diverged', total); showKernel(r.w, r.w_true);
        var limitText = '2/λ_max = ' + r.lr_limit.toFixed(6) + (rate > r.lr_limit ? ' (lr is above it: expect divergence)' : ' (lr is below it)');
        var last = losses[losses.length - 1];
        var state = r.outcome === 'converged' ? 'converged: loss ' + last.toExponential(3) + ' < ' + r.tol + ' at iteration ' + total
          : r.outcome === 'diverged' ? 'diverged at iteration ' + total + ' (the loss grew)'
          : total >= limit ? 'stopped after ' + limit + ' iterations, loss ' + last.toExponential(3)
          : 'running… iteration ' + total + ', loss ' + last.toExponential(3);
        status.textContent = 'lr = ' + rate + ',  ' + limitText + '\n' + state;
        status.setAttribute('data-outcome', r.outcome === 'running' && total >= limit ? 'limit' : r.outcome);
        status.setAttribute('data-iterations', total);
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
  }

  // ---- chapter 11: LeNet on a drawn digit -----------------------------------------------------
  function ch11(root, M) {
    var P = new Panel(root, 'ch11', M);
    if (!window.WB_LENET) {
      root.appendChild(el('p', {text: 'Live LeNet: the trained weights (live/lenet_weights.js) were not built.'}));
      return;
    }
    var bytes = Uint8Array.from(atob(window.WB_LENET.weights), function (c) { return c.charCodeAt(0); });
    var wp = M._malloc(bytes.length);
    M.HEAPU8.set(bytes, wp);
    var why = M.UTF8ToString(M._wb_live_set_weights(wp, bytes.length / 4));
    M._free(wp);
    var side = 280;
    var canvas = el('canvas', {width: side, height: side, 'data-role': 'pad', style: 'background:#000;touch-action:none;cursor:crosshair;border:1px solid #889'});
    var clear = el('button', {type: 'button', text: 'Clear', 'data-name': 'clear'});
    var label = el('select', {'data-name': 'label'});
    for (var k = 0; k < 10; ++k) label.appendChild(el('option', {value: k, text: String(k)}));
    var back = el('button', {type: 'button', text: 'Backward pass for this label', 'data-name': 'backward'});
    var result = el('div', {class: 'wb-note', 'data-role': 'predicted'});
    var probs = el('table', {class: 'wb-bars', 'data-grid': 'prob'});
    var maps = el('div', {}), deltas = el('div', {});
    root.appendChild(el('h4', {text: 'Live: draw a digit; LeNet-5 (ch11::forward, ch11::backward) with weights chapter 11 trained'}));
    root.appendChild(el('div', {class: 'wb-caption', text: 'weights: ' + window.WB_LENET.source}));
    root.appendChild(el('div', {class: 'wb-row'}, [canvas, el('div', {}, [clear, el('br'), labelled('label', label), back, result, probs])]));
    root.appendChild(P.msg); root.appendChild(maps); root.appendChild(deltas);
    if (why) { P.msg.textContent = why; return; }
    var ctx = canvas.getContext('2d');
    ctx.lineWidth = 22; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#fff';
    var drawing = false;
    function pos(e) { var b = canvas.getBoundingClientRect(); return [(e.clientX - b.left) * side / b.width, (e.clientY - b.top) * side / b.height]; }
    canvas.addEventListener('pointerdown', function (e) { drawing = true; var p = pos(e); ctx.beginPath(); ctx.moveTo(p[0], p[1]); ctx.lineTo(p[0], p[1]); ctx.stroke(); e.preventDefault(); });
    canvas.addEventListener('pointermove', function (e) { if (!drawing) return; var p = pos(e); ctx.lineTo(p[0], p[1]); ctx.stroke(); });
    function end() { if (drawing) { drawing = false; run(-1); } }
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointerleave', end);
    clear.addEventListener('click', function () { ctx.clearRect(0, 0, side, side); maps.innerHTML = deltas.innerHTML = probs.innerHTML = ''; result.textContent = ''; P.msg.textContent = ''; });
    back.addEventListener('click', function () { run(+label.value); });
    function pixels() {
      var d = ctx.getImageData(0, 0, side, side).data, hex = new Array(side * side);
      for (var i = 0; i < side * side; ++i) hex[i] = (d[4 * i] < 16 ? '0' : '') + d[4 * i].toString(16);  // red channel: ink
      return hex.join('');
    }
    function layerRow(title, list, signed, scale) {
      var row = el('div', {class: 'wb-row'});
      list.forEach(function (m, i) { row.appendChild(mapCanvas(m, signed, scale, title + ' map ' + i)); });
      return box(title, row);
    }
    function vector(v) { return [v]; }
    function run(lab) {
      var r = P.ask('panel=ch11\nwidth=' + side + '\nheight=' + side + (lab >= 0 ? '\nlabel=' + lab : '') + '\npixels=' + pixels() + '\n');
      if (!r.ok) return;
      result.textContent = 'LeNet reads: ' + r.predicted;
      result.setAttribute('data-predicted', r.predicted);
      probs.innerHTML = '';
      r.prob.forEach(function (p, k) {
        probs.appendChild(el('tr', {}, [el('td', {text: String(k)}), el('td', {text: p.toFixed(4), 'data-digit': k}),
          el('td', {}, [el('div', {style: 'background:' + (k === r.predicted ? '#246' : '#9ab') + ';height:10px;width:' + Math.round(200 * p) + 'px'})])]));
      });
      maps.innerHTML = '';
      maps.appendChild(el('div', {class: 'wb-caption', text: 'Forward: every layer’s maps after ReLU / pooling (darker = larger)'}));
      maps.appendChild(layerRow('input 28×28 (centred by mass, like MNIST)', [r.x], false, 4));
      maps.appendChild(layerRow('C1 6@28×28', r.c1, false, 3));
      maps.appendChild(layerRow('S2 6@14×14', r.s2, false, 4));
      maps.appendChild(layerRow('C3 16@10×10', r.c3, false, 5));
      maps.appendChild(layerRow('S4 16@5×5', r.s4, false, 8));
      maps.appendChild(layerRow('F5 120', [vector(r.f5)], false, 4));
      maps.appendChild(layerRow('F6 84', [vector(r.f6)], false, 5));
      deltas.innerHTML = '';
      if (!r.deltas) return;
      deltas.setAttribute('data-label', r.label);
      deltas.appendChild(el('div', {class: 'wb-caption', text: 'Backward for label ' + r.label + ' (loss ' + r.loss.toFixed(4) + '): δ of every layer (red > 0, blue < 0)'}));
      deltas.appendChild(layerRow('δ F7 (P − T)', [vector(r.deltas.f7)], true, 12));
      deltas.appendChild(layerRow('δ F6', [vector(r.deltas.f6)], true, 5));
      deltas.appendChild(layerRow('δ F5', [vector(r.deltas.f5)], true, 4));
      deltas.appendChild(layerRow('δ S4', r.deltas.s4, true, 8));
      deltas.appendChild(layerRow('δ C3', r.deltas.c3, true, 5));
      deltas.appendChild(layerRow('δ S2', r.deltas.s2, true, 4));
      deltas.appendChild(layerRow('δ C1', r.deltas.c1, true, 3));
    }
  }

  var PANELS = {ch01: ch01, ch02: ch02, ch03: ch03, ch06: ch06, ch10: ch10, ch11: ch11};

  function start() {
    var roots = document.querySelectorAll('div.wb-live[data-panel]');
    if (!roots.length) return;
    if (typeof window.createWbLive !== 'function') {
      var reason = window.WB_LIVE_MISSING || 'the WebAssembly build (live/wb_live.js) is missing';
      Array.prototype.forEach.call(roots, function (r) { r.setAttribute('data-state', 'not-built'); r.querySelector('.wb-live-static').textContent = 'The live panel was not built: ' + reason + '.'; });
      return;
    }
    document.head.appendChild(el('style', {text: css}));
    wasm().then(function (M) {
      Array.prototype.forEach.call(roots, function (root) {
        var name = root.getAttribute('data-panel');
        try {
          root.querySelector('.wb-live-static').remove();
          PANELS[name](root, M);
          root.setAttribute('data-state', 'ready');
          window.wbLive.ready[name] = true;
        } catch (e) {
          root.setAttribute('data-state', 'failed');
          window.wbLive.errors.push(name + ': ' + e.message);
          root.appendChild(el('div', {class: 'wb-msg', text: 'The live panel failed: ' + e.message}));
        }
      });
      window.wbLive.readyMs = performance.now();
      window.wbLive.scriptMs = startMs;
    }, function (e) { window.wbLive.errors.push('wasm: ' + e); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
