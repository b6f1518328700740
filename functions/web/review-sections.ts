// The review page's sections for intake assist and spec section 9: the vendor's entries beside what the report
// says (each disagreement flagged, the manager choosing which to accept), the report's CUECs with their owners
// and statuses, its subservice organisations with their method, and, once accepted, the CUEC owners' answers.
// Everything read from the report, or typed by the vendor, is escaped by the html tag like any other value.
import { escapeHtml, html, raw, type Html } from './html.js';
import { statusBadge } from './layout.js';
import type { FieldComparison } from '../core/intake/compare.js';
import type { StoredExtraction } from '../core/intake/stored.js';
import { CUEC_STATUSES, SUBSERVICE_METHODS, type Cuec } from '../core/portfolio.js';
import { REVIEW_LIMITS, type ReviewFormRows } from '../core/review-entries.js';
import type { CuecConfirmation } from '../core/vendor-state.js';

const AGREEMENT: Record<FieldComparison['agreement'], string> = {
  agrees: 'agrees',
  differs: 'differs',
  'not-in-report': 'not found in the report',
  'not-entered': 'not entered by the vendor',
};

function pages(row: FieldComparison): string {
  if (row.page === null) return '';
  const list = row.pages && row.pages.length > 1 ? [...new Set(row.pages)] : [row.page];
  return `p. ${list.join(', ')}`;
}

/** What intake assist says about the file, in one notice (a scan, a failure, a partial read, not yet read). */
export function extractionNotice(extraction: StoredExtraction | undefined, hasFile: boolean): Html {
  if (!hasFile) return html``;
  if (!extraction)
    return html`<p class="notice" id="extraction-status">
      The report has not been read yet (intake assist runs after the upload; reload in a moment). Until then,
      check every entry against the PDF.
    </p>`;
  if ('failed' in extraction)
    return html`<p class="notice warn" id="extraction-status">
      The report could not be read (${extraction.failed}): enter and check every field by hand against the
      PDF.
    </p>`;
  if (!extraction.textLayer)
    return html`<p class="notice warn" id="extraction-status">
      This PDF has no text layer (${extraction.pageCount} page(s), a scan?): nothing could be read from it.
      Check every entry by hand against the PDF.
    </p>`;
  return html`<p class="notice" id="extraction-status">
    Read from the PDF (${extraction.pagesRead} of ${extraction.pageCount}
    page(s)${extraction.truncated ? ', stopped at the reading limits' : ''}${extraction.trimmed ? ', long lists cut' : ''}).
    Nothing is taken from it unless you choose it below.
  </p>`;
}

