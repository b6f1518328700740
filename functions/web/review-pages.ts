// The vendor manager's pages: the review queue and the review of one uploaded document.
import { html, type Html } from './html.js';
import { layout, severityBadge, statusBadge } from './layout.js';
import { decisionOf, type DocumentDecision } from '../core/decision.js';
import { FINDING_WORDS } from '../core/words.js';
import { kindName, type AcceptancePreview, type ChecklistItem } from '../core/review.js';
import type { CuecConfirmation, DocumentRecord } from '../core/vendor-state.js';
import { isSocReport } from '../core/portfolio.js';
import type { Finding, SubserviceStanding } from '../core/assess.js';
import type { FieldComparison } from '../core/intake/compare.js';
import type { ReviewFormRows } from '../core/review-entries.js';
import {
  comparisonSection,
  cuecOwnersSection,
  cuecSection,
  extractionNotice,
  subserviceSection,
} from './review-sections.js';

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
    ${
      d.cuecs?.length
        ? html`<dt>CUECs</dt>
            <dd>${d.cuecs.length} (${d.cuecs.filter((c) => !c.owner).length} without an owner)</dd>`
        : ''
    }
    ${
      d.subservices?.length
        ? html`<dt>Subservice organisations</dt>
            <dd>
              ${d.subservices.map(
                (r, i) =>
                  html`${i ? ', ' : ''}<a href="/subservices/${encodeURIComponent(r.id)}">${r.id}</a>
                    (${r.method})`,
              )}
            </dd>`
        : ''
    }
  </dl>`;
}

function findingList(findings: Finding[], empty: string): Html {
  return findings.length === 0
    ? html`<span class="muted">${empty}</span>`
    : html`<ul>
        ${findings.map(
          (f) =>
            html`<li>
              ${f.code} ${severityBadge(f.severity)} <span class="small">${FINDING_WORDS[f.code]}</span>
            </li>`,
        )}
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
  /** Whether the signed-in person may ask CUEC owners to confirm (core/roles.ts 'record-cuec'). */
  mayRecordCuecs?: boolean;
  /** Problems with the last submission, if any. */
  problems?: string[];
  /** The vendor's entries beside what intake assist read from the report (empty: nothing to compare). */
  comparison?: FieldComparison[];
  /** The form's CUEC and subservice rows and field choices (as pre-filled, or as last sent). */
  rows?: ReviewFormRows;
  /** Whether the CUEC and subservice inputs are shown (a SOC 2 report of the vendor's own). */
  section9?: boolean;
  /** The subservice organisations on record, for the picker. */
  organizations?: { id: string; name: string }[];
  /** The document is this subservice organisation's, sent through the vendor. */
  organization?: { id: string; name: string; standing?: SubserviceStanding };
  /** The CUEC owners' confirmations of this document (once accepted). */
  confirmations?: CuecConfirmation[];
  /** The preview reflects the entries as last sent (the Preview button), not the document as uploaded. */
  previewed?: boolean;
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

/** The next reminder in words: a date already passed means it goes out at the lifecycle's next run. */
function reminderLine(reminder: string | null, asOf: string): string {
  if (reminder === null) return 'none';
  return reminder <= asOf ? `at once (its date, ${reminder}, has passed)` : reminder;
}

function decisionCard(d: DocumentDecision): Html {
  return html`<section class="card" aria-labelledby="decision-h" id="decision">
    <h2 id="decision-h">The decision</h2>
    <dl class="facts">
      <dt>Decision</dt>
      <dd>${statusBadge(d.decision)}</dd>
      <dt>By</dt>
      <dd>${d.by}</dd>
      <dt>On</dt>
      <dd>${d.on}</dd>
      ${
        d.decision === 'accepted'
          ? html`<dt>Confirmed</dt>
              <dd>
                ${
                  d.confirmed.length
                    ? html`<ul class="small">
                        ${d.confirmed.map((label) => html`<li>${label} <strong>Yes.</strong></li>`)}
                      </ul>`
                    : html`<span class="muted">accepted without the review checklist (imported)</span>`
                }
              </dd>`
          : ''
      }
      ${
        d.note
          ? html`<dt>Note</dt>
              <dd>${d.note}</dd>`
          : ''
      }
      ${
        d.reason
          ? html`<dt>${d.decision === 'rejected' ? 'Reason given to the vendor' : 'Why'}</dt>
              <dd>${d.reason}</dd>`
          : ''
      }
    </dl>
  </section>`;
}

