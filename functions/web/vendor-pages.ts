// The vendor's pages: the upload form behind the link, and the one page every dead link gets.
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import type { DocumentStatus } from '../core/vendor-state.js';
import { VENDOR_DOCUMENT_STATUS } from '../core/words.js';
import { TRUST_CATEGORIES } from '../core/portfolio.js';
import { kindName } from '../core/review.js';

/** The same page for an unknown, expired, closed or mistyped link: it tells an attacker nothing. */
export function deadLinkPage(): Html {
  return layout(
    { title: 'This link does not work' },
    html`<h1>This upload link does not work</h1>
      <div class="card">
        <p>The link may be mistyped, it may have expired, or the request it belonged to may be complete.</p>
        <p>
          If you still need to send a document, reply to the e-mail that contained the link, or contact the
          vendor manager who asked for it: they can send you a new link.
        </p>
      </div>`,
  );
}

export interface UploadPageModel {
  vendorName: string;
  managerEmail: string;
  /** What is asked of the vendor itself, in one sentence ('' when the request is for organisations only). */
  asking: string;
  dueDate: string;
  /** Documents already sent under this request (`for`: the subservice organisation it was for). */
  sent: { kind: string; addedAt: string; status: string; reason?: string; for?: string }[];
  /**
   * Section 9: the subservice organisations the vendor's report carves out, whose own report or bridge letter it
   * may send here; `wanted`: we hold no current one (the request asks for it).
   */
  organizations?: { id: string; name: string; wanted: boolean }[];
  /** The request asks for those organisations' documents only. */
  organizationsOnly?: boolean;
}

const OPINIONS = [
  ['unqualified', 'Unqualified (clean)'],
  ['qualified', 'Qualified'],
  ['adverse', 'Adverse'],
  ['disclaimer', 'Disclaimer of opinion'],
] as const;

/** A document's status as the vendor reads it (never the bank's internal codes such as `pending-review`). */
function vendorStatus(status: string): Html {
  const words = VENDOR_DOCUMENT_STATUS[status as DocumentStatus] ?? status;
  return html`<span class="badge s-${status}">${words}</span>`;
}

function organizationsAsked(model: UploadPageModel): Html {
  const wanted = (model.organizations ?? []).filter((o) => o.wanted);
  if (wanted.length === 0) return html``;
  return html`<dt>Subservice organisations</dt>
    <dd id="organizations-asked">
      Your report carves out ${wanted.length === 1 ? 'a subservice organisation' : 'subservice organisations'}
      whose current report we do not hold:
      ${wanted.map((o, i) => html`${i ? ', ' : ''}<strong>${o.name}</strong>`)}. Please send
      ${wanted.length === 1 ? 'its' : 'each one’s'} current SOC 2 Type II report, or a bridge letter, choosing
      it under "Who is the document for?".
    </dd>`;
}

function forField(model: UploadPageModel): Html {
  const organizations = model.organizations ?? [];
  if (organizations.length === 0) return html``;
  return html`<label for="for">Who is the document for?</label>
    <select id="for" name="for">
      ${model.organizationsOnly ? '' : html`<option value="">${model.vendorName} (your own report)</option>`}
      ${organizations.map(
        (o) =>
          html`<option value="${o.id}">
            ${o.name} (subservice organisation${o.wanted ? ', asked for' : ''})
          </option>`,
      )}
    </select>
    <p class="hint small">
      For a subservice organisation, send its SOC 2 Type II report or a bridge letter (a Type I report does
      not count).
    </p>`;
}

