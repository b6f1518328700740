// The local front's own markup: the clock bar shown on every page of the local stack.
import { html, type Html } from '../../functions/web/html.js';

export function clockBar(m: {
  now: Date;
  timeZone: string;
  mailboxUrl: string | undefined;
  /** Signed-in staff may move the clock (sign-out is in the staff pages' own header). */
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
    ${m.canJump ? '' : html`<a href="/signin">Staff sign-in</a>`}
  </div>`;
}
