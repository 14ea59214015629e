// qisim play's page: joins the class, shows the menu, the charts and the commentary, and polls the state.
'use strict';

const CHARTS = [
  { label: 'Staff practising QI', unit: '% of staff', scale: 100 },
  { label: 'Culture for improvement', unit: '0-1', scale: 1 },
  { label: 'Reliability', unit: '% of care as intended', scale: 100 },
  { label: 'Harm', unit: '% of patients', scale: 100 },
  { label: 'Waiting', unit: 'x usual', scale: 1 },
  { label: 'Staff strain', unit: '0-1', scale: 1 },
  { label: 'Regulator rating', unit: '1 inadequate .. 4 outstanding', scale: 1 },
  { label: 'QI spend to date', unit: 'GBP m', scale: 1e-6 },
];
// Colour-blind-safe (Okabe-Ito), with dashes so groups differ in print too.
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
const DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3]];

const el = (id) => document.getElementById(id);
let token = sessionStorage.getItem('qisim-token');
let charts = [];
let menuBuiltFor = null;
let lastState = null;
let busy = false;

function setStatus(text) { el('status').textContent = text; }

window.addEventListener('error', (e) => setStatus('error: ' + e.message));

async function request(method, url, body) {
  const headers = {};
  if (token) headers['X-Qisim-Token'] = token;
  if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  const r = await fetch(url, { method, headers, body, cache: 'no-store' });
  let data = null;
  try { data = await r.json(); } catch (e) { data = { error: 'bad reply from the server' }; }
  if (!r.ok) throw new Error(data && data.error ? data.error : 'HTTP ' + r.status);
  return data;
}

function form(values) {
  return Object.keys(values).map((k) => k + '=' + values[k]).join('&');
}

async function join(code) {
  const data = await request('POST', '/api/join', form({ code: code.trim().toUpperCase().replace(/[^A-Z0-9]/g, '') }));
  token = data.token;
  sessionStorage.setItem('qisim-token', token);
}

function groupName(state, g) {
  return 'Group ' + (g.id + 1) + ' (' + g.trust + ')';
}

function buildMenu(game) {
  const menu = el('menu');
  menu.textContent = '';
  for (const item of game.exercise.menu) {
    const row = document.createElement('div');
    row.className = 'item';
    const label = document.createElement('label');
    label.htmlFor = 'item-' + item.name;
    label.textContent = item.label;
    const cost = document.createElement('span');
    cost.className = 'cost';
    cost.textContent = item.cost + ' ' + game.exercise.unit + ' each, up to ' + item.max;
    label.appendChild(cost);
    const input = document.createElement('input');
    input.type = 'number';
    input.id = 'item-' + item.name;
    input.name = item.name;
    input.min = 0;
    input.max = item.max;
    input.step = 1;
    input.value = 0;
    input.inputMode = 'numeric';
    input.addEventListener('input', () => showCost(game));
    row.appendChild(label);
    row.appendChild(input);
    menu.appendChild(row);
  }
  menuBuiltFor = game.exercise.name;
  showCost(game);
}

function chosen(game) {
  const values = {};
  for (const item of game.exercise.menu) {
    const n = parseInt(el('item-' + item.name).value, 10);
    if (n > 0) values[item.name] = n;
  }
  return values;
}

function showCost(game) {
  const values = chosen(game);
  let cost = 0;
  for (const item of game.exercise.menu) cost += (values[item.name] || 0) * item.cost;
  const p = el('cost');
  p.textContent = 'Cost: ' + cost + ' of ' + game.exercise.budget + ' ' + game.exercise.unit;
  p.className = cost > game.exercise.budget ? 'over' : '';
}

function makeCharts() {
  const box = el('charts');
  box.textContent = '';
  charts = CHARTS.map((c, i) => {
    const fig = document.createElement('figure');
    fig.className = 'chart';
    const h = document.createElement('h3');
    h.textContent = c.label + ' ';
    const u = document.createElement('span');
    u.className = 'unit';
    u.textContent = '(' + c.unit + ')';
    h.appendChild(u);
    const div = document.createElement('div');
    div.className = 'box';
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', c.label + ' by year');
    canvas.id = 'chart-' + i;
    div.appendChild(canvas);
    fig.appendChild(h);
    fig.appendChild(div);
    box.appendChild(fig);
    return new Chart(canvas, {
      type: 'line',
      data: { labels: [], datasets: [] },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, normalized: true,
        elements: { point: { radius: 0 }, line: { borderWidth: 3 } },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 24, font: { size: 13 } } } },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'year' }, ticks: { stepSize: 1, font: { size: 14 } } },
          y: { ticks: { font: { size: 14 } } },
        },
      },
    });
  });
}

