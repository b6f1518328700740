// The local front's own pages: staff sign-in and the clock bar shown on every page of the local stack.
import { html, type Html } from '../../functions/web/html.js';
import { layout } from '../../functions/web/layout.js';
import type { StaffMember } from '../config/index.js';

export function signInPage(staff: StaffMember[], next: string, error?: string): Html {
  return layout(
    { title: 'Sign in' },
    html`<h1>Sign in (local)</h1>
      ${error ? html`<div class="notice bad" role="alert">${error}</div>` : ''}
      <form class="stack card" method="post" action="/signin">
        <input type="hidden" name="next" value="${next}" />
        <label for="email">Who are you?</label>
        <select id="email" name="email">
          ${staff.map((s) => html`<option value="${s.email}">${s.name} (${s.role}, ${s.email})</option>`)}
        </select>
        <label for="code"
          >Sign-in code <span class="hint">(printed by <code>npm start</code>)</span></label
        >
        <input type="password" id="code" name="code" autocomplete="one-time-code" required />
        <p><button type="submit">Sign in</button></p>
        <p class="small muted">
          On AWS, staff sign in through the bank's identity provider; this page exists only on the local
          stack, for the staff listed in local/config/staff.json.
        </p>
      </form>`,
  );
}

export function clockBar(m: {
  now: Date;
  timeZone: string;
  signedIn: string | undefined;
  mailboxUrl: string | undefined;
  canJump: boolean;
}): Html {
  const date = new Intl.DateTimeFormat('en-CA', {
    timeZone: m.timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(m.now)
    .replace(',', '');
  return html`<div class="localbar" role="region" aria-label="Local stack controls">
    <span
      >Local clock: <strong class="clock" id="local-clock">${date}</strong>
      <span class="small">(${m.timeZone})</span></span
    >
    ${
      m.canJump
        ? html`<form method="post" action="/_local/clock" class="inline-form">
              <button type="submit" name="next" value="1" class="secondary">
                Jump to the next due event
              </button>
            </form>
            <form method="post" action="/_local/clock" class="inline-form">
              <label for="jump-days">Jump</label>
              <input type="number" id="jump-days" name="days" min="1" max="400" value="7" />
              <span>days</span>
              <button type="submit" class="secondary">Go</button>
            </form>`
        : ''
    }
    ${m.mailboxUrl ? html`<a href="${m.mailboxUrl}">Mailbox</a>` : ''}
    ${
      m.signedIn
        ? html`<form method="post" action="/signout" class="inline-form">
            <button type="submit" class="secondary">Sign out</button>
          </form>`
        : html`<a href="/signin">Staff sign-in</a>`
    }
  </div>`;
}