export function uploadPage(model: UploadPageModel): Html {
  const sent = model.sent.length
    ? html`<h2>Already sent for this request</h2>
        <table>
          <thead>
            <tr>
              <th>Document</th>
              <th>Sent</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            ${model.sent.map(
              (d) =>
                html`<tr>
                  <td>${kindName(d.kind)}${d.for ? html` <span class="small">for ${d.for}</span>` : ''}</td>
                  <td>${d.addedAt.slice(0, 10)}</td>
                  <td>
                    ${vendorStatus(d.status)}${d.status === 'rejected' && d.reason ? html`<div class="small">Reason: ${d.reason}</div>` : ''}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`
    : '';
  return layout(
    { title: `Upload for ${model.vendorName}`, scripts: ['/assets/upload.js'] },
    html`<h1>Send your SOC 2 report: ${model.vendorName}</h1>
      <div class="card">
        <dl class="facts">
          <dt>Who is asking</dt>
          <dd>
            The third-party risk team of your customer; your vendor manager is
            <a href="mailto:${model.managerEmail}">${model.managerEmail}</a>
          </dd>
          ${
            model.asking
              ? html`<dt>What</dt>
                  <dd>${model.asking}</dd>`
              : ''
          }
          ${organizationsAsked(model)}
          <dt>By</dt>
          <dd><strong>${model.dueDate}</strong></dd>
        </dl>
      </div>
      ${sent}
      <noscript
        ><p class="notice warn">
          This page needs JavaScript: the file goes straight from your browser to secure storage. Please
          enable JavaScript for this page, or reply to the e-mail to arrange another way.
        </p></noscript
      >
      <div id="upload-status" class="notice" role="status" aria-live="polite" tabindex="-1" hidden></div>
      <form id="upload-form" class="stack card" novalidate>
        ${forField(model)}
        <label for="kind">What are you sending?</label>
        <select id="kind" name="kind">
          <option value="soc2-type2">SOC 2 Type II report</option>
          <option value="soc2-type1">SOC 2 Type I report</option>
          <option value="bridge-letter">Bridge letter</option>
        </select>

        <div id="report-fields">
          <div class="row">
            <div id="period-start-field">
              <label for="periodStart">Period start</label>
              <input type="date" id="periodStart" name="periodStart" />
            </div>
            <div>
              <label for="periodEnd">Period end <span class="hint">(as-of date for a Type I)</span></label>
              <input type="date" id="periodEnd" name="periodEnd" />
            </div>
            <div>
              <label for="issued"
                >Report date <span class="hint">(date of the auditor's opinion)</span></label
              >
              <input type="date" id="issued" name="issued" />
            </div>
          </div>
          <label for="opinion">Auditor's opinion</label>
          <select id="opinion" name="opinion">
            ${OPINIONS.map(([value, label]) => html`<option value="${value}">${label}</option>`)}
          </select>
          <label for="auditor">Audit firm</label>
          <input type="text" id="auditor" name="auditor" autocomplete="organization" maxlength="200" />
          <fieldset class="checks">
            <legend>Trust Services Categories in scope</legend>
            ${TRUST_CATEGORIES.map(
              (c) =>
                html`<label
                  ><input
                    type="checkbox"
                    name="categories"
                    value="${c}"
                    ${c === 'security' ? html`checked` : ''}
                  />
                  ${c}</label
                >`,
            )}
          </fieldset>
          <label for="regions"
            >Regions in scope
            <span class="hint"
              >(comma-separated, e.g. us, eu; leave blank if the report does not say)</span
            ></label
          >
          <input type="text" id="regions" name="regions" maxlength="300" />
          <fieldset>
            <legend>Exceptions noted by the auditor</legend>
            <p class="hint small">
              One entry per exception, with your management response. Leave empty if there were none.
            </p>
            <div id="exceptions"></div>
            <button type="button" class="secondary" id="add-exception">Add an exception</button>
          </fieldset>
        </div>

        <div id="letter-fields" hidden>
          <div class="row">
            <div>
              <label for="coversFrom">Covers from</label
              ><input type="date" id="coversFrom" name="coversFrom" />
            </div>
            <div>
              <label for="coversTo">Covers through</label><input type="date" id="coversTo" name="coversTo" />
            </div>
            <div>
              <label for="letterIssued">Letter date</label
              ><input type="date" id="letterIssued" name="letterIssued" />
            </div>
          </div>
        </div>

        <label for="file">The document (PDF, at most 50 MB)</label>
        <input type="file" id="file" name="file" accept="application/pdf,.pdf" required />
        <p><button type="submit">Upload</button></p>
      </form>
      <template id="exception-template">
        <fieldset class="exception">
          <legend>Exception</legend>
          <label>Control <input type="text" data-field="control" maxlength="100" /></label>
          <label
            >What the auditor found <textarea data-field="description" maxlength="2000"></textarea>
          </label>
          <label
            >Management response <textarea data-field="managementResponse" maxlength="2000"></textarea>
          </label>
        </fieldset>
      </template>`,
  );
}