/** The vendor's entries beside the report's values, a flag on each disagreement, and the manager's choice. */
export function comparisonSection(
  rows: readonly FieldComparison[],
  rowsState: ReviewFormRows,
  decided: boolean,
): Html {
  if (rows.length === 0) return html``;
  const differing = rows.filter((r) => r.agreement === 'differs').length;
  return html`<section class="card" aria-labelledby="compare-h">
    <h2 id="compare-h">The vendor's entries and the report</h2>
    <p class="small">
      ${
        differing === 0
          ? 'The report agrees with every entry it states.'
          : `${differing} field${differing === 1 ? '' : 's'} disagree${differing === 1 ? 's' : ''}: choose which value to accept for each.`
      }
    </p>
    <table id="comparison">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Vendor's entry</th>
          <th scope="col">The report says</th>
          <th scope="col">Check</th>
          <th scope="col">Accept</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map((row) => {
          const choice = rowsState.takes[row.field];
          const name = `take.${row.field}`;
          return html`<tr data-field="${row.field}" data-agreement="${row.agreement}">
            <td>${row.label}</td>
            <td class="entry">${row.entry ?? html`<span class="muted">(not entered)</span>`}</td>
            <td class="report">
              ${row.report ?? html`<span class="muted">(not found)</span>`}
              ${row.page !== null ? html`<span class="small muted">${pages(row)}</span>` : ''}
            </td>
            <td>
              <span
                class="badge ${row.agreement === 'differs' ? 's-stale' : row.agreement === 'agrees' ? 's-current' : 's-expiring'}"
                >${AGREEMENT[row.agreement]}</span
              >
            </td>
            <td>
              ${
                row.takeable && !decided
                  ? html`<fieldset class="take">
                      <legend class="sr-only">${row.label}: which value to accept</legend>
                      <label
                        ><input
                          type="radio"
                          name="${name}"
                          value="entry"
                          ${choice === 'entry' ? html`checked` : ''}
                        />
                        the vendor's</label
                      >
                      <label
                        ><input
                          type="radio"
                          name="${name}"
                          value="report"
                          ${choice === 'report' ? html`checked` : ''}
                        />
                        the report's</label
                      >
                    </fieldset>`
                  : row.field === 'kind' && row.agreement === 'differs'
                    ? html`<span class="small"
                        >another kind of document: reject it and ask for the right one</span
                      >`
                    : ''
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}

/** A textarea's content is its value to the character: built without a formatter touching its whitespace. */
function textarea(label: string, name: string, value: string, disabled: boolean): Html {
  return raw(
    `<textarea name="${name}" aria-label="${escapeHtml(label)}" maxlength="${REVIEW_LIMITS.cuecText}"${disabled ? ' disabled' : ''}>${escapeHtml(value)}</textarea>`,
  );
}

/** One text or e-mail field of the review's tables (each row's fields share their names; the label tells rows apart). */
function textField(
  type: 'text' | 'email',
  name: string,
  label: string,
  value: string,
  maxLength: number,
  disabled: boolean,
): Html {
  return html`<input
    type="${type}"
    name="${name}"
    aria-label="${label}"
    value="${value}"
    maxlength="${maxLength}"
    ${disabled ? html`disabled` : ''}
  />`;
}

function statusOptions(selected: string): Html[] {
  return [
    html`<option value="" ${selected === '' ? html`selected` : ''}>(not known)</option>`,
    ...CUEC_STATUSES.map(
      (s) => html`<option value="${s}" ${selected === s ? html`selected` : ''}>${s}</option>`,
    ),
  ];
}

/** The report's CUECs: each with the owner at the bank who runs it and its status. */
export function cuecSection(rows: ReviewFormRows, decided: boolean): Html {
  return html`<fieldset class="cuecs" id="cuecs">
    <legend>Complementary user-entity controls (CUECs) of this report</legend>
    <p class="hint small">
      One row per CUEC the report lists (at most ${REVIEW_LIMITS.cuecs}): the report's label, its text, who at
      the bank runs it (an e-mail address) and whether it is in place. A row left blank is ignored.
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">Control</th>
          <th scope="col">Owner at the bank</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        ${rows.cuecs.map(
          (c, i) =>
            html`<tr class="cuec-row">
              <td>
                ${textField('text', 'cuec-id', `CUEC ${i + 1} label`, c.id, REVIEW_LIMITS.cuecId, decided)}
                ${c.page !== undefined ? html`<span class="small muted">from the report, p. ${c.page}</span>` : ''}
              </td>
              <td>${textarea(`CUEC ${i + 1} text`, 'cuec-text', c.text, decided)}</td>
              <td>${textField('email', 'cuec-owner', `CUEC ${i + 1} owner`, c.owner, 254, decided)}</td>
              <td>
                <select name="cuec-status" aria-label="CUEC ${i + 1} status" ${decided ? html`disabled` : ''}>
                  ${statusOptions(c.status)}
                </select>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </fieldset>`;
}

/** The report's subservice organisations: an existing organisation or a new one, and the report's method. */
export function subserviceSection(
  rows: ReviewFormRows,
  organizations: readonly { id: string; name: string }[],
  decided: boolean,
): Html {
  return html`<fieldset class="subservices" id="subservices">
    <legend>Subservice organisations this report names</legend>
    <p class="hint small">
      Pick each from the organisations on record or create a new one (its id: a-z, 0-9 and -), with the method
      the report uses: carve-out (not covered by this report: the organisation's own report is needed) or
      inclusive. "Not a subservice organisation" leaves the row out.
    </p>
    <table>
      <thead>
        <tr>
          <th scope="col">In the report</th>
          <th scope="col">Organisation</th>
          <th scope="col">New organisation (id, name)</th>
          <th scope="col">Method</th>
        </tr>
      </thead>
      <tbody>
        ${rows.subservices.map(
          (r, i) =>
            html`<tr class="subservice-row">
              <td>
                ${
                  r.printed !== undefined
                    ? html`${r.printed} <span class="small muted">p. ${r.page ?? '?'}</span>
                        <input type="hidden" name="sub-printed" value="${r.printed}" />`
                    : html`<span class="muted">(added by you)</span
                        ><input type="hidden" name="sub-printed" value="" />`
                }
              </td>
              <td>
                <select
                  name="sub-org"
                  aria-label="Subservice organisation ${i + 1}"
                  ${decided ? html`disabled` : ''}
                >
                  <option value="" ${r.pick === '' ? html`selected` : ''}>
                    (not a subservice organisation)
                  </option>
                  ${organizations.map(
                    (o) =>
                      html`<option value="${o.id}" ${r.pick === o.id ? html`selected` : ''}>
                        ${o.name} (${o.id})
                      </option>`,
                  )}
                  <option value="new" ${r.pick === 'new' ? html`selected` : ''}>a new organisation…</option>
                </select>
              </td>
              <td>
                ${textField('text', 'sub-new-id', `New organisation ${i + 1} id`, r.newId, 64, decided)}
                ${textField('text', 'sub-new-name', `New organisation ${i + 1} name`, r.newName, REVIEW_LIMITS.organizationName, decided)}
              </td>
              <td>
                <select name="sub-method" aria-label="Method ${i + 1}" ${decided ? html`disabled` : ''}>
                  <option value="" ${r.method === '' ? html`selected` : ''}>(choose)</option>
                  ${SUBSERVICE_METHODS.map(
                    (m) => html`<option value="${m}" ${r.method === m ? html`selected` : ''}>${m}</option>`,
                  )}
                </select>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </fieldset>`;
}

/** Once accepted: each CUEC, its owner, and asking that owner to confirm its status (the answer is audited). */
export function cuecOwnersSection(
  base: string,
  cuecs: readonly Cuec[],
  confirmations: readonly CuecConfirmation[],
  mayAsk: boolean,
): Html {
  if (cuecs.length === 0) return html``;
  return html`<section class="card" aria-labelledby="owners-h">
    <h2 id="owners-h">CUEC owners</h2>
    <table id="cuec-owners">
      <thead>
        <tr>
          <th scope="col">CUEC</th>
          <th scope="col">Owner</th>
          <th scope="col">Status</th>
          <th scope="col">Confirmation</th>
        </tr>
      </thead>
      <tbody>
        ${cuecs.map((c) => {
          const asked = confirmations.filter((k) => k.cuecId === c.id);
          const last = asked.at(-1);
          return html`<tr>
            <td><strong>${c.id}</strong> <span class="small">${c.text}</span></td>
            <td>${c.owner ?? html`<span class="muted">(none: cuec-unowned)</span>`}</td>
            <td>${c.status ? statusBadge(c.status) : html`<span class="muted">(not known)</span>`}</td>
            <td>
              ${
                last
                  ? last.answeredAt
                    ? html`<span class="small"
                        >${last.owner} answered ${last.status} on
                        ${last.answeredAt.slice(0, 10)}${last.note ? html`: ${last.note}` : ''}</span
                      >`
                    : html`<span class="small">asked ${last.owner} on ${last.requestedAt.slice(0, 10)}</span>`
                  : ''
              }
              ${
                c.owner && mayAsk
                  ? html`<form class="inline-form" method="post" action="${base}/cuecs">
                      <input type="hidden" name="cuec" value="${c.id}" />
                      <button type="submit" class="secondary">
                        ${last ? 'Ask again' : 'Ask the owner to confirm'}
                      </button>
                    </form>`
                  : ''
              }
            </td>
          </tr>`;
        })}
      </tbody>
    </table>
  </section>`;
}
