// The portfolio page: the status counts (each a link to its filtered view), a filter form, and one page of vendor
// summaries with a link to the next. Every value comes from the vendor summaries (core/summary.ts); nothing here
// reads a vendor's state.
import { STATUSES, type CoverageStatus } from '../core/assess.js';
import { FINDING_CODES } from '../core/assess.js';
import type { Tier } from '../core/portfolio.js';
import { TIERS } from '../core/portfolio.js';
import {
  NEXT_DUE_WORDS,
  nextDueOn,
  type PortfolioSort,
  type StatusCounts,
  type VendorSummary,
} from '../core/summary.js';
import { FINDING_WORDS, STATUS_WORDS } from '../core/words.js';
import { html, type Html } from './html.js';
import { layout, severityBadge, statusBadge } from './layout.js';

/** The filters a page was asked for, as the page's own links carry them. */
export interface PortfolioFilter {
  status?: CoverageStatus;
  tier?: Tier;
  manager?: string;
  finding?: string;
  q?: string;
  sort: PortfolioSort;
  descending: boolean;
}

export interface PortfolioRowView {
  summary: VendorSummary;
  /** The status today (from the summary's dates). */
  status: CoverageStatus;
}

export interface PortfolioPageModel {
  asOf: string;
  counts: StatusCounts;
  rows: PortfolioRowView[];
  filter: PortfolioFilter;
  /** The signed-in person's e-mail ("my vendors"). */
  me: string;
  /** Where this page started (absent: the first page). */
  cursor?: string;
  nextCursor: string | null;
  pageSize: number;
}

