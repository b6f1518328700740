// The findings register (spec section 8): one page of findings with filters (state, severity, vendor, owner,
// overdue), and one finding with its meaning, its history and the actions the signed-in person may take.
import { FINDING_STATUSES } from '../core/vendor-state.js';
import { SEVERITIES } from '../core/policy.js';
import { addDays } from '../core/dates.js';
import type { FindingChange, FindingView, RegisterFilter } from '../core/findings.js';
import { FINDING_STATUS_WORDS } from '../core/words.js';
import { html, type Html } from './html.js';
import { layout, severityBadge, statusBadge } from './layout.js';

export function registerHref(filter: RegisterFilter, cursor?: string | null, pageSize?: number): string {
  const params = new URLSearchParams();
  if (filter.state && filter.state !== 'active') params.set('state', filter.state);
  if (filter.severity) params.set('severity', filter.severity);
  if (filter.vendorId) params.set('vendor', filter.vendorId);
  if (filter.owner) params.set('owner', filter.owner);
  if (filter.overdue) params.set('overdue', '1');
  if (pageSize) params.set('size', String(pageSize));
  if (cursor) params.set('after', cursor);
  const query = params.toString();
  return query ? `/findings?${query}` : '/findings';
}

export function findingHref(vendorId: string, findingId: string): string {
  return `/vendors/${encodeURIComponent(vendorId)}/findings/${encodeURIComponent(findingId)}`;
}

const option = (value: string, label: string, selected: string | undefined) =>
  html`<option value="${value}" ${selected === value ? html`selected` : ''}>${label}</option>`;

export interface RegisterPageModel {
  asOf: string;
  rows: FindingView[];
  filter: RegisterFilter;
  cursor?: string;
  nextCursor: string | null;
  pageSize: number;
}

function stateCell(r: FindingView): Html {
  return html`${statusBadge(r.status)}${r.overdue ? html` <span class="badge s-overdue">overdue ${r.daysOverdue} d</span>` : ''}${r.reopened && r.status === 'open' ? html` <span class="small">(risk acceptance expired)</span>` : ''}`;
}

export function registerPage(staff: { name: string }, m: RegisterPageModel): Html {
  const f = m.filter;
  return layout(
    { title: 'Findings register', staff },
    html`<h1>Findings register as of ${m.asOf}</h1>
      <p class="small" id="register-downloads">
        Download the whole register (<a href="/findings?format=csv" download>CSV</a>,
        <a href="/findings?format=json" download>JSON</a>).
      </p>
      <form
        method="get"
        action="/findings"
        class="card filters"
        role="search"
        aria-label="Filter the register"
      >
        <div class="row">
          <div>
            <label for="state">State</label>
            <select id="state" name="state">
              ${option('', 'every state but closed', f.state === 'active' ? '' : (f.state ?? ''))}
              ${FINDING_STATUSES.map((s) => option(s, s, f.state))}
            </select>
          </div>
          <div>
            <label for="severity">Severity</label>
            <select id="severity" name="severity">
              ${option('', 'any severity', f.severity ?? '')}
              ${SEVERITIES.map((s) => option(s, s, f.severity))}
            </select>
          </div>
          <div>
            <label for="vendor">Vendor id</label>
            <input type="text" id="vendor" name="vendor" value="${f.vendorId ?? ''}" maxlength="64" />
          </div>
          <div>
            <label for="owner">Owner (e-mail)</label>
            <input type="email" id="owner" name="owner" value="${f.owner ?? ''}" maxlength="254" />
          </div>
          <div>
            <label class="checks"
              ><input
                type="checkbox"
                id="overdue"
                name="overdue"
                value="1"
                ${f.overdue ? html`checked` : ''}
              />
              Overdue only</label
            >
          </div>
        </div>
        <p><button type="submit">Show</button> <a href="/findings">Clear</a></p>
      </form>
      <details class="card" open>
        <summary>What the states mean</summary>
        <dl class="facts">
          ${FINDING_STATUSES.map(
            (s) =>
              html`<dt>${statusBadge(s)}</dt>
                <dd>${FINDING_STATUS_WORDS[s]}</dd>`,
          )}
          <dt><span class="badge s-overdue">overdue</span></dt>
          <dd>Not closed or risk-accepted, and past its due date.</dd>
        </dl>
      </details>
      <table id="register" aria-label="Findings">
        <thead>
          <tr>
            <th scope="col">Vendor</th>
            <th scope="col">Finding</th>
            <th scope="col">Severity</th>
            <th scope="col">State</th>
            <th scope="col">Opened</th>
            <th scope="col">Due</th>
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          ${m.rows.map(
            (r) =>
              html`<tr>
                <td><a href="/vendors/${encodeURIComponent(r.vendorId)}">${r.vendorName}</a></td>
                <td>
                  <a href="${findingHref(r.vendorId, r.findingId)}">${r.code}</a>
                  <div class="small">${r.explanation}</div>
                </td>
                <td>${severityBadge(r.severity)}</td>
                <td>${stateCell(r)}</td>
                <td class="nowrap">${r.openedOn}</td>
                <td class="nowrap">${r.status === 'closed' ? '—' : r.dueDate}</td>
                <td>${r.owner ?? html`<span class="muted">—</span>`}</td>
              </tr>`,
          )}
          ${
            m.rows.length === 0
              ? html`<tr>
                  <td colspan="7" class="muted">No findings match.</td>
                </tr>`
              : ''
          }
        </tbody>
      </table>
      <nav aria-label="Pages" class="pages">
        ${m.cursor ? html`<a href="${registerHref(f, null, m.pageSize)}">First page</a>` : ''}
        ${m.nextCursor ? html`<a href="${registerHref(f, m.nextCursor, m.pageSize)}" rel="next">Next page</a>` : ''}
      </nav>`,
  );
}

