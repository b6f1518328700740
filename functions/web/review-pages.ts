// The vendor manager's pages: the review queue and the review of one uploaded document.
import { html, type Html } from './html.js';
import { layout, severityBadge, statusBadge } from './layout.js';
import { kindName, type AcceptancePreview, type ChecklistItem } from '../core/review.js';
import type { DocumentRecord } from '../core/vendor-state.js';
import { isSocReport } from '../core/portfolio.js';
import type { Finding } from '../core/assess.js';

export interface QueueRow {
  vendorId: string;
  vendorName: string;
  tier: string;
  documentId: string;
  kind: string;
  addedAt: string;
  /** The signed-in manager owns this vendor. */
  mine: boolean;
}

export function reviewQueuePage(staff: { name: string }, rows: QueueRow[]): Html {
  return layout(
    { title: 'Review queue', staff },
    html`<h1>Documents waiting for review</h1>
      ${
        rows.length === 0
          ? html`<p class="card">Nothing is waiting for review.</p>`
          : html`<table>
              <caption class="sr-only">
                Uploaded documents waiting for a decision
              </caption>
              <thead>
                <tr>
                  <th scope="col">Vendor</th>
                  <th scope="col">Tier</th>
                  <th scope="col">Document</th>
                  <th scope="col">Uploaded</th>
                  <th scope="col"></th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) =>
                    html`<tr>
                      <td>
                        <a href="/vendors/${encodeURIComponent(r.vendorId)}">${r.vendorName}</a>
                        ${r.mine ? html`<span class="badge s-current">yours</span>` : ''}
                      </td>
                      <td>${r.tier}</td>
                      <td>${kindName(r.kind)}</td>
                      <td>${r.addedAt.slice(0, 10)}</td>
                      <td>
                        <a
                          class="button"
                          href="/review/${encodeURIComponent(r.vendorId)}/${encodeURIComponent(r.documentId)}"
                          >Review</a
                        >
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  );
}

function entriesOf(record: DocumentRecord): Html {
  const d = record.document;
  if (!isSocReport(d)) {
    return html`<dl class="facts">
      <dt>Kind</dt>
      <dd>${kindName(d.kind)}</dd>
      <dt>Covers</dt>
      <dd>${d.coversFrom} to ${d.coversTo}</dd>
      <dt>Letter date</dt>
      <dd>${d.issued ?? '(not given)'}</dd>
    </dl>`;
  }
  return html`<dl class="facts">
    <dt>Kind</dt>
    <dd>${kindName(d.kind)}</dd>
    <dt>Period</dt>
    <dd>${d.periodStart ? html`${d.periodStart} to ` : 'as of '}${d.periodEnd}</dd>
    <dt>Report date</dt>
    <dd>${d.issued ?? '(not given)'}</dd>
    <dt>Opinion</dt>
    <dd>${d.opinion}</dd>
    <dt>Auditor</dt>
    <dd>${d.auditor ?? '(not given)'}</dd>
    <dt>Categories</dt>
    <dd>${(d.categories ?? ['security']).join(', ')}</dd>
    <dt>Regions</dt>
    <dd>${d.regions ? d.regions.join(', ') : '(not stated)'}</dd>
    <dt>Exceptions</dt>
    <dd>${(d.exceptions ?? []).length}</dd>
  </dl>`;
}

function findingList(findings: Finding[], empty: string): Html {
  return findings.length === 0
    ? html`<span class="muted">${empty}</span>`
    : html`<ul>
        ${findings.map((f) => html`<li>${f.code} ${severityBadge(f.severity)}</li>`)}
      </ul>`;
}

export interface ReviewPageModel {
  vendorId: string;
  vendorName: string;
  tier: string;
  record: DocumentRecord;
  downloadUrl: string | undefined;
  checklist: ChecklistItem[];
  preview: AcceptancePreview;
  asOf: string;
  /** The signed-in person may accept or reject it (core/roles.ts); otherwise the page only shows it. */
  mayDecide: boolean;
  /** Problems with the last submission, if any. */
  problems?: string[];
}

/** One click fills the reason; the manager can still edit it. */
export const QUICK_REASONS = [
  'The report is not signed by the auditor.',
  'The period does not follow on from the previous report: please send the report or a bridge letter covering the gap.',
  'This is a Type I report; we need the SOC 2 Type II report.',
  'The entries do not match the document (period, opinion or categories).',
];

const TONE: Record<string, string> = {
  ok: 'matches policy',
  concern: 'needs attention',
  manual: 'check in the PDF',
};

export function reviewPage(staff: { name: string }, m: ReviewPageModel): Html {
  const decided = m.record.status !== 'pending-review';
  // The decision controls only for whoever may decide; the others see the same page, read-only.
  const open = !decided && m.mayDecide;
  const { before, after } = m.preview;
  const base = `/review/${encodeURIComponent(m.vendorId)}/${encodeURIComponent(m.record.documentId)}`;
  return layout(
    { title: `Review: ${m.vendorName}`, staff, scripts: ['/assets/review.js'] },
    html`<p class="small">
        <a href="/review">Review queue</a> ›
        <a href="/vendors/${encodeURIComponent(m.vendorId)}">${m.vendorName}</a>
      </p>
      <h1>Review: ${kindName(m.record.document.kind)} from ${m.vendorName}</h1>
      ${
        m.problems?.length
          ? html`<div class="notice bad" role="alert">
              <strong>The decision was not recorded:</strong>
              <ul class="problems">
                ${m.problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : ''
      }
      ${
        decided
          ? html`<div class="notice ${m.record.status === 'accepted' ? 'ok' : 'bad'}" role="status">
              This document was ${statusBadge(m.record.status)} on ${m.record.decidedAt?.slice(0, 10) ?? ''}
              ${m.record.decidedBy?.kind === 'staff' ? html`by ${m.record.decidedBy.id}` : ''}${m.record.reason ? html`: ${m.record.reason}` : ''}${/[.!?]$/.test(m.record.reason ?? '') ? '' : '.'}
            </div>`
          : ''
      }
      <div class="row">
        <section class="card" aria-labelledby="entries-h">
          <h2 id="entries-h">
            What the vendor entered <span class="muted small">(untrusted until you confirm it)</span>
          </h2>
          ${entriesOf(m.record)}
          <p>
            ${
              m.downloadUrl
                ? html`<a
                      class="button secondary"
                      href="${m.downloadUrl}"
                      target="_blank"
                      rel="noopener noreferrer"
                      >Open the PDF</a
                    >
                    <span class="small muted">(link valid 5 minutes)</span>`
                : html`<span class="muted">No file on record.</span>`
            }
          </p>
          ${
            m.record.file
              ? html`<p class="small muted">
                  SHA-256 ${m.record.file.sha256} · ${Math.ceil(m.record.file.size / 1024)} KB · uploaded
                  ${m.record.addedAt.slice(0, 10)}
                </p>`
              : ''
          }
        </section>
        <section class="card" aria-labelledby="preview-h">
          <h2 id="preview-h">
            ${decided ? 'With this document accepted' : 'If you accept it'} (as of ${m.asOf})
          </h2>
          <dl class="facts">
            <dt>Status</dt>
            <dd>${statusBadge(before.status)} → ${statusBadge(after.status)}</dd>
            <dt>Lapse date</dt>
            <dd>${before.lapseDate ?? 'none'} → <strong>${after.lapseDate ?? 'none'}</strong></dd>
            <dt>Bridged until</dt>
            <dd>${before.bridgedUntil ?? 'none'} → ${after.bridgedUntil ?? 'none'}</dd>
            <dt>Next reminder</dt>
            <dd>${m.preview.nextReminder ?? 'none'}</dd>
            <dt>Findings raised</dt>
            <dd>${findingList(m.preview.raised, 'none')}</dd>
            <dt>Findings cleared</dt>
            <dd>${findingList(m.preview.cleared, 'none')}</dd>
            <dt>All findings after</dt>
            <dd>${findingList(after.findings, 'none')}</dd>
          </dl>
        </section>
      </div>
      <form id="decision-form" class="stack card" method="post" action="${base}">
        <fieldset class="checklist">
          <legend>Review checklist</legend>
          <ul class="checklist">
            ${m.checklist.map(
              (item) =>
                html`<li>
                  <label
                    ><input type="checkbox" name="check" value="${item.id}" ${open ? '' : html`disabled`} />
                    ${item.label}</label
                  >
                  <span
                    class="badge ${item.tone === 'concern' ? 's-stale' : item.tone === 'ok' ? 's-current' : 's-expiring'}"
                    >${TONE[item.tone]}</span
                  >
                  <ul class="small">
                    ${item.detail.map((d) => html`<li>${d}</li>`)}
                  </ul>
                </li>`,
            )}
          </ul>
        </fieldset>
        ${
          !open
            ? decided
              ? ''
              : html`<p class="notice" id="decision-not-yours">
                  Only the vendor's own manager or a compliance lead may accept or reject this document.
                </p>`
            : html`<label for="note"
                  >Note for the file <span class="hint">(optional; kept in the audit trail)</span></label
                >
                <textarea id="note" name="note" maxlength="2000"></textarea>
                <label for="reason"
                  >Reason for rejecting <span class="hint">(sent to the vendor)</span></label
                >
                <textarea
                  id="reason"
                  name="reason"
                  maxlength="2000"
                  aria-describedby="reason-error"
                ></textarea>
                <p class="small">
                  Common reasons:
                  ${QUICK_REASONS.map(
                    (r) =>
                      html`<button type="button" class="secondary quick-reason" data-reason="${r}">
                        ${r}
                      </button> `,
                  )}
                </p>
                <p id="reason-error" class="small s-stale" hidden>
                  Give the vendor a reason when you reject.
                </p>
                <p>
                  <button type="submit" name="decision" value="accept">Accept</button>
                  <button type="submit" name="decision" value="reject" class="danger">Reject</button>
                </p>`
        }
      </form>`,
  );
}
