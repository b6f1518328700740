// The page frame every page shares: language, title, landmarks, skip link, one stylesheet.
import { html, type Html, type HtmlValue } from './html.js';

export interface NavLink {
  href: string;
  label: string;
}

export interface LayoutOptions {
  title: string;
  /** Staff pages show who is signed in and the staff navigation; vendor pages show neither. */
  staff?: { name: string };
  scripts?: string[];
  /** Extra markup at the top of the body (the local clock bar). */
  banner?: HtmlValue;
}

export const STAFF_NAV: NavLink[] = [
  { href: '/', label: 'Portfolio' },
  { href: '/findings', label: 'Findings' },
  { href: '/review', label: 'Review queue' },
  { href: '/subservices', label: 'Subservice organisations' },
  { href: '/forecast', label: 'Forecast' },
  { href: '/calendar', label: 'Calendar' },
];

export function layout(options: LayoutOptions, body: HtmlValue): Html {
  // Sign-out is a form (a POST, checked as same-origin): a link could be fired from another site.
  const nav = options.staff
    ? html`<nav aria-label="Main">${STAFF_NAV.map((l) => html`<a href="${l.href}">${l.label}</a> `)}</nav>
        ${options.staff.name ? html`<span class="who">Signed in as ${options.staff.name}</span>` : ''}
        <form method="post" action="/signout" class="inline-form signout">
          <button type="submit" class="secondary">Sign out</button>
        </form>`
    : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.title} · Bridgekeeper</title>
        <link rel="stylesheet" href="/assets/app.css" />
        ${(options.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`)}
      </head>
      <body>
        <a class="skip" href="#main">Skip to content</a>
        ${options.banner ?? ''}
        <header class="top"><span class="brand">Bridgekeeper</span>${nav}</header>
        <main id="main" tabindex="-1">${body}</main>
      </body>
    </html> `;
}

export function statusBadge(status: string): Html {
  return html`<span class="badge s-${status}">${status}</span>`;
}

export function severityBadge(severity: string): Html {
  return html`<span class="badge sev-${severity}">${severity}</span>`;
}