export function reviewPage(staff: { name: string }, m: ReviewPageModel): Html {
  const decided = m.record.status !== 'pending-review';
  // A decided document shows its decision, not a preview of one (core/decision.ts).
  const decision = decisionOf(m.record, m.checklist);
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
        m.organization
          ? html`<p class="notice" id="for-organization">
              This document is for the subservice organisation
              <a href="/subservices/${encodeURIComponent(m.organization.id)}">${m.organization.name}</a>
              (${m.organization.id}), carved out of ${m.vendorName}'s report and sent through its link.
              Accepted, it becomes that organisation's, shared by every vendor that relies on it.
            </p>`
          : ''
      }
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
        decision
          ? html`<div class="notice ${decision.decision === 'accepted' ? 'ok' : 'bad'}" role="status">
              This document was ${statusBadge(decision.decision)} on ${decision.on} by ${decision.by}.
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
        ${
          decision
            ? decisionCard(decision)
            : html`<section class="card" aria-labelledby="preview-h">
                <h2 id="preview-h">If you accept it (as of ${m.asOf})</h2>
                ${
                  m.previewed
                    ? html`<p class="small muted" id="preview-note">
                        With the CUECs, subservice organisations and choices entered below.
                      </p>`
                    : ''
                }
                <dl class="facts">
                  <dt>Status</dt>
                  <dd>${statusBadge(before.status)} → ${statusBadge(after.status)}</dd>
                  <dt>Lapse date</dt>
                  <dd>${before.lapseDate ?? 'none'} → <strong>${after.lapseDate ?? 'none'}</strong></dd>
                  <dt>Bridged until</dt>
                  <dd>${before.bridgedUntil ?? 'none'} → ${after.bridgedUntil ?? 'none'}</dd>
                  <dt>Next reminder</dt>
                  <dd>${reminderLine(m.preview.nextReminder, m.asOf)}</dd>
                  <dt>Findings raised</dt>
                  <dd>${findingList(m.preview.raised, 'none')}</dd>
                  <dt>Findings cleared</dt>
                  <dd>${findingList(m.preview.cleared, 'none')}</dd>
                  <dt>All findings after</dt>
                  <dd>${findingList(after.findings, 'none')}</dd>
                </dl>
              </section>`
        }
      </div>
      ${extractionNotice(m.record.extraction, m.record.file !== undefined && !decided)}
      <form
        id="decision-form"
        class="stack card"
        method="post"
        action="${base}"
        ${decided ? html`hidden` : ''}
      >
        ${m.rows && !decided ? comparisonSection(m.comparison ?? [], m.rows, !open) : ''}
        ${m.rows && m.section9 && open ? cuecSection(m.rows, false) : ''}
        ${m.rows && m.section9 && open ? subserviceSection(m.rows, m.organizations ?? [], false) : ''}
        ${
          m.rows && m.section9 && open
            ? html`<p>
                <button type="submit" name="decision" value="preview" class="secondary">
                  Preview the findings with these entries
                </button>
              </p>`
            : ''
        }
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
      </form>
      ${
        decided && m.record.status === 'accepted' && isSocReport(m.record.document)
          ? cuecOwnersSection(
              base,
              m.record.document.cuecs ?? [],
              m.confirmations ?? [],
              m.mayRecordCuecs ?? false,
            )
          : ''
      }`,
  );
}
