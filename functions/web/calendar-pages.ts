// The console's calendar page: make, replace or revoke one's own calendar feed link. The link is shown once,
// when it is made: only a fingerprint of its secret is kept.
import { html, type Html } from './html.js';
import { layout } from './layout.js';

export interface CalendarPageModel {
  email: string;
  /** When the live link was made, or null when there is none. */
  createdAt: string | null;
  revokedAt?: string;
  /** The link just made (shown this once). */
  newLink?: string;
  notice?: string;
}

export function calendarPage(staff: { name: string }, m: CalendarPageModel): Html {
  const webcal = m.newLink?.replace(/^https?:/, 'webcal:');
  return layout(
    { title: 'Calendar feed', staff },
    html`<p class="small"><a href="/">Portfolio</a> › Calendar feed</p>
      <h1>Your calendar feed</h1>
      <p>
        One calendar with the lapse dates, bridge letter ends, request due dates and finding due dates of the
        vendors you manage or are the compliance lead of (${m.email}). Calendar applications subscribe to it
        by its link and keep it up to date; an event whose date moves is replaced, not duplicated.
      </p>
      ${m.notice ? html`<div class="notice ok" role="status">${m.notice}</div>` : ''}
      ${
        m.newLink
          ? html`<div class="notice warn" role="status" id="new-link">
              <p><strong>Your new calendar link</strong> (copy it now: it is not shown again):</p>
              <label class="sr-only" for="feed-url">Calendar link</label>
              <input type="text" id="feed-url" readonly value="${m.newLink}" />
              <p class="small">
                Subscribe in your calendar application by this link (<a href="${webcal ?? ''}"
                  >open it in your calendar</a
                >). Anyone with the link can read the feed: keep it to yourself, and revoke it here if it
                leaks.
              </p>
            </div>`
          : ''
      }
      <section class="card" aria-labelledby="link-h">
        <h2 id="link-h">Your link</h2>
        ${
          m.createdAt
            ? html`<p id="feed-status">A link made on ${m.createdAt.slice(0, 10)} is live.</p>
                <form method="post" action="/calendar" class="inline-form">
                  <button type="submit" name="action" value="create" class="secondary">
                    Replace it with a new link
                  </button>
                  <button type="submit" name="action" value="revoke" class="danger">Revoke it</button>
                </form>`
            : html`<p id="feed-status">
                  You have no live
                  link${m.revokedAt ? html` (the last one was revoked on ${m.revokedAt.slice(0, 10)})` : ''}.
                </p>
                <form method="post" action="/calendar">
                  <button type="submit" name="action" value="create">Make my calendar link</button>
                </form>`
        }
      </section>`,
  );
}
