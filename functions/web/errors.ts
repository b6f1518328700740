// Plain error pages (no detail that helps an attacker; always a way forward for a person).
import { html, type Html } from './html.js';
import { layout } from './layout.js';

export function errorPage(title: string, message: string, staff?: { name: string }): Html {
  return layout(
    { title, ...(staff ? { staff } : {}) },
    html`<h1>${title}</h1>
      <div class="card"><p>${message}</p></div>`,
  );
}
