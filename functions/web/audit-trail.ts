// One vendor's audit trail on its console page: newest first, a page of events at a time, each explained in plain
// words (core/explain.ts) with its data (secrets' stand-ins redacted) a click away, and the whole trail as CSV or
// JSON.
import type { StoredEvent } from '../core/events.js';
import { explainEvent, type EventContext } from '../core/explain.js';
import { actorName } from '../core/words.js';
import { redactedData } from '../core/exports.js';
import { html, type Html } from './html.js';

/** Events per page of the trail. */
export const TRAIL_PAGE_SIZE = 50;

export interface ChainStatus {
  events: number;
  problems: string[];
  headHash: string | null;
}

export interface TrailPage {
  /** This page's events, any order (shown newest first). */
  events: readonly StoredEvent[];
  /** 1 is the newest page. */
  page: number;
  /** Events in the whole trail (the vendor's last seq). */
  total: number;
  context?: EventContext;
}

/** The seqs page `page` shows, newest first: `[fromSeq, toSeq]` (empty when past the end). */
export function trailRange(total: number, page: number, size = TRAIL_PAGE_SIZE): [number, number] {
  const toSeq = total - (page - 1) * size;
  return [Math.max(1, toSeq - size + 1), toSeq];
}

function chainNotice(chain: ChainStatus | undefined): Html {
  if (!chain) return html``;
  return chain.problems.length === 0
    ? html`<p class="notice ok" id="chain-status">
        Hash chain verified: ${chain.events} events, none edited, removed or reordered. Head
        <code class="small">${chain.headHash ?? ''}</code>
      </p>`
    : html`<div class="notice bad" id="chain-status" role="alert">
        <strong>The hash chain does not verify:</strong>
        <ul class="problems">
          ${chain.problems.map((p) => html`<li>${p}</li>`)}
        </ul>
      </div>`;
}

export function auditTrailSection(vendorId: string, trail: TrailPage, chain?: ChainStatus): Html {
  const pages = Math.max(1, Math.ceil(trail.total / TRAIL_PAGE_SIZE));
  const [fromSeq, toSeq] = trailRange(trail.total, trail.page);
  const base = `/vendors/${encodeURIComponent(vendorId)}`;
  const events = [...trail.events].sort((a, b) => b.seq - a.seq);
  const nav = html`<nav class="pager small" aria-label="Audit trail pages">
    ${trail.page > 1 ? html`<a href="${base}?page=${trail.page - 1}#trail-h" rel="prev">Newer events</a>` : ''}
    <span
      >Events ${events.length === 0 ? 0 : fromSeq}–${events.length === 0 ? 0 : toSeq} of ${trail.total} (page
      ${trail.page} of ${pages})</span
    >
    ${trail.page < pages ? html`<a href="${base}?page=${trail.page + 1}#trail-h" rel="next">Older events</a>` : ''}
  </nav>`;
  return html`<h2 id="trail-h">Audit trail</h2>
    ${chainNotice(chain)}
    <p class="small" id="trail-downloads">
      The whole trail: <a href="${base}?format=csv" download>CSV</a> ·
      <a href="${base}?format=json" download>JSON</a>
    </p>
    ${nav}
    <table aria-labelledby="trail-h" id="audit-trail">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">What happened</th>
          <th scope="col">Data</th>
        </tr>
      </thead>
      <tbody>
        ${events.map(
          (e) =>
            html`<tr>
              <td>${e.seq}</td>
              <td class="small nowrap">${e.at.replace('T', ' ').slice(0, 19)}</td>
              <td>${actorName(e.actor)}</td>
              <td>${explainEvent(e, trail.context)} <span class="small muted">${e.type}</span></td>
              <td>
                <details>
                  <summary class="small">data</summary>
                  <pre class="data">${redactedData(e.data, 1)}</pre>
                </details>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${pages > 1 ? nav : ''}`;
}
