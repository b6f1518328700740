// The local mailbox's page on the local front (GET /_local/mailbox): every message the stack sent, newest first,
// with the time it went out on the simulated calendar. Messages are shown as their plain-text part, every link
// opening in a new tab: the vendor's upload page refuses to be framed (frame-ancestors 'none'), and keeps doing so.
import { html, raw, escapeHtml, type Html } from '../../functions/web/html.js';
import { layout } from '../../functions/web/layout.js';
import type { StoredMail } from '../ses.js';

const URL_PATTERN = /https?:\/\/[^\s<>"']+/g;

/** Plain text with its links made clickable (new tab, no opener, no referrer); everything else escaped. */
export function linkedText(text: string): Html {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(/[.,;:)]+$/, '');
    const start = match.index;
    out += escapeHtml(text.slice(last, start));
    out += `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return raw(out + escapeHtml(text.slice(last)));
}

function when(mail: StoredMail, timeZone: string): string {
  const instant = mail.sentAt ? new Date(mail.sentAt) : new Date(mail.at * 1000);
  const text = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
    .format(instant)
    .replace(',', '');
  return mail.sentAt ? text : `${text} (real time)`;
}

export function mailboxPage(messages: readonly StoredMail[], timeZone: string): Html {
  const newest = [...messages].reverse();
  return layout(
    { title: 'Mailbox (local)' },
    html`<h1>Mailbox (local)</h1>
      <p class="small muted">
        Every e-mail the local stack sent, newest first, with the time it went out on the local clock
        (${timeZone}). Links open in a new tab.
      </p>
      ${newest.length === 0 ? html`<p class="card">No e-mail yet.</p>` : ''}
      ${newest.map(
        (m) =>
          html`<article class="card email" aria-labelledby="mail-${m.messageId}">
            <h2 id="mail-${m.messageId}">${m.subject}</h2>
            <dl class="facts small">
              <dt>To</dt>
              <dd>${m.destination.to.join(', ')}</dd>
              <dt>Sent</dt>
              <dd class="sent-at">${when(m, timeZone)}</dd>
            </dl>
            <pre class="data mail-text">${linkedText(m.body.text ?? '')}</pre>
          </article>`,
      )}`,
  );
}
