// The qisim report page: builds every section from the JSON block #qisim-data with Chart.js.
// Written for the browser alone (no modules, no network). When done it writes into
// #qisim-status "ok charts=N drawn=M errors=E", which scripts/test-report reads in headless Chromium.
(function () {
  'use strict';
  var errors = [];
  window.addEventListener('error', function (e) { errors.push(String(e.message)); setStatus(); });
  var consoleError = console.error;
  console.error = function () {
    errors.push(Array.prototype.join.call(arguments, ' '));
    consoleError.apply(console, arguments);
  };

  var D = JSON.parse(document.getElementById('qisim-data').textContent);
  var app = document.getElementById('app');
  var charts = [];
  var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
                 '#7f7f7f', '#bcbd22'];

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') e.textContent = attrs[k];
      else if (k === 'cls') e.className = attrs[k];
      else e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return e;
  }
  function fmt(x, digits) {
    if (x === null || x === undefined || !isFinite(x)) return 'NA';
    var a = Math.abs(x);
    if (a !== 0 && (a >= 1e6 || a < 1e-3)) return x.toExponential(2);
    return Number(x.toPrecision(digits || 3)).toString();
  }
  function table(head, rows, cls) {
    return el('table', {cls: cls || ''}, [
      el('thead', null, [el('tr', null, head.map(function (h) { return el('th', {text: h}); }))]),
      el('tbody', null, rows.map(function (r) {
        return el('tr', null, r.map(function (c) { return c instanceof Node ? el('td', null, [c]) : el('td', {text: String(c)}); }));
      }))]);
  }
  function section(title, id) {
    var s = el('section', {id: id}, [el('h2', {text: title})]);
    app.appendChild(s);
    return s;
  }
  function alpha(hex, a) {
    var n = parseInt(hex.slice(1), 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function betterText(b) { return b > 0 ? 'higher is better' : b < 0 ? 'lower is better' : 'neither way is better'; }
  function metricInfo(m) { return D.metrics[m] || {unit: '', doc: '', better: 0}; }

  // ---- title and runs ----
  var labels = D.runs.map(function (r) { return r.label; });
  var hasRuns = D.runs.length > 0;
  app.appendChild(el('h1', {text: 'qisim report: ' + labels.concat(D.sweeps.map(function (s) { return s.label; })).join(' vs ')}));
  if (hasRuns) app.appendChild(el('p', {cls: 'sub', text: 'qisim ' + D.qisim_version + '. ' + (D.runs.length > 1 ?
    D.runs.length + ' runs (arms); differences are ' + labels.slice(1).join(', ') + ' minus ' + labels[0] + '.' :
    'One run.') + ' Bands are 95% intervals across replicates (choose which below).'}));
  var fixedCharts = []; // drawn once (the sweeps), not redrawn by the controls

  if (hasRuns) {
  var runsSec = section('Runs', 'runs');
  if (D.runs.length > 1) runsSec.className = 'several';
  D.runs.forEach(function (r, i) {
    var m = r.manifest || {};
    var sc = m.scenario || {};
    var facts = [
      ['folder', r.dir], ['scenario', (sc.name || '') + ' (' + (sc.path || r.scenario_path || '?') + ')'],
      ['scenario SHA-256', sc.sha256 || 'unknown'], ['qisim version', m.qisim_version || 'unknown'],
      ['seed', m.seed === undefined ? 'unknown' : String(m.seed)],
      ['replicates', String(m.replicates || r.replicates)], ['weeks', String(m.weeks || r.last_week)],
      ['--set', (m.overrides || []).join(' ') || 'none'], ['--arg', (m.args || []).join(' ') || 'none']];
    var card = el('div', {cls: 'card run'}, [el('h3', null, [el('span', {cls: 'swatch', style: 'background:' + PALETTE[i % PALETTE.length]}), r.label]),
      table(['', ''], facts, 'facts')]);
    if (!r.manifest) card.appendChild(el('p', {cls: 'warn', text: 'No manifest.json in this folder: seed and parameters unknown.'}));
    if (r.header && i > 0 && r.header === D.runs[0].header) {
      card.appendChild(el('p', {cls: 'note', text: 'Scenario header: the same as ' + D.runs[0].label + "'s."}));
    } else if (r.header) {
      card.appendChild(el('h4', {text: 'Scenario header'}));
      if (r.scenario_changed) card.appendChild(el('p', {cls: 'warn', text: 'The scenario file has changed since this run (SHA-256 differs): the header below may not describe it.'}));
      card.appendChild(el('pre', {cls: 'header', text: r.header}));
    } else {
      card.appendChild(el('p', {cls: 'note', text: 'Scenario file not found from here: no header shown.'}));
    }
    runsSec.appendChild(card);
  });

  // ---- controls ----
  var levels = [];
  D.runs.forEach(function (r) { r.series.forEach(function (s) { if (levels.indexOf(s.level) < 0) levels.push(s.level); }); });
  var order = ['system', 'region', 'trust', 'team'];
  levels.sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
  var state = {level: levels.indexOf('trust') >= 0 ? 'trust' : levels[0], entities: null, band: 'ci'};
  function entitiesAt(level) {
    var out = [];
    D.runs.forEach(function (r) { r.series.forEach(function (s) { if (s.level === level && out.indexOf(s.entity) < 0) out.push(s.entity); }); });
    return out;
  }
  var controls = el('div', {cls: 'controls', id: 'controls'});
  app.appendChild(controls);
  var levelSel = el('select', {id: 'level'}, levels.map(function (l) { return el('option', {value: l, text: l}); }));
  levelSel.value = state.level;
  var bandSel = el('select', {id: 'band'}, [el('option', {value: 'ci', text: '95% interval of the mean'}),
    el('option', {value: 'range', text: '2.5-97.5% of replicates'}), el('option', {value: 'none', text: 'no band'})]);
  var entityBox = el('div', {cls: 'entities', id: 'entities'});
  controls.appendChild(el('label', null, ['Level ', levelSel]));
  controls.appendChild(el('label', null, ['Band ', bandSel]));
  controls.appendChild(entityBox);
  function fillEntities() {
    var names = entitiesAt(state.level);
    state.entities = names.slice(0, 4);
    entityBox.textContent = '';
    entityBox.appendChild(el('span', {text: 'Entities (' + names.length + '): '}));
    names.forEach(function (n) {
      var box = el('input', {type: 'checkbox', value: n});
      box.checked = state.entities.indexOf(n) >= 0;
      box.addEventListener('change', function () {
        state.entities = Array.prototype.filter.call(entityBox.querySelectorAll('input'), function (b) { return b.checked; })
          .map(function (b) { return b.value; });
        render();
      });
      entityBox.appendChild(el('label', {cls: 'entity'}, [box, n]));
    });
  }
  levelSel.addEventListener('change', function () { state.level = levelSel.value; fillEntities(); render(); });
  bandSel.addEventListener('change', function () { state.band = bandSel.value; render(); });

  var seriesSec = section('Series over time', 'series');
  var compareSec = D.comparisons.length ? section('Differences between arms', 'differences') : null;

  function find(run, level, entity, metric) {
    for (var i = 0; i < run.series.length; i++) {
      var s = run.series[i];
      if (s.level === level && s.entity === entity && s.metric === metric) return s;
    }
    return null;
  }
  function points(s, col) {
    var out = [];
    for (var i = 0; i < s.w.length; i++) if (s[col][i] !== null) out.push({x: s.w[i], y: s[col][i]});
    return out;
  }
  var metricOrder = Object.keys(D.metrics);
  function metricsPresent() {
    var seen = [];
    D.runs.forEach(function (r) { r.series.forEach(function (s) { if (seen.indexOf(s.metric) < 0) seen.push(s.metric); }); });
    return seen.sort(function (a, b) {
      var x = metricOrder.indexOf(a), y = metricOrder.indexOf(b);
      return (x < 0 ? 1e9 : x) - (y < 0 ? 1e9 : y) || (a < b ? -1 : 1);
    });
  }
  function newChart(canvas, config) {
    config.options = config.options || {};
    config.options.animation = false;
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    var c = new Chart(canvas.getContext('2d'), config);
    charts.push(c);
    return c;
  }
  function clearCharts() { charts.forEach(function (c) { c.destroy(); }); charts = []; }

  function seriesCard(metric) {
    var info = metricInfo(metric);
    var datasets = [];
    var lowCol = state.band === 'range' ? 'plo' : 'lo', highCol = state.band === 'range' ? 'phi' : 'hi';
    var k = 0;
    D.runs.forEach(function (r, ri) {
      state.entities.forEach(function (e) {
        var s = find(r, state.level, e, metric);
        var colour = PALETTE[(D.runs.length > 1 ? ri : k) % PALETTE.length];
        var dash = D.runs.length > 1 ? [[], [6, 3], [2, 2], [8, 2, 2, 2]][state.entities.indexOf(e) % 4] : [];
        k++;
        if (!s) return;
        var name = (D.runs.length > 1 ? r.label + ': ' : '') + e;
        if (state.band !== 'none' && s.mean.length > 0) {
          datasets.push({label: name + ' low', data: points(s, lowCol), borderWidth: 0, pointRadius: 0, fill: false, band: true});
          datasets.push({label: name + ' band', data: points(s, highCol), borderWidth: 0, pointRadius: 0,
                         backgroundColor: alpha(colour, 0.18), fill: '-1', band: true});
        }
        datasets.push({label: name, data: points(s, 'mean'), borderColor: colour, backgroundColor: colour,
                       borderDash: dash, borderWidth: 2, pointRadius: 0, fill: false});
      });
    });
    if (!datasets.length) return null;
    var canvas = el('canvas');
    var card = el('div', {cls: 'card chart', 'data-metric': metric}, [
      el('h3', {text: metric}),
      el('p', {cls: 'note', text: info.doc + ' (' + (info.unit || 'no unit') + '; ' + betterText(info.better) + ')'}),
      el('div', {cls: 'canvas'}, [canvas])]);
    seriesSec.appendChild(card);
    newChart(canvas, {type: 'line', data: {datasets: datasets}, options: {
      parsing: true, spanGaps: true,
      scales: {x: {type: 'linear', title: {display: true, text: 'week'}}, y: {title: {display: true, text: info.unit || metric}}},
      plugins: {legend: {labels: {boxWidth: 14, font: {size: 11},
                                  filter: function (item, data) { return !data.datasets[item.datasetIndex].band; }}},
                tooltip: {filter: function (item) { return !item.dataset.band; }}}}});
    return card;
  }

  // The reading comes from qisim (qisim_compare_reading), as qisim compare prints it.
  function verdict(row) { return row[13] || 'interval unknown'; }

  function renderComparisons() {
    if (!compareSec) return;
    compareSec.querySelectorAll('.card').forEach(function (c) { c.remove(); });
    D.comparisons.forEach(function (cmp) {
      var a = D.runs[cmp.a].label, b = D.runs[cmp.b].label;
      var card = el('div', {cls: 'card compare'}, [el('h3', {text: b + ' minus ' + a})]);
      compareSec.appendChild(card);
      if (cmp.error) { card.appendChild(el('p', {cls: 'warn', text: cmp.error})); return; }
      var rows = cmp.rows.filter(function (r) { return r[0] === state.level && state.entities.indexOf(r[1]) >= 0; });
      if (!rows.length) { card.appendChild(el('p', {cls: 'note', text: 'No series in common at this level for the chosen entities.'})); return; }
      var paired = rows[0][6];
      card.appendChild(el('p', {cls: 'note', text: 'At week ' + rows[0][3] + ', the last week both recorded. ' + (paired ?
        'Same seed: replicates compared as pairs (common random numbers); the interval is for the mean paired difference.' :
        'Different seeds: independent arms, Welch 95% interval.') + ' Relative differences (difference / |' + a + '|) below; exact values in the table.'}));
      var rel = rows.filter(function (r) { return r[7] !== null && r[7] !== 0 && r[10] !== null; });
      if (rel.length) {
        var canvas = el('canvas');
        card.appendChild(el('div', {cls: 'canvas', style: 'height:' + Math.max(160, 22 * rel.length + 60) + 'px'}, [canvas]));
        var colours = rel.map(function (r) {
          var v = verdict(r);
          return v === 'better' ? '#2ca02c' : v === 'worse' ? '#d62728' : '#7f7f7f';
        });
        newChart(canvas, {type: 'bar', data: {labels: rel.map(function (r) { return r[2] + (state.entities.length > 1 ? ' / ' + r[1] : ''); }),
          datasets: [{label: '95% interval of the relative difference (%)', data: rel.map(function (r) {
            var s = 100 / Math.abs(r[7]); return [r[10] * s, r[11] * s]; }), backgroundColor: colours}]},
          options: {indexAxis: 'y', scales: {x: {title: {display: true, text: '% of ' + a}}},
                    plugins: {legend: {display: false}}}});
      }
      overTime(cmp, card, a, b);
      card.appendChild(table(['metric', 'entity', 'unit', a, b, 'difference', '95% interval', 'effect size', 'direction', 'reading'],
        rows.map(function (r) {
          var info = metricInfo(r[2]);
          var v = verdict(r);
          return [r[2], r[1], info.unit, fmt(r[7]), fmt(r[8]), fmt(r[9]), '[' + fmt(r[10]) + ', ' + fmt(r[11]) + ']', fmt(r[12], 2),
                  betterText(info.better), el('span', {cls: 'v-' + v.replace(/ /g, '-'), text: v})];
        }), 'numbers'));
    });
  }

  // B minus A at every drawn week, one chart per metric: the difference and its 95% interval
  // (the same method as the table), for the chosen level and entities.
  function overTime(cmp, card, a, b) {
    var rows = (cmp.over_time || []).filter(function (r) { return r[0] === state.level && state.entities.indexOf(r[1]) >= 0; });
    if (!rows.length) return;
    card.appendChild(el('h4', {text: 'The difference over time (' + b + ' minus ' + a + ', 95% interval)'}));
    var grid = el('div', {cls: 'grid'});
    card.appendChild(grid);
    metricsPresent().forEach(function (m) {
      var mine = rows.filter(function (r) { return r[2] === m; });
      if (!mine.length) return;
      var info = metricInfo(m);
      var datasets = [], first = Infinity, last = -Infinity;
      mine.forEach(function (r) {
        var colour = PALETTE[state.entities.indexOf(r[1]) % PALETTE.length];
        var at = function (col) { var out = []; r[3].forEach(function (w, j) { if (r[col][j] !== null) out.push({x: w, y: r[col][j]}); }); return out; };
        first = Math.min(first, r[3][0]);
        last = Math.max(last, r[3][r[3].length - 1]);
        datasets.push({label: r[1] + ' low', data: at(5), borderWidth: 0, pointRadius: 0, fill: false, band: true});
        datasets.push({label: r[1] + ' band', data: at(6), borderWidth: 0, pointRadius: 0, backgroundColor: alpha(colour, 0.18), fill: '-1', band: true});
        datasets.push({label: r[1], data: at(4), borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 0, fill: false});
      });
      datasets.push({label: 'no difference', data: [{x: first, y: 0}, {x: last, y: 0}], borderColor: '#888', borderDash: [4, 3],
                     borderWidth: 1, pointRadius: 0, fill: false});
      var canvas = el('canvas');
      grid.appendChild(el('div', {cls: 'card chart over-time', 'data-metric': m}, [el('h4', {text: m}),
        el('p', {cls: 'note', text: 'difference in ' + (info.unit || 'no unit') + '; ' + betterText(info.better)}),
        el('div', {cls: 'canvas'}, [canvas])]));
      newChart(canvas, {type: 'line', data: {datasets: datasets}, options: {spanGaps: true,
        scales: {x: {type: 'linear', min: first, max: last, title: {display: true, text: 'week'}},
                 y: {title: {display: true, text: 'difference (' + (info.unit || 'no unit') + ')'}}},
        plugins: {legend: {labels: {boxWidth: 14, font: {size: 11}, filter: function (item, data) { return !data.datasets[item.datasetIndex].band; }}},
                  tooltip: {filter: function (item) { return !item.dataset.band; }}}}});
    });
  }

  var missingNote = el('p', {cls: 'note'});
  function render() {
    clearCharts();
    seriesSec.querySelectorAll('.card').forEach(function (c) { c.remove(); });
    var absent = [];
    metricsPresent().forEach(function (m) { if (!seriesCard(m)) absent.push(m); });
    missingNote.textContent = absent.length ? 'Not recorded for these entities at this level: ' + absent.join(', ') + '.' : '';
    seriesSec.appendChild(missingNote);
    renderComparisons();
    renderEvents();
    setStatus();
  }

  // ---- events ----
  var eventsSec = section('Events', 'events');
  var eventsBody = el('div');
  eventsSec.appendChild(eventsBody);
  function renderEvents() {
    eventsBody.textContent = '';
    var kinds = [];
    D.runs.forEach(function (r) { r.events.forEach(function (e) { if (kinds.indexOf(e[3]) < 0) kinds.push(e[3]); }); });
    if (!kinds.length) { eventsBody.appendChild(el('p', {cls: 'note', text: 'No events were recorded.'})); return; }
    kinds.sort();
    var canvas = el('canvas');
    eventsBody.appendChild(el('p', {cls: 'note', text: 'Replicate 0 of each run (hover for the trust and the details); counts below cover every replicate.'}));
    eventsBody.appendChild(el('div', {cls: 'canvas', style: 'height:' + Math.max(180, 26 * kinds.length + 70) + 'px'}, [canvas]));
    var datasets = D.runs.map(function (r, i) {
      return {label: r.label, data: r.events.map(function (e) { return {x: e[0], y: e[3], entity: e[2], detail: e[4]}; }),
              backgroundColor: alpha(PALETTE[i % PALETTE.length], 0.7), pointRadius: 4, pointStyle: ['circle', 'triangle', 'rect', 'star'][i % 4]};
    });
    newChart(canvas, {type: 'scatter', data: {datasets: datasets}, options: {
      scales: {x: {type: 'linear', title: {display: true, text: 'week'}}, y: {type: 'category', labels: kinds}},
      plugins: {tooltip: {callbacks: {label: function (c) { return c.raw.entity + ', week ' + c.raw.x + ': ' + c.raw.y + ' ' + c.raw.detail; }}}}}});
    var allKinds = [];
    D.runs.forEach(function (r) { Object.keys(r.event_counts).forEach(function (k) { if (allKinds.indexOf(k) < 0) allKinds.push(k); }); });
    allKinds.sort();
    eventsBody.appendChild(table(['event'].concat(labels.map(function (l) { return l + ' (per replicate)'; })),
      allKinds.map(function (k) {
        return [k].concat(D.runs.map(function (r) { return fmt((r.event_counts[k] || 0) / Math.max(1, r.replicates)); }));
      }), 'numbers'));
    D.runs.forEach(function (r) {
      var shown = r.events.slice(0, 400);
      var det = el('details', null, [el('summary', {text: r.label + ': the events of replicate 0 (' + r.events.length +
        (r.events.length > shown.length ? ', first ' + shown.length + ' listed' : '') + ')'}),
        table(['week', 'level', 'entity', 'event', 'detail'], shown, 'numbers')]);
      eventsBody.appendChild(det);
    });
  }

  // ---- parameters ----
  var paramSec = section('Parameters', 'parameters');
  D.runs.forEach(function (r) {
    var card = el('div', {cls: 'card params'}, [el('h3', {text: r.label})]);
    paramSec.appendChild(card);
    var list = (r.manifest && r.manifest.parameters) || [];
    if (!list.length) { card.appendChild(el('p', {cls: 'note', text: 'No parameters recorded (no manifest).'})); return; }
    var changed = list.filter(function (p) {
      var d = D.params[p.name];
      return !d || Math.abs(p.value - d.default) > 1e-12 * Math.max(1, Math.abs(d.default));
    });
    card.appendChild(el('h4', {text: 'Different from the defaults (' + changed.length + ')'}));
    card.appendChild(changed.length ? table(['parameter', 'value', 'default', 'unit', 'source'], changed.map(function (p) {
      var d = D.params[p.name];
      return [p.name, fmt(p.value, 6), d ? fmt(d.default, 6) : 'not in this qisim', p.unit, p.source];
    }), 'numbers changed-params') : el('p', {cls: 'note', text: 'Every parameter at its default (scenario statements such as trust{} fields are not parameters).'}));
    var assumed = list.filter(function (p) { return /^assumption/i.test(p.source || ''); });
    var partly = list.filter(function (p) { return !/^assumption/i.test(p.source || '') && /assumption/i.test(p.source || ''); });
    card.appendChild(el('details', null, [el('summary', {text: 'Assumption-sourced parameters in force (' + assumed.length +
      '; a further ' + partly.length + ' cite a source for the mechanism and call the value an assumption)'}),
      table(['parameter', 'value', 'unit', 'meaning'], assumed.map(function (p) {
        var d = D.params[p.name];
        return [p.name, fmt(p.value, 6), p.unit, d ? d.doc : ''];
      }), 'numbers assumed-params')]));
  });

    fillEntities();
    render();
  }

  // ---- sweeps: factor effects and the Morris ranking ----
  D.sweeps.forEach(function (sw, si) {
    var sec = section('Sweep: ' + sw.label, 'sweep-' + si);
    var meta = {};
    sw.meta.forEach(function (m) { meta[m[0]] = m[1]; });
    sec.appendChild(el('div', {cls: 'card'}, [table(['', ''], sw.meta.map(function (m) { return [m[0], String(m[1])]; }), 'facts')]));
    var points = {}, factors = [];
    sw.point_values.forEach(function (r) {
      (points[r[0]] = points[r[0]] || {})[r[1]] = r[2];
      if (factors.indexOf(r[1]) < 0) factors.push(r[1]);
    });
    var series = {}, keys = [];
    sw.outcomes.forEach(function (r) {
      var k = r[2] + ' (' + r[0] + (r[0] === 'system' ? '' : ' ' + r[1]) + ')';
      if (!series[k]) { series[k] = []; keys.push(k); }
      series[k].push(r);
    });
    var own = [];
    if (keys.length && factors.length) {
      var sel = el('select', {id: 'sweep-outcome-' + si}, keys.map(function (k) { return el('option', {value: k, text: k}); }));
      var holder = el('div', {cls: 'sweep-charts'});
      var card = el('div', {cls: 'card'}, [el('h3', {text: 'Factor effects'}), el('label', null, ['Outcome ', sel]), holder]);
      sec.appendChild(card);
      var draw = function () {
        own.forEach(function (c) { c.destroy(); fixedCharts.splice(fixedCharts.indexOf(c), 1); });
        own = [];
        holder.textContent = '';
        var rows = series[sel.value];
        var info = metricInfo(rows[0][2]);
        holder.appendChild(el('p', {cls: 'note', text: 'At week ' + rows[0][3] + ' (the last recorded), ' + rows.length +
          ' design points. For each factor and each of its levels: the mean over the points at that level of their replicate means (line), and the range of those point means (bar). ' +
          (info.unit ? 'Unit: ' + info.unit + '; ' : '') + betterText(info.better) + '.'}));
        var grid = el('div', {cls: 'grid'});
        holder.appendChild(grid);
        factors.forEach(function (f) {
          var levels = [];
          rows.forEach(function (r) { var v = (points[r[4]] || {})[f]; if (v !== undefined && levels.indexOf(v) < 0) levels.push(v); });
          levels.sort(function (x, y) { return (parseFloat(x) - parseFloat(y)) || (x < y ? -1 : x > y ? 1 : 0); });
          var at = levels.map(function (v) { return rows.filter(function (r) { return (points[r[4]] || {})[f] === v && r[5] !== null; }).map(function (r) { return r[5]; }); });
          var canvas = el('canvas');
          grid.appendChild(el('div', {cls: 'card chart'}, [el('h4', {text: f}), el('div', {cls: 'canvas'}, [canvas])]));
          var c = new Chart(canvas.getContext('2d'), {type: 'bar', data: {labels: levels.map(function (v) {
            return isFinite(parseFloat(v)) ? fmt(parseFloat(v), 4) : v; }), datasets: [
            {type: 'line', label: 'mean over points', data: at.map(function (v) { return v.length ? v.reduce(function (s, x) { return s + x; }, 0) / v.length : null; }),
             borderColor: PALETTE[0], backgroundColor: PALETTE[0], borderWidth: 2},
            {type: 'bar', label: 'range of point means', data: at.map(function (v) { return v.length ? [Math.min.apply(null, v), Math.max.apply(null, v)] : null; }),
             backgroundColor: alpha(PALETTE[0], 0.2)}]},
            options: {animation: false, responsive: true, maintainAspectRatio: false,
                      scales: {x: {title: {display: true, text: f}}, y: {title: {display: true, text: rows[0][2]}}},
                      plugins: {legend: {labels: {boxWidth: 14, font: {size: 11}}}}}});
          own.push(c);
          fixedCharts.push(c);
        });
        setStatus();
      };
      var first = keys.filter(function (k) { return series[k][0][0] === 'system'; })[0];
      if (first) sel.value = first;
      sel.addEventListener('change', draw);
      draw();
    }
    if (sw.sensitivity.length) {
      var scard = el('div', {cls: 'card'}, [el('h3', {text: 'Sensitivity ranking (Morris elementary effects, system level, last week)'}),
        el('p', {cls: 'note', text: 'mu* (bar) is the mean absolute effect of moving a factor across its range: its influence; sigma (grey) large against mu* means interactions or non-linearity; the sign of mu gives the direction.'})]);
      var sgrid = el('div', {cls: 'grid'});
      scard.appendChild(sgrid);
      sec.appendChild(scard);
      sw.sensitivity.forEach(function (s) {
        var canvas = el('canvas');
        sgrid.appendChild(el('div', {cls: 'card chart'}, [el('h4', {text: s.metric}),
          el('div', {cls: 'canvas', style: 'height:' + Math.max(160, 28 * s.effects.length + 70) + 'px'}, [canvas]),
          table(['factor', 'mu*', 'mu', 'sigma', 'trajectories'], s.effects.map(function (e) { return [e[0], fmt(e[1]), fmt(e[2]), fmt(e[3]), e[4]]; }), 'numbers')]));
        fixedCharts.push(new Chart(canvas.getContext('2d'), {type: 'bar', data: {labels: s.effects.map(function (e) { return e[0]; }), datasets: [
          {label: 'mu*', data: s.effects.map(function (e) { return e[1]; }), backgroundColor: s.effects.map(function (e) { return e[2] >= 0 ? PALETTE[2] : PALETTE[1]; })},
          {label: 'sigma', data: s.effects.map(function (e) { return e[3]; }), backgroundColor: alpha('#7f7f7f', 0.4)}]},
          options: {indexAxis: 'y', animation: false, responsive: true, maintainAspectRatio: false,
                    plugins: {legend: {labels: {boxWidth: 14, font: {size: 11}}}}}}));
      });
    }
  });

  var foot = el('footer');
  var strides = [];
  D.runs.forEach(function (r) { r.series.forEach(function (s) { if (strides.indexOf(s.stride) < 0) strides.push(s.stride); }); });
  foot.textContent = 'Written by qisim ' + D.qisim_version + ' (qisim report). Charts: Chart.js, inlined. ' +
    (strides.some(function (s) { return s > 1; }) ? 'Curves are downsampled: every ' + strides.join(' or ') +
      '-th recorded week is drawn (and the last). ' : 'Every recorded week is drawn. ') +
    (hasRuns ? 'The run folders hold the full data (series.csv, summary.csv, events.csv).' : 'The database holds the full data (qisim export).');
  app.appendChild(foot);

  // A chart counts as drawn when its canvas holds a painted pixel: read through one small probe
  // canvas made for reading (reading the charts' own canvases again and again makes Chromium warn).
  var probe = null;
  function drawn(c) {
    try {
      if (!probe) {
        var cv = document.createElement('canvas');
        cv.width = 96;
        cv.height = 48;
        probe = cv.getContext('2d', {willReadFrequently: true});
      }
      probe.clearRect(0, 0, 96, 48);
      probe.drawImage(c.canvas, 0, 0, 96, 48);
      var px = probe.getImageData(0, 0, 96, 48).data;
      for (var i = 3; i < px.length; i += 4) if (px[i] !== 0) return true;
    } catch (e) { errors.push('pixel check: ' + e.message); }
    return false;
  }
  function setStatus() {
    var st = document.getElementById('qisim-status');
    var withData = charts.concat(fixedCharts).filter(function (c) { return c.data.datasets.some(function (d) { return d.data.length > 0; }); });
    var ok = errors.length === 0 && withData.length > 0;
    st.setAttribute('data-status', ok ? 'ok' : 'error');
    st.textContent = (ok ? 'ok' : 'error') + ' charts=' + withData.length + ' drawn=' + withData.filter(drawn).length +
      ' errors=' + errors.length + ' ms=' + Math.round(performance.now()) + (errors.length ? ': ' + errors.join(' | ') : '');
  }

  setStatus();
})();
