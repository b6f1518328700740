// The pages around signing in: sign in required, signed out, a sign-in that did not complete, and the refusal of
// an action a person's role does not allow (naming the role it needs).
import { html, type Html } from './html.js';
import { layout } from './layout.js';

const signInLink = (next: string) => `/signin?next=${encodeURIComponent(next)}`;

export function signInRequiredPage(next: string): Html {
  return layout(
    { title: 'Sign in required' },
    html`<h1>Sign in required</h1>
      <div class="card">
        <p>
          This page is for the bank's staff, and your session has ended or you have not signed in.
          <a href="${signInLink(next)}">Sign in</a> to continue; then do it again.
        </p>
      </div>`,
  );
}

export function signedOutPage(): Html {
  return layout(
    { title: 'Signed out' },
    html`<h1>You are signed out</h1>
      <div class="card stack">
        <p>Your Bridgekeeper session has ended on the server; this browser no longer has access.</p>
        <p>
          <a href="/signin">Sign in again</a> ·
          <a href="/signin?switch=1">Sign in as someone else</a>
          <span class="small muted">(your identity provider asks who you are)</span>
        </p>
      </div>`,
  );
}

export function signInFailedPage(message: string): Html {
  return layout(
    { title: 'Sign-in did not complete' },
    html`<h1>Sign-in did not complete</h1>
      <div class="card stack">
        <p>${message}</p>
        <p><a href="/signin">Start again</a></p>
      </div>`,
  );
}

/** 403: what was refused, and the role that would allow it. */
export function refusedPage(message: string, needs: string | undefined, staff?: { name: string }): Html {
  return layout(
    { title: 'Not allowed', ...(staff ? { staff } : {}) },
    html`<h1>Not allowed</h1>
      <div class="card stack" role="alert">
        <p>${message}</p>
        ${needs ? html`<p id="needs-role">This needs the role: <strong>${needs}</strong>.</p>` : ''}
        <p class="small muted">
          Roles come from your groups at the bank's identity provider. Ask your administrator if you should
          have this role; nothing was changed.
        </p>
      </div>`,
  );
}
