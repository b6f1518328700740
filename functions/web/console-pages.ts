// The compliance lead's vendor page: one vendor's status, documents, findings and audit trail (the portfolio and
// the register are web/portfolio-pages.ts and web/register-pages.ts).
import { html, type Html } from './html.js';
import { basisText, documentKindAndPeriod, DOCUMENTS_TABLE_HEAD } from './documents.js';
import { layout, severityBadge, statusBadge } from './layout.js';
import type { Finding, FindingCode, VendorAssessment } from '../core/assess.js';
import type { StoredEvent } from '../core/events.js';
import { acceptanceNote } from '../core/decision.js';
import type { FindingView } from '../core/findings.js';
import type { DocumentRecord, RequestRecord } from '../core/vendor-state.js';
import { DOCUMENT_STATUS_WORDS, FINDING_WORDS, STATUS_WORDS } from '../core/words.js';
import { findingHref } from './register-pages.js';
import { auditTrailSection, type ChainStatus } from './audit-trail.js';

/** A decision's note in words: an acceptance's own note (its checklist is on the review page), else the reason. */
function documentNote(d: DocumentRecord): string | undefined {
  return d.status === 'accepted' ? acceptanceNote(d.reason).note : d.reason;
}

export type { ChainStatus };

export interface VendorPageModel {
  chain?: ChainStatus;
  vendorId: string;
  name: string;
  tier: string;
  managerEmail: string;
  contactEmail: string;
  asOf: string;
  assessment: VendorAssessment;
  documents: DocumentRecord[];
  /** The vendor's findings on record (the register's rows). */
  findings: FindingView[];
  /** What the assessment raises today (a finding not yet on record opens at the lifecycle's next run). */
  computed: Finding[];
  requests: RequestRecord[];
  /** The audit trail's events on this page (all of them when `trail` is absent). */
  events: StoredEvent[];
  /** Which page of the trail `events` is, of how many events in all. */
  trail?: { page: number; total: number };
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
  const unrecorded = m.computed.filter((f) => !recordedCodes.has(f.code));
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
            <dt></dt>
            <dd class="small">${STATUS_WORDS[a.status]}</dd>
            <dt>Basis</dt>
            <dd>${basisText(a.basis)}</dd>
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
      <table aria-labelledby="findings-h" id="vendor-findings">
        <thead>
          <tr>
            <th scope="col">Finding</th>
            <th scope="col">Severity</th>
            <th scope="col">State</th>
            <th scope="col">Due</th>
          </tr>
        </thead>
        <tbody>
          ${m.findings.map(
            (f) =>
              html`<tr>
                <td>
                  <a href="${findingHref(m.vendorId, f.findingId)}">${f.code}</a>
                  <div class="small">${f.explanation}</div>
                </td>
                <td>${severityBadge(f.severity)}</td>
                <td>
                  ${statusBadge(f.status)}${f.overdue ? html` <span class="badge s-overdue">overdue</span>` : ''}
                  ${f.status === 'closed' && f.closedOn ? html`<div class="small muted">${f.closedOn}</div>` : ''}
                </td>
                <td class="nowrap">${f.status === 'closed' ? '—' : f.dueDate}</td>
              </tr>`,
          )}
          ${unrecorded.map(
            (f) =>
              html`<tr>
                <td>
                  ${f.code}
                  <div class="small">${FINDING_WORDS[f.code as FindingCode] ?? ''}</div>
                </td>
                <td>${severityBadge(f.severity)}</td>
                <td colspan="2" class="small muted">raised today; the system records it at its next run</td>
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
        ${DOCUMENTS_TABLE_HEAD}
        <tbody>
          ${m.documents.map(
            (d) =>
              html`<tr>
                <td>${documentKindAndPeriod(d.document)}</td>
                <td>${d.source}</td>
                <td class="nowrap">${d.addedAt.slice(0, 10)}</td>
                <td>
                  ${statusBadge(d.status)}
                  ${d.source !== 'upload' ? '' : d.status === 'pending-review' ? html`<a href="/review/${encodeURIComponent(m.vendorId)}/${encodeURIComponent(d.documentId)}">review</a>` : html`<a href="/review/${encodeURIComponent(m.vendorId)}/${encodeURIComponent(d.documentId)}" class="small">the decision</a>`}
                  <div class="small muted">${DOCUMENT_STATUS_WORDS[d.status]}</div>
                  ${documentNote(d) ? html`<div class="small">${documentNote(d)}</div>` : ''}
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