/** The page's URL for a filter (and a cursor): only what differs from the defaults is in it. */
export function portfolioHref(
  filter: Partial<PortfolioFilter>,
  cursor?: string | null,
  pageSize?: number,
): string {
  const params = new URLSearchParams();
  if (filter.status) params.set('status', filter.status);
  if (filter.tier) params.set('tier', filter.tier);
  if (filter.manager) params.set('manager', filter.manager);
  if (filter.finding) params.set('finding', filter.finding);
  if (filter.q) params.set('q', filter.q);
  if (filter.sort && filter.sort !== 'urgency') params.set('sort', filter.sort);
  if (filter.descending) params.set('order', 'desc');
  if (pageSize) params.set('size', String(pageSize));
  if (cursor) params.set('after', cursor);
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

const option = (value: string, label: string, selected: string | undefined) =>
  html`<option value="${value}" ${selected === value ? html`selected` : ''}>${label}</option>`;

function filterForm(m: PortfolioPageModel): Html {
  const f = m.filter;
  return html`<form
    method="get"
    action="/"
    class="card filters"
    role="search"
    aria-label="Filter the portfolio"
  >
    <div class="row">
      <div>
        <label for="q">Vendor name starts with</label>
        <input type="text" id="q" name="q" value="${f.q ?? ''}" maxlength="100" />
      </div>
      <div>
        <label for="status">Status</label>
        <select id="status" name="status">
          ${option('', 'any status', f.status ?? '')} ${STATUSES.map((s) => option(s, s, f.status))}
        </select>
      </div>
      <div>
        <label for="tier">Tier</label>
        <select id="tier" name="tier">
          ${option('', 'any tier', f.tier ?? '')} ${TIERS.map((t) => option(t, t, f.tier))}
        </select>
      </div>
      <div>
        <label for="manager">Vendor manager (e-mail)</label>
        <input type="email" id="manager" name="manager" value="${f.manager ?? ''}" maxlength="254" />
      </div>
      <div>
        <label for="finding">Finding</label>
        <select id="finding" name="finding">
          ${option('', 'any or none', f.finding ?? '')}
          ${option('any', 'any finding needing someone', f.finding)}
          ${FINDING_CODES.map((c) => option(c, c, f.finding))}
        </select>
      </div>
      <div>
        <label for="sort">Order</label>
        <select id="sort" name="sort">
          ${option('urgency', 'most urgent first', f.sort)} ${option('name', 'by name', f.sort)}
        </select>
        <label class="checks"
          ><input type="checkbox" name="order" value="desc" ${f.descending ? html`checked` : ''} />
          reversed</label
        >
      </div>
    </div>
    <p>
      <button type="submit">Show</button>
      <a href="/">Clear</a> ·
      <a href="${portfolioHref({ manager: m.me })}" id="my-vendors">My vendors</a>
    </p>
  </form>`;
}

function severities(s: VendorSummary): Html {
  const parts = (['critical', 'high', 'medium', 'low'] as const)
    .filter((sev) => s.openFindings[sev] > 0)
    .map((sev) => html`<span>${severityBadge(sev)} ${s.openFindings[sev]}</span> `);
  const accepted = s.riskAccepted
    ? html`<span class="small muted">${s.riskAccepted} risk-accepted</span>`
    : '';
  if (parts.length === 0 && !accepted) return html`<span class="muted">none</span>`;
  return html`<a href="/findings?vendor=${encodeURIComponent(s.vendorId)}">${parts}</a>${accepted}`;
}

export function portfolioPage(staff: { name: string }, m: PortfolioPageModel): Html {
  const f = m.filter;
  const filtered = Boolean(f.status || f.tier || f.manager || f.finding || f.q);
  return layout(
    { title: 'Portfolio', staff },
    html`<h1>Vendor coverage as of ${m.asOf}</h1>
      <p class="small" id="portfolio-downloads">
        Download the whole portfolio (<a href="/?format=csv" download>CSV</a>,
        <a href="/?format=json" download>JSON</a>) or the findings register (<a
          href="/findings?format=csv"
          download
          >CSV</a
        >, <a href="/findings?format=json" download>JSON</a>). Who lapses next:
        <a href="/forecast">the coverage forecast</a>.
      </p>
      <ul class="summary" aria-label="Vendors by status (the whole portfolio)">
        ${STATUSES.slice()
          .sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b))
          .map(
            (s) =>
              html`<li class="card">
                <a href="${portfolioHref({ status: s })}" aria-label="${m.counts[s]} ${s}: show them"
                  >${statusBadge(s)} <strong>${m.counts[s]}</strong></a
                >
                <div class="small muted">${STATUS_WORDS[s]}</div>
              </li>`,
          )}
      </ul>
      ${filterForm(m)}
      <h2 id="vendors-h">
        ${filtered ? 'Vendors matching the filter' : 'Vendors'}${m.cursor ? ' (continued)' : ''}
      </h2>
      <table aria-labelledby="vendors-h" id="portfolio">
        <thead>
          <tr>
            <th scope="col">Vendor</th>
            <th scope="col">Tier</th>
            <th scope="col">Status</th>
            <th scope="col">Lapse date</th>
            <th scope="col">Bridged until</th>
            <th scope="col">Next due</th>
            <th scope="col">Open findings</th>
            <th scope="col">Work</th>
          </tr>
        </thead>
        <tbody>
          ${m.rows.map(({ summary: s, status }) => {
            const next = nextDueOn(s, m.asOf);
            return html`<tr>
              <td>
                <a href="/vendors/${encodeURIComponent(s.vendorId)}">${s.name}</a>
                <div class="small muted">${s.managerEmail}</div>
              </td>
              <td>${s.tier}</td>
              <td title="${STATUS_WORDS[status]}">${statusBadge(status)}</td>
              <td class="nowrap">${s.lapseDate ?? '—'}</td>
              <td class="nowrap">${s.bridgedUntil ?? '—'}</td>
              <td>
                ${next ? html`<span class="nowrap">${next.date}</span> <span class="small">${NEXT_DUE_WORDS[next.what]}</span>` : html`<span class="muted">—</span>`}
              </td>
              <td>${severities(s)}</td>
              <td>
                ${s.pendingReviews ? html`<a href="/review">${s.pendingReviews} to review</a>` : ''}${s.openRequest ? html` <span class="small muted">request open</span>` : ''}
              </td>
            </tr>`;
          })}
          ${
            m.rows.length === 0
              ? html`<tr>
                  <td colspan="8" class="muted">
                    No vendors ${filtered ? 'match the filter' : 'on this page'}.
                  </td>
                </tr>`
              : ''
          }
        </tbody>
      </table>
      <nav aria-label="Pages" class="pages">
        ${m.cursor ? html`<a href="${portfolioHref(f, null, m.pageSize)}">First page</a>` : ''}
        ${m.nextCursor ? html`<a href="${portfolioHref(f, m.nextCursor, m.pageSize)}" rel="next" id="next-page">Next page</a>` : ''}
      </nav>
      ${f.finding && f.finding !== 'any' && f.finding in FINDING_WORDS ? html`<p class="small muted">${f.finding}: ${FINDING_WORDS[f.finding as keyof typeof FINDING_WORDS]}</p>` : ''}`,
  );
}

/** The count cards: the uncovered first. */
const ORDER: readonly CoverageStatus[] = ['stale', 'missing', 'expiring', 'bridged', 'current'];