function drawCharts(state) {
  const game = state.game;
  if (charts.length !== CHARTS.length) makeCharts();
  const perYear = 52 / game.every;
  charts.forEach((chart, m) => {
    chart.data.datasets = game.groups.map((g, k) => ({
      label: groupName(state, g),
      data: g.series[m].map((v, i) => ({ x: (i * game.every) / 52, y: v === null ? null : v * CHARTS[m].scale })),
      borderColor: COLOURS[k % COLOURS.length],
      backgroundColor: COLOURS[k % COLOURS.length],
      borderDash: DASHES[k % DASHES.length],
      spanGaps: true,
    }));
    chart.options.scales.x.max = Math.max(1, (game.exercise.turns * game.exercise.weeks_per_turn) / 52);
    chart.options.scales.x.min = 0;
    chart.update('none');
  });
  return perYear;
}

function commentCard(state, g, t) {
  const div = document.createElement('div');
  div.className = 'turn-comment';
  const h = document.createElement('h3');
  h.textContent = 'Turn ' + (t + 1) + (state.game.groups.length > 1 ? ': ' + groupName(state, g) : '');
  div.appendChild(h);
  for (const line of g.commentary[t].split('\n')) {
    const p = document.createElement('p');
    p.textContent = line;
    div.appendChild(p);
  }
  return div;
}

// The latest turn's commentary in full; earlier turns folded away below the charts.
function drawCommentary(state) {
  const box = el('commentary');
  const earlier = el('earlier');
  box.textContent = '';
  earlier.textContent = '';
  const game = state.game;
  el('earlier-s').hidden = game.played < 2;
  if (game.played === 0) {
    const p = document.createElement('p');
    p.textContent = 'Nothing yet: the first turn has not been played.';
    box.appendChild(p);
    return;
  }
  for (const g of game.groups) box.appendChild(commentCard(state, g, game.played - 1));
  for (let t = game.played - 2; t >= 0; t--)
    for (const g of game.groups) earlier.appendChild(commentCard(state, g, t));
}

function describeChoice(game, choice) {
  const parts = [];
  for (const item of game.exercise.menu) if (choice[item.name]) parts.push(item.name + ' x' + choice[item.name]);
  return parts.length ? parts.join(', ') : 'nothing';
}

function drawStrategies(state) {
  const game = state.game;
  const show = game.over || state.you < 0;
  el('compare').hidden = !show || game.played === 0;
  if (!show) return;
  const table = el('strategies');
  table.textContent = '';
  const head = table.insertRow();
  const cells = ['Group'];
  for (let t = 0; t < game.played; t++) cells.push('Turn ' + (t + 1));
  cells.push('Practising at the end', 'Culture at the end');
  for (const text of cells) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    head.appendChild(th);
  }
  for (const g of game.groups) {
    const row = table.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = groupName(state, g);
    row.appendChild(th);
    for (let t = 0; t < game.played; t++)
      row.insertCell().textContent = describeChoice(game, g.choices[t]) + ' (' + g.spent[t] + ' ' + game.exercise.unit + ')';
    const last = (s) => s[s.length - 1];
    row.insertCell().textContent = (100 * last(g.series[0])).toFixed(1) + '%';
    row.insertCell().textContent = last(g.series[1]).toFixed(2);
  }
}

