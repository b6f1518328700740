// The pages' stylesheet and their one small script, served by the assets handler (same origin: the content
// security policy allows no inline script or style).

export const STYLESHEET = `
:root { --ink:#1d2330; --muted:#5b6475; --line:#d9dee7; --bg:#f6f7f9; --card:#fff; --accent:#1f5fbf;
  --ok:#1c7c3c; --warn:#9a6300; --bad:#b3261e; --focus:#ffbf47; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin:0; color:var(--ink); background:var(--bg); line-height:1.5; }
a { color:var(--accent); }
a:focus, button:focus, input:focus, select:focus, textarea:focus { outline:3px solid var(--focus); outline-offset:1px; }
.skip { position:absolute; left:-999px; } .skip:focus { left:1rem; top:1rem; background:#fff; padding:.5rem; z-index:2; }
header.top { background:#14213d; color:#fff; padding:.75rem 1.5rem; display:flex; gap:1.5rem; align-items:center; flex-wrap:wrap; }
header.top a { color:#fff; text-decoration:none; } header.top a:hover { text-decoration:underline; }
header.top .brand { font-weight:700; letter-spacing:.02em; margin-right:auto; }
header.top .who { opacity:.85; font-size:.9rem; }
main { max-width:72rem; margin:1.5rem auto; padding:0 1.5rem; }
h1 { font-size:1.6rem; margin:.2rem 0 1rem; } h2 { font-size:1.2rem; margin:1.5rem 0 .5rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem 1.25rem; margin-bottom:1rem; }
.muted { color:var(--muted); } .small { font-size:.875rem; }
table { border-collapse:collapse; width:100%; background:var(--card); }
th, td { text-align:left; padding:.45rem .6rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:.8rem; text-transform:uppercase; letter-spacing:.04em; color:var(--muted); }
.badge { display:inline-block; padding:.05rem .5rem; border-radius:999px; font-size:.8rem; font-weight:600; border:1px solid currentColor; }
.s-current, .s-accepted, .s-closed { color:var(--ok); } .s-expiring, .s-bridged, .s-pending-review, .s-acknowledged { color:var(--warn); }
.s-stale, .s-missing, .s-rejected, .s-open, .s-overdue, .sev-critical, .sev-high { color:var(--bad); }
.s-remediating, .s-risk-accepted { color:var(--warn); }
form.filters label { display:block; font-weight:600; margin:.25rem 0; } form.filters label.checks { display:inline-flex; font-weight:400; }
nav.pages { display:flex; gap:1rem; margin:.75rem 0; } .sev-medium { color:var(--warn); } .sev-low { color:var(--muted); }
form.stack label { display:block; font-weight:600; margin:.75rem 0 .25rem; }
form.stack .hint { font-weight:400; color:var(--muted); font-size:.875rem; }
input[type=text], input[type=date], input[type=email], input[type=password], input[type=number], select, textarea {
  width:100%; max-width:32rem; padding:.45rem .55rem; border:1px solid #9aa3b2; border-radius:6px; font:inherit; background:#fff; }
textarea { min-height:4.5rem; }
fieldset { border:1px solid var(--line); border-radius:6px; margin:.75rem 0; padding:.5rem 1rem 1rem; }
legend { font-weight:600; padding:0 .25rem; }
form.stack .checks label, .checks label { display:inline-flex; gap:.35rem; font-weight:400; margin-right:1rem; }
button, .button { display:inline-block; font:inherit; font-weight:600; padding:.5rem 1rem; border-radius:6px; border:1px solid var(--accent);
  background:var(--accent); color:#fff; cursor:pointer; text-decoration:none; }
button.secondary { background:#fff; color:var(--accent); } .quick-reason { font-size:.8rem; padding:.15rem .5rem; margin:.15rem 0; font-weight:400; }
button.danger { background:var(--bad); border-color:var(--bad); }
button[disabled] { opacity:.6; cursor:progress; }
.row { display:flex; gap:1rem; flex-wrap:wrap; } .row > * { flex:1 1 14rem; }
.notice { border-left:4px solid var(--accent); background:#eef4fd; padding:.75rem 1rem; border-radius:4px; margin:1rem 0; }
.notice.ok { border-color:var(--ok); background:#eaf6ee; } .notice.bad { border-color:var(--bad); background:#fbecea; }
.notice.warn { border-color:var(--warn); background:#fdf5e6; }
ul.problems { margin:.25rem 0 0 1.25rem; padding:0; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:.25rem 1rem; margin:0; } dl.facts dt { color:var(--muted); }
.checklist li { margin:.35rem 0; } .checklist input { margin-right:.4rem; }
.clock { font-variant-numeric:tabular-nums; } td.nowrap { white-space:nowrap; }
pre.data { white-space:pre-wrap; word-break:break-word; margin:0; font-size:.8rem; max-width:36rem; }
ul.summary { list-style:none; display:flex; flex-wrap:wrap; gap:.75rem; padding:0; margin:0 0 1rem; }
ul.summary li { margin:0; padding:.5rem 1rem; flex:1 1 12rem; }
.inline-form { display:inline-flex; gap:.4rem; align-items:center; flex-wrap:wrap; margin:0; }
.inline-form input[type=text] { max-width:14rem; } .inline-form input[type=number] { width:5rem; }
.localbar { background:#fff4d6; border-bottom:1px solid #e5c97a; padding:.4rem 1.5rem; display:flex; gap:1.25rem; align-items:center; flex-wrap:wrap; font-size:.9rem; }
.localbar button { padding:.2rem .6rem; font-size:.85rem; }
.sr-only { position:absolute; width:1px; height:1px; overflow:hidden; clip:rect(0 0 0 0); }
fieldset.take { border:0; margin:0; padding:0; } form.stack fieldset.take label { display:inline-flex; gap:.3rem; font-weight:400; margin:0 .75rem 0 0; }
#comparison tr[data-agreement=differs] td { background:#fdf3f2; }
.cuecs td input, .cuecs td textarea, .cuecs td select, .subservices td input, .subservices td select { max-width:none; margin:.1rem 0; }
blockquote { margin:.5rem 0; padding:.5rem 1rem; border-left:4px solid var(--line); background:var(--bg); }
figure.chart { margin:0 0 1rem; background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem; }
figure.chart > svg { width:100%; height:auto; max-width:56rem; display:block; }
.chart .grid { stroke:var(--line); } .chart .axis { font-size:11px; fill:var(--muted); }
.series polyline, .series line { stroke-width:2.5; fill:none; stroke:currentColor; } .series .marks * { fill:currentColor; }
.tier-critical { color:#b3261e; } .tier-high { color:#1f5fbf; } .tier-moderate { color:#9a6300; } .tier-low { color:#1c7c3c; }
ul.legend { list-style:none; display:flex; gap:1.25rem; flex-wrap:wrap; padding:0; margin:.5rem 0 0; font-size:.9rem; }
ul.legend li { display:flex; gap:.4rem; align-items:center; }
caption { text-align:left; font-weight:600; padding:.5rem .6rem; }
`;

