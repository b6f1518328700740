// The error pages of the staff pages (review, console): without a session a page sends the browser to sign in
// (a form post gets a page with the link instead: following a redirect to the identity provider after a form
// post is refused by the pages' form-action policy); a refusal names the role it needs.
import { formatProblem, type Problem } from '../core/errors.js';
import { errorPage } from '../web/errors.js';
import { refusedPage, signInRequiredPage } from '../web/sign-in-pages.js';
import { page, redirect, type ErrorPages, type HttpEvent } from './http.js';

/** The staff frame on error pages (navigation and sign-out; the name is not looked up again). */
const STAFF = { name: '' };

export function staffPages(event: HttpEvent): ErrorPages {
  const method = event.requestContext?.http?.method ?? event.routeKey.split(' ')[0];
  const here = `${event.rawPath ?? '/'}${event.rawQueryString ? `?${event.rawQueryString}` : ''}`;
  return {
    forbidden: () =>
      method === 'GET'
        ? redirect(`/signin?next=${encodeURIComponent(here)}`)
        : page(signInRequiredPage('/'), 401),
    refused: (message, needs) => page(refusedPage(message, needs, STAFF), 403),
    notFound: (message) => page(errorPage('Not found', message, STAFF), 404),
    invalid: (problems: Problem[]) =>
      page(errorPage('That did not work', problems.map(formatProblem).join('; '), STAFF), 400),
    failed: (message, statusCode) =>
      page(errorPage(statusCode === 409 ? 'Please try again' : 'Not available', message, STAFF), statusCode),
  };
}
