// The compliance lead's pages: the portfolio with every finding, and one vendor's status and audit trail.
import type { Tier } from '../core/portfolio.js';
import { byUrgency } from '../core/urgency.js';
import { html, type Html } from './html.js';
import { layout, severityBadge, statusBadge } from './layout.js';
import type { Finding, VendorAssessment } from '../core/assess.js';
import type { StoredEvent } from '../core/events.js';
import type { DocumentRecord, FindingRecord, RequestRecord } from '../core/vendor-state.js';
import { kindName } from '../core/review.js';
import { auditTrailSection, type ChainStatus } from './audit-trail.js';

export interface PortfolioRow {
  vendorId: string;
  name: string;
  tier: Tier;
  assessment: VendorAssessment;
  pendingReviews: number;
  openRequest: boolean;
}

/** The finding actions the signed-in person may take on a vendor (core/roles.ts decides; pages only show it). */
export interface FindingPermissions {
  acknowledge: boolean;
  acceptRisk: boolean;
}

export interface FindingRow {
  vendorId: string;
  vendorName: string;
  finding: FindingRecord;
  may: FindingPermissions;
}

function findingActions(
  vendorId: string,
  f: { findingId: string; code: string; status: string },
  lifecycle: boolean,
  allowed: FindingPermissions,
): Html {
  const action = `/vendors/${encodeURIComponent(vendorId)}/findings/${encodeURIComponent(f.findingId)}`;
  const acknowledge = f.status === 'open' && allowed.acknowledge;
  const close = !lifecycle && allowed.acceptRisk;
  if (f.status === 'closed' || !(acknowledge || close)) return html``;
  return html`<form method="post" action="${action}" class="inline-form">
    <label class="sr-only" for="note-${f.findingId}">Note on ${f.code}</label>
    <input
      type="text"
      id="note-${f.findingId}"
      name="note"
      placeholder="Note (required)"
      required
      maxlength="2000"
    />
    ${acknowledge ? html`<button type="submit" name="action" value="acknowledge" class="secondary">Acknowledge</button>` : ''}
    ${close ? html`<button type="submit" name="action" value="close" class="secondary">Close (risk accepted)</button>` : ''}
  </form>`;
}