/** The vendor upload page's script: entries to the server, file straight to S3, then wait for the ingest. */
export const UPLOAD_SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form) return;
  var status = document.getElementById('upload-status');
  var kind = form.elements.namedItem('kind');
  var MAX = 50 * 1024 * 1024;

  function show(kindName) {
    var letter = kindName === 'bridge-letter';
    document.getElementById('report-fields').hidden = letter;
    document.getElementById('letter-fields').hidden = !letter;
    var start = document.getElementById('period-start-field');
    if (start) start.hidden = kindName !== 'soc2-type2';
  }
  function say(cls, title, lines) {
    status.className = 'notice ' + cls;
    status.textContent = '';
    var strong = document.createElement('strong');
    strong.textContent = title;
    status.appendChild(strong);
    if (lines && lines.length) {
      var ul = document.createElement('ul');
      ul.className = 'problems';
      lines.forEach(function (l) { var li = document.createElement('li'); li.textContent = l; ul.appendChild(li); });
      status.appendChild(ul);
    }
    status.hidden = false;
    status.focus();
  }
  function value(name) { var el = form.elements.namedItem(name); return el && 'value' in el ? el.value.trim() : ''; }
  function entries() {
    var k = value('kind');
    var out = { kind: k };
    var target = value('for');
    if (target) out.for = target;
    if (k === 'bridge-letter') {
      out.coversFrom = value('coversFrom'); out.coversTo = value('coversTo'); out.issued = value('letterIssued');
      return out;
    }
    if (k === 'soc2-type2') out.periodStart = value('periodStart');
    out.periodEnd = value('periodEnd'); out.issued = value('issued'); out.opinion = value('opinion');
    out.auditor = value('auditor'); out.regions = value('regions');
    out.categories = Array.prototype.slice.call(form.querySelectorAll('input[name=categories]:checked'))
      .map(function (c) { return c.value; });
    out.exceptions = Array.prototype.slice.call(form.querySelectorAll('.exception')).map(function (row) {
      return {
        control: row.querySelector('[data-field=control]').value.trim(),
        description: row.querySelector('[data-field=description]').value.trim(),
        managementResponse: row.querySelector('[data-field=managementResponse]').value.trim(),
      };
    }).filter(function (e) { return e.control || e.description || e.managementResponse; });
    return out;
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  // The file's SHA-256, computed here: the upload is signed for exactly these bytes, and S3 refuses others.
  async function sha256Hex(file) {
    var digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return Array.prototype.map.call(new Uint8Array(digest), function (b) {
      return b.toString(16).padStart(2, '0');
    }).join('');
  }

  kind.addEventListener('change', function () { show(kind.value); });
  show(kind.value);
  var add = document.getElementById('add-exception');
  if (add) add.addEventListener('click', function () {
    var list = document.getElementById('exceptions');
    var tpl = document.getElementById('exception-template');
    list.appendChild(tpl.content.cloneNode(true));
    var rows = list.querySelectorAll('.exception');
    var last = rows[rows.length - 1];
    last.querySelector('legend').textContent = 'Exception ' + rows.length;
    last.querySelector('[data-field=control]').focus();
  });

  form.addEventListener('submit', async function (ev) {
    ev.preventDefault();
    var button = form.querySelector('button[type=submit]');
    var file = form.elements.namedItem('file').files[0];
    if (!file) return say('bad', 'Please choose the PDF to upload.');
    if (file.size === 0) return say('bad', 'The file is empty. Please choose the PDF of the report.');
    if (file.size > MAX) return say('bad', 'The file is larger than 50 MB. Please send a smaller PDF.');
    if (!window.crypto || !crypto.subtle)
      return say('bad', 'This browser cannot check the file before sending it. Please use a current browser.');
    button.disabled = true;
    try {
      say('', 'Checking your entries…');
      var request = entries();
      request.file = { sha256: await sha256Hex(file), size: file.size };
      var res = await fetch(form.dataset.endpoint || location.pathname.replace(/\\/$/, '') + '/uploads', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request),
      });
      var body = await res.json().catch(function () { return {}; });
      if (res.status === 400) return say('bad', 'Please correct these entries:', body.problems || []);
      if (!res.ok) return say('bad', body.message || 'This link no longer works.');
      say('', 'Uploading the file…');
      var put = await fetch(body.upload.url, { method: 'PUT', headers: body.upload.headers, body: file });
      if (!put.ok) return say('bad', 'The file was refused: it must be the PDF you chose, of at most 50 MB.');
      say('', 'Checking the file…');
      for (var i = 0; i < 60; i++) {
        var st = await fetch(body.statusUrl, { headers: { accept: 'application/json' } });
        var s = await st.json().catch(function () { return {}; });
        if (s.state === 'received' || s.state === 'duplicate') {
          say('ok', s.message, ['To send another document, reload this page.']);
          form.hidden = true;
          return;
        }
        if (s.state === 'refused') return say('bad', s.message);
        await sleep(1000);
      }
      say('warn', 'The file is still being checked. Reload this page in a minute to see its status.');
    } catch (e) {
      say('bad', 'The upload did not go through. Please check your connection and try again.');
    } finally {
      button.disabled = false;
    }
  });
})();
`;

/** The review page's script: the reason field is required only when rejecting. */
export const REVIEW_SCRIPT = `
(function () {
  'use strict';
  var form = document.getElementById('decision-form');
  if (!form) return;
  Array.prototype.forEach.call(document.querySelectorAll('.quick-reason'), function (button) {
    button.addEventListener('click', function () {
      var reason = form.elements.namedItem('reason');
      reason.value = button.getAttribute('data-reason');
      reason.focus();
    });
  });
  form.addEventListener('submit', function (ev) {
    var decision = ev.submitter ? ev.submitter.value : '';
    var reason = form.elements.namedItem('reason');
    if (decision === 'reject' && !reason.value.trim()) {
      ev.preventDefault();
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      document.getElementById('reason-error').hidden = false;
    }
  });
})();
`;

export const ASSETS: Record<string, { type: string; body: string }> = {
  'app.css': { type: 'text/css; charset=utf-8', body: STYLESHEET },
  'upload.js': { type: 'text/javascript; charset=utf-8', body: UPLOAD_SCRIPT },
  'review.js': { type: 'text/javascript; charset=utf-8', body: REVIEW_SCRIPT },
};
