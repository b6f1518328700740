// The CUEC owner's page behind the link e-mailed to them (spec section 9): the control, the vendor whose report
// relies on it, and the three answers. The owner needs no Bridgekeeper account: the link is the credential.
import { html, type Html } from './html.js';
import { layout } from './layout.js';
import { CUEC_STATUSES } from '../core/portfolio.js';
import { kindName } from '../core/review.js';
import { MAX_CUEC_NOTE } from '../core/commands/people.js';

const ANSWERS: Record<(typeof CUEC_STATUSES)[number], string> = {
  'in-place': 'In place: we run this control',
  'not-in-place': 'Not in place: we do not run it (yet)',
  'not-applicable': 'Not applicable to how we use this service',
};

export interface CuecPageModel {
  vendorName: string;
  documentKind: string;
  periodEnd: string | null;
  cuecId: string;
  cuecText: string;
  owner: string;
  problems?: string[];
}

export function cuecConfirmPage(m: CuecPageModel): Html {
  return layout(
    { title: `Confirm a control for ${m.vendorName}` },
    html`<h1>Please confirm a control: ${m.cuecId}</h1>
      <div class="card">
        <p>
          The ${kindName(m.documentKind)} of
          <strong>${m.vendorName}</strong>${m.periodEnd ? ` (period ending ${m.periodEnd})` : ''} relies on
          this control at our bank. You (${m.owner}) are recorded as its owner.
        </p>
        <blockquote id="cuec-text">${m.cuecText}</blockquote>
      </div>
      ${
        m.problems?.length
          ? html`<div class="notice bad" role="alert">
              <ul class="problems">
                ${m.problems.map((p) => html`<li>${p}</li>`)}
              </ul>
            </div>`
          : ''
      }
      <form class="stack card" method="post">
        <fieldset>
          <legend>Is it in place?</legend>
          ${CUEC_STATUSES.map(
            (s) =>
              html`<label><input type="radio" name="status" value="${s}" required /> ${ANSWERS[s]}</label>`,
          )}
        </fieldset>
        <label for="note">Note <span class="hint">(optional; kept in the audit trail)</span></label>
        <textarea id="note" name="note" maxlength="${MAX_CUEC_NOTE}"></textarea>
        <p><button type="submit">Send my answer</button></p>
      </form>`,
  );
}

export function cuecThanksPage(m: { vendorName: string; cuecId: string; status: string }): Html {
  return layout(
    { title: 'Thank you' },
    html`<h1>Thank you</h1>
      <div class="card" role="status">
        <p>
          Your answer for ${m.cuecId} (${m.vendorName}) was recorded: ${m.status}. This link is now used up.
        </p>
      </div>`,
  );
}

export function deadCuecLinkPage(): Html {
  return layout(
    { title: 'This link does not work' },
    html`<h1>This link does not work</h1>
      <div class="card">
        <p>
          It may be mistyped or expired, or it was already answered. Ask the vendor manager who sent it for a
          new one.
        </p>
      </div>`,
  );
}