/** What the signed-in person may do on this finding, or the role each action would need. */
export interface FindingPermissions {
  acknowledge: true | string;
  assign: true | string;
  acceptRisk: true | string;
}

export interface FindingPageModel {
  asOf: string;
  view: FindingView;
  history: FindingChange[];
  may: FindingPermissions;
  /** The latest expiry a risk acceptance may have today. */
  latestExpiry: string;
  notice?: string;
}

function refusedLine(what: string, needs: true | string): Html {
  return needs === true ? html`` : html`<li>${what}: needs the role ${needs}.</li>`;
}

export function findingPage(staff: { name: string }, m: FindingPageModel): Html {
  const v = m.view;
  const action = findingHref(v.vendorId, v.findingId);
  const live = v.status !== 'closed';
  const canAcknowledge = v.status === 'open' && m.may.acknowledge === true;
  const canAssign = live && v.status !== 'risk-accepted' && m.may.assign === true;
  const canAccept = live && v.status !== 'risk-accepted' && m.may.acceptRisk === true;
  return layout(
    { title: `${v.code}: ${v.vendorName}`, staff },
    html`<p class="small">
        <a href="/findings">Findings register</a> ›
        <a href="/vendors/${encodeURIComponent(v.vendorId)}">${v.vendorName}</a>
      </p>
      <h1>${v.code} <span class="muted small">${v.vendorName}</span></h1>
      ${m.notice ? html`<div class="notice ok" role="status">${m.notice}</div>` : ''}
      <p class="card" id="finding-explanation">${v.explanation}</p>
      <section class="card" aria-labelledby="facts-h">
        <h2 id="facts-h">Where it stands</h2>
        <dl class="facts">
          <dt>State</dt>
          <dd id="finding-state">${stateCell(v)}</dd>
          <dt></dt>
          <dd class="small">${v.statusWords}</dd>
          <dt>Severity</dt>
          <dd>${severityBadge(v.severity)}</dd>
          <dt>Opened</dt>
          <dd>${v.openedOn}</dd>
          <dt>Due</dt>
          <dd id="finding-due">${v.status === 'closed' ? '—' : v.dueDate}</dd>
          <dt>Owner</dt>
          <dd>${v.owner ?? '—'}</dd>
          ${
            v.riskAcceptance
              ? html`<dt>Risk acceptance</dt>
                  <dd id="risk-acceptance">
                    ${v.status === 'risk-accepted' ? 'until' : 'expired after'} ${v.riskAcceptance.expiresOn},
                    by ${v.riskAcceptance.by} on ${v.riskAcceptance.on}: ${v.riskAcceptance.reason}
                  </dd>`
              : ''
          }
          ${
            v.closedOn
              ? html`<dt>Closed</dt>
                  <dd>${v.closedOn}${v.closedReason ? html`: ${v.closedReason}` : ''}</dd>`
              : ''
          }
        </dl>
      </section>
      ${
        live
          ? html`<section aria-labelledby="act-h">
              <h2 id="act-h">Act on it</h2>
              ${
                !canAcknowledge && !canAssign && !canAccept
                  ? html`<p class="card muted" id="nothing-to-do">
                      ${
                        v.status === 'risk-accepted' && v.riskAcceptance
                          ? `While its risk is accepted there is nothing to do: it opens again on ${addDays(v.riskAcceptance.expiresOn, 1)} if it is still raised.`
                          : 'Nothing you may do on this finding now.'
                      }
                    </p>`
                  : ''
              }
              ${
                canAcknowledge
                  ? html`<form method="post" action="${action}" class="card stack" id="acknowledge-form">
                      <h3>Acknowledge</h3>
                      <input type="hidden" name="action" value="acknowledge" />
                      <label for="ack-note">Note <span class="hint">(kept in the audit trail)</span></label>
                      <textarea id="ack-note" name="note" maxlength="2000" required></textarea>
                      <p><button type="submit">Acknowledge</button></p>
                    </form>`
                  : ''
              }
              ${
                canAssign
                  ? html`<form method="post" action="${action}" class="card stack" id="assign-form">
                      <h3>Assign an owner and a due date</h3>
                      <input type="hidden" name="action" value="assign" />
                      <label for="owner"
                        >Owner <span class="hint">(who remediates it: an e-mail)</span></label
                      >
                      <input
                        type="email"
                        id="owner"
                        name="owner"
                        required
                        maxlength="254"
                        value="${v.owner ?? ''}"
                      />
                      <label for="dueDate">Due date</label>
                      <input
                        type="date"
                        id="dueDate"
                        name="dueDate"
                        required
                        min="${m.asOf}"
                        value="${v.dueDate >= m.asOf ? v.dueDate : m.asOf}"
                      />
                      <label for="assign-note"
                        >Note <span class="hint">(kept in the audit trail)</span></label
                      >
                      <textarea id="assign-note" name="note" maxlength="2000" required></textarea>
                      <p><button type="submit">Assign</button></p>
                    </form>`
                  : ''
              }
              ${
                canAccept
                  ? html`<form method="post" action="${action}" class="card stack" id="accept-form">
                      <h3>Accept the risk</h3>
                      <input type="hidden" name="action" value="accept-risk" />
                      <label for="reason"
                        >Why the risk is accepted <span class="hint">(kept in the audit trail)</span></label
                      >
                      <textarea id="reason" name="reason" maxlength="2000" required></textarea>
                      <label for="expiresOn"
                        >Accepted until
                        <span class="hint"
                          >(at most ${m.latestExpiry}; it opens again the day after)</span
                        ></label
                      >
                      <input
                        type="date"
                        id="expiresOn"
                        name="expiresOn"
                        required
                        min="${m.asOf}"
                        max="${m.latestExpiry}"
                      />
                      <p><button type="submit" class="danger">Accept the risk</button></p>
                    </form>`
                  : ''
              }
              ${
                m.may.acknowledge !== true || m.may.assign !== true || m.may.acceptRisk !== true
                  ? html`<ul class="small muted" id="not-allowed">
                      ${refusedLine('Acknowledge', m.may.acknowledge)}
                      ${refusedLine('Assign an owner', m.may.assign)}
                      ${refusedLine('Accept the risk', m.may.acceptRisk)}
                    </ul>`
                  : ''
              }
            </section>`
          : ''
      }
      <h2 id="history-h">History</h2>
      <table aria-labelledby="history-h" id="finding-history">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          ${m.history.map(
            (h) =>
              html`<tr>
                <td class="small nowrap">${h.at.replace('T', ' ').slice(0, 19)}</td>
                <td>${h.by}</td>
                <td>${h.what}</td>
                <td>${h.note ?? ''}</td>
              </tr>`,
          )}
        </tbody>
      </table>`,
  );
}
