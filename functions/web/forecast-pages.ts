// The coverage forecast page: who loses coverage in the next 30, 60 and 90 days, and a chart of coverage by tier
// over the next 12 months. The chart is SVG drawn here, on the server (no script): it has a title and a
// description for screen readers, every line has its own dash pattern and marker besides its colour, and the
// same figures follow as a table.
import { coveredOf, totalOf, type CoverageForecast, type ForecastChange } from '../core/forecast.js';
import { TIERS, type Tier } from '../core/portfolio.js';
import { explainStatus } from '../core/explain.js';
import { html, raw, type Html } from './html.js';
import { layout, statusBadge } from './layout.js';

const TIER_STYLE: Record<Tier, { dash: string; marker: 'circle' | 'square' | 'triangle' | 'diamond' }> = {
  critical: { dash: '', marker: 'circle' },
  high: { dash: '8 4', marker: 'square' },
  moderate: { dash: '2 3', marker: 'triangle' },
  low: { dash: '10 3 2 3', marker: 'diamond' },
};

const CHANGE_WORDS: Record<ForecastChange['kind'], string> = {
  'report-lapses': 'report lapses',
  'bridge-ends': 'bridge letter ends',
};

const WIDTH = 720;
const HEIGHT = 300;
const PAD = { left: 48, right: 40, top: 16, bottom: 40 };

/** A month label for the axis: '2026-12-26' → 'Dec 26' would need a locale; ISO months read everywhere. */
function monthLabel(date: string): string {
  return date.slice(0, 7);
}

/** Percentage of a tier's vendors covered, or null when the tier has none. */
function coveredShare(covered: number, total: number): number | null {
  return total === 0 ? null : (100 * covered) / total;
}

function percent(share: number | null): string {
  return share === null ? '—' : `${Math.round(share)}%`;
}

function marker(kind: (typeof TIER_STYLE)[Tier]['marker'], x: number, y: number): string {
  const r = 4;
  switch (kind) {
    case 'circle':
      return `<circle cx="${x}" cy="${y}" r="${r}"/>`;
    case 'square':
      return `<rect x="${x - r}" y="${y - r}" width="${2 * r}" height="${2 * r}"/>`;
    case 'triangle':
      return `<polygon points="${x},${y - r - 1} ${x + r + 1},${y + r} ${x - r - 1},${y + r}"/>`;
    case 'diamond':
      return `<polygon points="${x},${y - r - 1} ${x + r + 1},${y} ${x},${y + r + 1} ${x - r - 1},${y}"/>`;
  }
}

/** The chart: share of each tier's vendors covered on each date. Numbers only are interpolated (no text). */
export function coverageChart(forecast: CoverageForecast): Html {
  const points = forecast.months;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? 0 : (i * plotW) / (points.length - 1));
  const y = (share: number) => PAD.top + plotH - (share * plotH) / 100;
  const f = (n: number) => n.toFixed(1);

  const grid = [0, 25, 50, 75, 100]
    .map(
      (p) =>
        `<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${f(y(p))}" y2="${f(y(p))}"/>` +
        `<text class="axis" x="${PAD.left - 6}" y="${f(y(p) + 4)}" text-anchor="end">${p}%</text>`,
    )
    .join('');
  const ticks = points
    .map((p, i) =>
      i % 2 === 0
        ? `<text class="axis" x="${f(x(i))}" y="${HEIGHT - PAD.bottom + 18}" text-anchor="middle">${monthLabel(p.date)}</text>`
        : '',
    )
    .join('');
  const lines = TIERS.map((tier) => {
    const shares = points.map((p) => coveredShare(coveredOf(p.byTier[tier]), totalOf(p.byTier[tier])));
    if (shares.every((s) => s === null)) return '';
    const style = TIER_STYLE[tier];
    const path = shares
      .map((s, i) => (s === null ? '' : `${f(x(i))},${f(y(s))}`))
      .filter((p) => p !== '')
      .join(' ');
    const marks = shares.map((s, i) => (s === null ? '' : marker(style.marker, x(i), y(s)))).join('');
    return (
      `<g class="series tier-${tier}">` +
      `<polyline points="${path}" fill="none"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''}/>` +
      `<g class="marks">${marks}</g></g>`
    );
  }).join('');
  const first = points[0];
  const last = points[points.length - 1];
  const summary = TIERS.filter((t) => first && totalOf(first.byTier[t]) > 0)
    .map(
      (t) =>
        `${t}: ${percent(coveredShare(coveredOf(first!.byTier[t]), totalOf(first!.byTier[t])))} covered now, ` +
        `${percent(coveredShare(coveredOf(last!.byTier[t]), totalOf(last!.byTier[t])))} on ${last!.date}`,
    )
    .join('; ');
  return html`<figure class="chart">
    <svg
      viewBox="0 0 ${WIDTH} ${HEIGHT}"
      role="img"
      aria-labelledby="chart-title chart-desc"
      focusable="false"
    >
      <title id="chart-title">
        Share of vendors covered, by tier, ${first?.date ?? ''} to ${last?.date ?? ''}
      </title>
      <desc id="chart-desc">
        If no new report or bridge letter arrives: ${summary || 'no vendors'}. The table below gives every
        figure.
      </desc>
      ${raw(grid)}${raw(ticks)}${raw(lines)}
    </svg>
    <figcaption>
      <ul class="legend">
        ${TIERS.map(
          (t) =>
            html`<li>
              <svg width="36" height="12" aria-hidden="true" class="series tier-${t}">
                ${raw(
                  `<line x1="2" x2="34" y1="6" y2="6"${TIER_STYLE[t].dash ? ` stroke-dasharray="${TIER_STYLE[t].dash}"` : ''}/>` +
                    `<g class="marks">${marker(TIER_STYLE[t].marker, 18, 6)}</g>`,
                )}
              </svg>
              ${t}
            </li>`,
        )}
      </ul>
    </figcaption>
  </figure>`;
}