function render(state) {
  lastState = state;
  const game = state.game;
  const ex = game.exercise;
  document.title = ex.name + ' - qisim play';
  el('title').textContent = ex.name;
  const years = ex.weeks_per_turn === 52 ? 'Year' : 'Turn';
  el('turn').textContent = game.over ? 'Game over: ' + ex.turns + ' of ' + ex.turns + ' turns played'
    : years + ' ' + (game.played + 1) + ' of ' + ex.turns + (state.paused ? ' (paused by the teacher)' : '');
  const teacher = state.you < 0;
  document.body.classList.toggle('overview', teacher || game.over);
  el('join').hidden = true;
  el('teacher').hidden = !teacher;
  el('choose').hidden = teacher || game.over;
  if (teacher) {
    const joined = state.joined.filter((j) => j).length;
    const submitted = state.submitted.filter((j) => j).length;
    el('class-info').textContent = joined + ' of ' + ex.groups + ' groups joined, ' + submitted +
      ' chose this turn. Seed ' + game.seed + '.' + (state.error ? ' Error: ' + state.error : '');
    el('advance').disabled = game.over;
    el('pause').setAttribute('aria-pressed', state.paused ? 'true' : 'false');
    el('pause').textContent = state.paused ? 'Resume the class' : 'Pause the class';
    el('saved').textContent = state.saved ? 'Saved: ' + state.saved + '/game.lua (replay: qisim run ' + state.saved +
      '/game.lua --seed ' + game.seed + ')' : '';
  } else if (!game.over) {
    if (menuBuiltFor !== ex.name) buildMenu(game);
    const mine = game.groups[0];
    el('choose-h').textContent = 'Your choices for ' + years.toLowerCase() + ' ' + (game.played + 1);
    el('budget').textContent = 'Budget: ' + ex.budget + ' ' + ex.unit + ' this ' + years.toLowerCase() +
      ' (what you do not spend is lost). ' + (mine && mine.submitted ? 'Submitted: waiting for the other groups.' : '');
    el('submit').disabled = state.paused;
  }
  drawCharts(state);
  drawCommentary(state);
  drawStrategies(state);
  setStatus('ready: ' + (teacher ? 'teacher' : 'group ' + (state.you + 1)) + ', turn ' + game.played + ' of ' +
    ex.turns + ' played, ' + charts.length + ' charts drawn');
}

async function poll() {
  if (busy || !token || document.hidden) return;
  try {
    render(await request('GET', '/api/state'));
  } catch (e) {
    el('message').textContent = e.message;
    if (e.message === 'join first') { // the server was restarted: the old token is gone
      sessionStorage.removeItem('qisim-token');
      token = null;
      el('join').hidden = false;
    }
  }
}

el('join-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    await join(el('code').value);
    el('message').textContent = '';
    await poll();
  } catch (err) {
    el('message').textContent = err.message;
  }
});

el('choices').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!lastState) return;
  busy = true;
  try {
    render(await request('POST', '/api/submit', form(chosen(lastState.game))));
    el('message').textContent = '';
  } catch (err) {
    el('message').textContent = err.message;
  }
  busy = false;
});

el('advance').addEventListener('click', async () => {
  busy = true;
  try { render(await request('POST', '/api/advance', '')); el('message').textContent = ''; }
  catch (err) { el('message').textContent = err.message; }
  busy = false;
});

el('pause').addEventListener('click', async () => {
  busy = true;
  const paused = lastState && lastState.paused ? 0 : 1;
  try { render(await request('POST', '/api/pause', form({ paused }))); }
  catch (err) { el('message').textContent = err.message; }
  busy = false;
});

// The saved game so far (a scenario qisim run replays), as a file: the token goes in a header,
// so the browser cannot simply follow a link.
el('download').addEventListener('click', async () => {
  try {
    const r = await fetch('/api/saved', { headers: { 'X-Qisim-Token': token }, cache: 'no-store' });
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const url = URL.createObjectURL(new Blob([await r.text()], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'game.lua';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  } catch (err) {
    el('message').textContent = 'download failed: ' + err.message;
  }
});

async function start() {
  const hash = new URLSearchParams(location.hash.slice(1));
  history.replaceState(null, '', location.pathname); // keep tokens out of the address bar
  try {
    if (hash.get('teacher') || hash.get('token')) {
      token = hash.get('teacher') || hash.get('token');
      sessionStorage.setItem('qisim-token', token);
    } else if (hash.get('join') && !token) {
      await join(hash.get('join'));
    }
  } catch (err) {
    el('message').textContent = err.message;
  }
  if (!token) {
    el('join').hidden = false;
    if (hash.get('join')) el('code').value = hash.get('join');
    setStatus('waiting to join');
    return;
  }
  await poll();
  setInterval(poll, 2000);
}

start();