export function portfolioPage(
  staff: { name: string },
  m: { asOf: string; rows: PortfolioRow[]; findings: FindingRow[]; lifecycleCodes: readonly string[] },
): Html {
  const counts: Record<string, number> = {};
  for (const r of m.rows) counts[r.assessment.status] = (counts[r.assessment.status] ?? 0) + 1;
  return layout(
    { title: 'Portfolio', staff },
    html`<h1>Vendor coverage as of ${m.asOf}</h1>
      <p class="small" id="portfolio-downloads">
        Download the portfolio (<a href="/?format=csv" download>CSV</a>,
        <a href="/?format=json" download>JSON</a>) or the findings register (<a
          href="/?format=csv&amp;part=findings"
          download
          >CSV</a
        >, <a href="/?format=json&amp;part=findings" download>JSON</a>). Who lapses next:
        <a href="/forecast">the coverage forecast</a>.
      </p>
      <ul class="summary" aria-label="Vendors by status">
        ${['stale', 'missing', 'expiring', 'bridged', 'current'].map(
          (s) => html`<li class="card">${statusBadge(s)} <strong>${counts[s] ?? 0}</strong></li>`,
        )}
      </ul>
      <h2 id="findings-h">Open findings</h2>
      ${
        m.findings.length === 0
          ? html`<p class="card">No open or acknowledged findings on record.</p>`
          : html`<table aria-labelledby="findings-h">
              <thead>
                <tr>
                  <th scope="col">Vendor</th>
                  <th scope="col">Finding</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Status</th>
                  <th scope="col">Opened</th>
                  <th scope="col">Action</th>
                </tr>
              </thead>
              <tbody>
                ${m.findings.map(
                  (r) =>
                    html`<tr>
                      <td><a href="/vendors/${encodeURIComponent(r.vendorId)}">${r.vendorName}</a></td>
                      <td>${r.finding.code}</td>
                      <td>${severityBadge(r.finding.severity)}</td>
                      <td>
                        ${statusBadge(r.finding.status)}${r.finding.note ? html`<div class="small">${r.finding.note}</div>` : ''}
                      </td>
                      <td>${r.finding.openedAt.slice(0, 10)}</td>
                      <td>
                        ${findingActions(r.vendorId, r.finding, m.lifecycleCodes.includes(r.finding.code), r.may)}
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      <h2 id="vendors-h">Vendors</h2>
      <table aria-labelledby="vendors-h">
        <thead>
          <tr>
            <th scope="col">Vendor</th>
            <th scope="col">Tier</th>
            <th scope="col">Status</th>
            <th scope="col">Lapse date</th>
            <th scope="col">Days</th>
            <th scope="col">Policy findings</th>
            <th scope="col">Work</th>
          </tr>
        </thead>
        <tbody>
          ${byUrgency(m.rows, m.asOf).map(
            (r) =>
              html`<tr>
                <td><a href="/vendors/${encodeURIComponent(r.vendorId)}">${r.name}</a></td>
                <td>${r.tier}</td>
                <td>${statusBadge(r.assessment.status)}</td>
                <td class="nowrap">${r.assessment.lapseDate ?? '—'}</td>
                <td>${r.assessment.daysToLapse ?? '—'}</td>
                <td>
                  ${r.assessment.findings.map((f) => html`<span>${f.code} ${severityBadge(f.severity)}</span> `)}
                </td>
                <td>
                  ${r.pendingReviews ? html`<a href="/review">${r.pendingReviews} to review</a>` : ''}${r.openRequest ? html` <span class="small muted">request open</span>` : ''}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}

export type { ChainStatus };

export interface VendorPageModel {
  /** What the signed-in person may do on this vendor's findings. */
  may: FindingPermissions;
  chain?: ChainStatus;
  vendorId: string;
  name: string;
  tier: string;
  managerEmail: string;
  contactEmail: string;
  asOf: string;
  assessment: VendorAssessment;
  documents: DocumentRecord[];
  findings: FindingRecord[];
  computed: Finding[];
  requests: RequestRecord[];
  /** The audit trail's events on this page (all of them when `trail` is absent). */
  events: StoredEvent[];
  /** Which page of the trail `events` is, of how many events in all. */
  trail?: { page: number; total: number };
  lifecycleCodes: readonly string[];
  notice?: string;
}

/** Section 9: the basis's carved-out subservice organisations, each with its own coverage and its page. */
function carvedOutFacts(subservices: VendorAssessment['subservices']): Html | '' {
  if (!subservices?.length) return '';
  return html`<dt>Carved out</dt>
    <dd id="carved-out">
      ${subservices.map(
        (o, i) =>
          html`${i ? ', ' : ''}<a href="/subservices/${encodeURIComponent(o.id)}">${o.id}</a>
            ${statusBadge(o.status)}`,
      )}
    </dd>`;
}

export function vendorPage(staff: { name: string }, m: VendorPageModel): Html {
  const a = m.assessment;
  const recordedCodes = new Set(m.findings.filter((f) => f.status !== 'closed').map((f) => f.code));
  const unrecorded = m.computed.filter(
    (f) => !recordedCodes.has(f.code) && !m.lifecycleCodes.includes(f.code),
  );
  return layout(
    { title: m.name, staff },
    html`<p class="small"><a href="/">Portfolio</a> › ${m.name}</p>
      <h1>${m.name} <span class="muted small">${m.vendorId} · ${m.tier}</span></h1>
      ${m.notice ? html`<div class="notice ok" role="status">${m.notice}</div>` : ''}
      <div class="row">
        <section class="card" aria-labelledby="status-h">
          <h2 id="status-h">Coverage as of ${m.asOf}</h2>
          <dl class="facts">
            <dt>Status</dt>
            <dd id="vendor-status">${statusBadge(a.status)}</dd>
            <dt>Basis</dt>
            <dd>${a.basis ? html`${kindName(a.basis.kind)}, period end ${a.basis.periodEnd}` : 'none'}</dd>
            <dt>Lapse date</dt>
            <dd id="lapse-date">${a.lapseDate ?? '—'}</dd>
            <dt>Bridged until</dt>
            <dd>${a.bridgedUntil ?? '—'}</dd>
            <dt>Days to lapse</dt>
            <dd>${a.daysToLapse ?? '—'}</dd>
            ${carvedOutFacts(a.subservices)}
          </dl>
        </section>
        <section class="card" aria-labelledby="people-h">
          <h2 id="people-h">People</h2>
          <dl class="facts">
            <dt>Vendor manager</dt>
            <dd>${m.managerEmail}</dd>
            <dt>Vendor contact</dt>
            <dd>${m.contactEmail}</dd>
          </dl>
        </section>
      </div>
      <h2 id="findings-h">Findings</h2>
      <table aria-labelledby="findings-h">
        <thead>
          <tr>
            <th scope="col">Finding</th>
            <th scope="col">Severity</th>
            <th scope="col">Status</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          ${m.findings.map(
            (f) =>
              html`<tr>
                <td>${f.code}</td>
                <td>${severityBadge(f.severity)}</td>
                <td>
                  ${statusBadge(f.status)}${f.note ? html`<div class="small">${f.note}</div>` : ''}${f.reason ? html`<div class="small">${f.reason}</div>` : ''}
                </td>
                <td>${findingActions(m.vendorId, f, m.lifecycleCodes.includes(f.code), m.may)}</td>
              </tr>`,
          )}
          ${unrecorded.map(
            (f) =>
              html`<tr>
                <td>${f.code}</td>
                <td>${severityBadge(f.severity)}</td>
                <td>
                  ${statusBadge('open')} <span class="small muted">policy finding, not yet reviewed</span>
                </td>
                <td>
                  ${findingActions(m.vendorId, { findingId: `new-${f.code}`, code: f.code, status: 'open' }, false, m.may)}
                </td>
              </tr>`,
          )}
          ${
            m.findings.length + unrecorded.length === 0
              ? html`<tr>
                  <td colspan="4" class="muted">No findings.</td>
                </tr>`
              : ''
          }
        </tbody>
      </table>
      <h2 id="docs-h">Documents</h2>
      <table aria-labelledby="docs-h">
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Source</th>
            <th scope="col">Added</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          ${m.documents.map(
            (d) =>
              html`<tr>
                <td>
                  ${kindName(d.document.kind)}
                  ${'periodEnd' in d.document ? html`<span class="small muted">period end ${d.document.periodEnd}</span>` : html`<span class="small muted">${d.document.coversFrom} to ${d.document.coversTo}</span>`}
                </td>
                <td>${d.source}</td>
                <td class="nowrap">${d.addedAt.slice(0, 10)}</td>
                <td>
                  ${statusBadge(d.status)}
                  ${d.status === 'pending-review' ? html`<a href="/review/${encodeURIComponent(m.vendorId)}/${encodeURIComponent(d.documentId)}">review</a>` : ''}${d.reason ? html`<div class="small">${d.reason}</div>` : ''}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${auditTrailSection(
        m.vendorId,
        {
          events: m.events,
          page: m.trail?.page ?? 1,
          total: m.trail?.total ?? m.events.length,
          context: { documentKind: (id) => m.documents.find((d) => d.documentId === id)?.document.kind },
        },
        m.chain,
      )}`,
  );
}
