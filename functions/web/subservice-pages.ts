// The people's side of subservice organisations (spec section 9): the list, with each one's coverage and how
// many vendors depend on it (its concentration), and one organisation's page: its coverage, its documents, the
// vendors whose reports carve it out or include it.
import { html, type Html } from './html.js';
import { basisText, documentKindAndPeriod, DOCUMENTS_TABLE_HEAD } from './documents.js';
import { layout, statusBadge } from './layout.js';
import type { Coverage } from '../core/assess.js';
import type { Reliance } from '../core/concentration.js';
import type { DocumentRecord } from '../core/vendor-state.js';

export interface OrganizationRow {
  id: string;
  name: string;
  status: string;
  lapseDate: string | null;
  dependents: number;
  inclusive: number;
}

export function subserviceListPage(
  staff: { name: string },
  m: { asOf: string; rows: OrganizationRow[] },
): Html {
  return layout(
    { title: 'Subservice organisations', staff },
    html`<h1>Subservice organisations <span class="muted small">as of ${m.asOf}</span></h1>
      <p class="small">
        The fourth parties your vendors' reports name. A vendor depends on one its report carves out: that
        organisation's own current report is needed. Sorted by how many vendors depend on it.
      </p>
      ${
        m.rows.length === 0
          ? html`<p class="card">No subservice organisation is on record.</p>`
          : html`<table id="organizations">
              <thead>
                <tr>
                  <th scope="col">Organisation</th>
                  <th scope="col">Coverage</th>
                  <th scope="col">Lapse date</th>
                  <th scope="col">Vendors depending on it</th>
                  <th scope="col">Included in</th>
                </tr>
              </thead>
              <tbody>
                ${m.rows.map(
                  (r) =>
                    html`<tr data-organization="${r.id}">
                      <td>
                        <a href="/subservices/${encodeURIComponent(r.id)}">${r.name}</a>
                        <span class="small muted">${r.id}</span>
                      </td>
                      <td>${statusBadge(r.status)}</td>
                      <td>${r.lapseDate ?? '—'}</td>
                      <td class="dependents">${r.dependents}</td>
                      <td>${r.inclusive}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`,
  );
}

export interface OrganizationPageModel {
  id: string;
  name: string;
  asOf: string;
  coverage: Coverage;
  documents: DocumentRecord[];
  reliances: Reliance[];
}

export function subservicePage(staff: { name: string }, m: OrganizationPageModel): Html {
  const carved = m.reliances.filter((r) => r.method === 'carve-out');
  const included = m.reliances.filter((r) => r.method === 'inclusive');
  const c = m.coverage;
  return layout(
    { title: m.name, staff },
    html`<p class="small"><a href="/subservices">Subservice organisations</a> › ${m.name}</p>
      <h1>${m.name} <span class="muted small">${m.id} · subservice organisation</span></h1>
      <div class="row">
        <section class="card" aria-labelledby="coverage-h">
          <h2 id="coverage-h">Coverage as of ${m.asOf}</h2>
          <dl class="facts">
            <dt>Status</dt>
            <dd id="organization-status">${statusBadge(c.status)}</dd>
            <dt>Basis</dt>
            <dd>${basisText(c.basis)}</dd>
            <dt>Lapse date</dt>
            <dd>${c.lapseDate ?? '—'}</dd>
            <dt>Bridged until</dt>
            <dd>${c.bridgedUntil ?? '—'}</dd>
          </dl>
          <p class="small muted">
            Assessed with the policy's default settings, on SOC 2 Type II reports only (a Type I does not
            count).
          </p>
        </section>
        <section class="card" aria-labelledby="concentration-h">
          <h2 id="concentration-h">
            Concentration: ${carved.length} vendor${carved.length === 1 ? '' : 's'} depend on it
          </h2>
          ${
            carved.length === 0
              ? html`<p class="muted">No vendor's current report carves it out.</p>`
              : html`<ul id="dependents">
                  ${carved.map(
                    (r) =>
                      html`<li>
                        <a href="/vendors/${encodeURIComponent(r.vendorId)}">${r.vendorName}</a>
                        <span class="small muted">${r.tier}</span>
                      </li>`,
                  )}
                </ul>`
          }
          ${
            included.length
              ? html`<p class="small">
                  Included in (covered by the vendor's own report):
                  ${included.map((r, i) => html`${i ? ', ' : ''}<a href="/vendors/${encodeURIComponent(r.vendorId)}">${r.vendorName}</a>`)}
                </p>`
              : ''
          }
        </section>
      </div>
      <h2 id="docs-h">Documents</h2>
      <table aria-labelledby="docs-h">
        ${DOCUMENTS_TABLE_HEAD}
        <tbody>
          ${m.documents.map(
            (d) =>
              html`<tr>
                <td>${documentKindAndPeriod(d.document)}</td>
                <td>
                  ${d.source}${d.via ? html` <span class="small">through <a href="/vendors/${encodeURIComponent(d.via.vendorId)}">${d.via.vendorId}</a></span>` : ''}
                </td>
                <td class="nowrap">${d.addedAt.slice(0, 10)}</td>
                <td>${statusBadge(d.status)}</td>
              </tr>`,
          )}
          ${
            m.documents.length === 0
              ? html`<tr>
                  <td colspan="4" class="muted">No documents.</td>
                </tr>`
              : ''
          }
        </tbody>
      </table>`,
  );
}
