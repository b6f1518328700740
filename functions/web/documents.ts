// What a vendor's and a subservice organisation's pages show of documents the same way: a document's kind with
// the period it covers, the coverage's basis, and the documents table's head.
import { html, type Html } from './html.js';
import { kindName } from '../core/review.js';
import type { SocReport, VendorDocument } from '../core/portfolio.js';

/** "SOC 2 Type II period end 2026-09-30", "Bridge letter 2026-10-01 to 2026-12-31". */
export function documentKindAndPeriod(document: VendorDocument): Html {
  return html`${kindName(document.kind)}
  ${'periodEnd' in document ? html`<span class="small muted">period end ${document.periodEnd}</span>` : html`<span class="small muted">${document.coversFrom} to ${document.coversTo}</span>`}`;
}

/** The report a coverage rests on, or "none". */
export function basisText(basis: Pick<SocReport, 'kind' | 'periodEnd'> | null): Html | string {
  return basis ? html`${kindName(basis.kind)}, period end ${basis.periodEnd}` : 'none';
}

export const DOCUMENTS_TABLE_HEAD = html`<thead>
  <tr>
    <th scope="col">Document</th>
    <th scope="col">Source</th>
    <th scope="col">Added</th>
    <th scope="col">Status</th>
  </tr>
</thead>`;