function changesTable(id: string, caption: string, changes: readonly ForecastChange[]): Html {
  if (changes.length === 0) return html`<p class="card" id="${id}">${caption}: nobody.</p>`;
  return html`<table id="${id}">
    <caption>
      ${caption}: ${changes.length} vendor${changes.length === 1 ? '' : 's'}
    </caption>
    <thead>
      <tr>
        <th scope="col">Vendor</th>
        <th scope="col">Tier</th>
        <th scope="col">What ends</th>
        <th scope="col">Covered through</th>
        <th scope="col">From</th>
        <th scope="col">Vendor manager</th>
      </tr>
    </thead>
    <tbody>
      ${changes.map(
        (c) =>
          html`<tr>
            <td><a href="/vendors/${encodeURIComponent(c.vendorId)}">${c.name}</a></td>
            <td>${c.tier}</td>
            <td>${CHANGE_WORDS[c.kind]}</td>
            <td class="nowrap">${c.lastCoveredDay}</td>
            <td>
              <span class="nowrap">${c.date} <span class="small muted">(in ${c.inDays} days)</span></span>
              ${statusBadge(c.becomes)}
              <div class="small muted">${explainStatus(c.becomes)}</div>
            </td>
            <td>${c.managerEmail}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function monthsTable(forecast: CoverageForecast): Html {
  return html`<table id="forecast-table">
    <caption>
      Vendors covered (current, expiring or bridged) of all vendors, by tier
    </caption>
    <thead>
      <tr>
        <th scope="col">Date</th>
        ${TIERS.map((t) => html`<th scope="col">${t}</th>`)}
        <th scope="col">All</th>
      </tr>
    </thead>
    <tbody>
      ${forecast.months.map(
        (p) =>
          html`<tr>
            <th scope="row" class="nowrap">${p.date}</th>
            ${[...TIERS.map((t) => p.byTier[t]), p.total].map((counts) => {
              const covered = coveredOf(counts);
              const total = totalOf(counts);
              return html`<td>
                ${covered} of ${total}
                <span class="small muted">(${percent(coveredShare(covered, total))})</span>
              </td>`;
            })}
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function forecastPage(staff: { name: string }, forecast: CoverageForecast): Html {
  const within = (from: number, to: number) =>
    forecast.changes.filter((c) => c.inDays > from && c.inDays <= to);
  return layout(
    { title: 'Coverage forecast', staff },
    html`<p class="small"><a href="/">Portfolio</a> › Coverage forecast</p>
      <h1>Coverage forecast as of ${forecast.today}</h1>
      <p>
        What the portfolio of ${forecast.vendors} vendor${forecast.vendors === 1 ? '' : 's'} looks like if no
        new report or bridge letter arrives, by the same rules as every status in Bridgekeeper.
      </p>
      <p class="small" id="forecast-downloads">
        Download:
        <a href="/forecast?format=csv&amp;part=changes" download>who loses coverage (CSV)</a> ·
        <a href="/forecast?format=csv&amp;part=months" download>coverage by month (CSV)</a> ·
        <a href="/forecast?format=json" download>everything (JSON)</a>
      </p>
      <h2 id="changes-h">Who loses coverage in the next 90 days</h2>
      ${changesTable('within-30', 'Within 30 days', within(0, 30))}
      ${changesTable('within-60', 'In 31 to 60 days', within(30, 60))}
      ${changesTable('within-90', 'In 61 to 90 days', within(60, 90))}
      <h2 id="chart-h">Coverage by tier over the next 12 months</h2>
      ${coverageChart(forecast)} ${monthsTable(forecast)}`,
  );
}
