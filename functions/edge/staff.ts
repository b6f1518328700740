// The error pages of the staff pages (review, console): a person signed in sees where they are.
import { formatProblem, type Problem } from '../core/errors.js';
import { signInRequiredPage } from '../web/console-pages.js';
import { errorPage } from '../web/errors.js';
import { page, staffIdentity, type ErrorPages, type HttpEvent, type StaffIdentity } from './http.js';

export function staffPages(event: HttpEvent): ErrorPages {
  let staff: StaffIdentity | undefined;
  try {
    staff = staffIdentity(event);
  } catch {
    staff = undefined;
  }
  return {
    forbidden: () => page(signInRequiredPage(), 401),
    notFound: (message) => page(errorPage('Not found', message, staff), 404),
    invalid: (problems: Problem[]) =>
      page(errorPage('That did not work', problems.map(formatProblem).join('; '), staff), 400),
    failed: (message, statusCode) =>
      page(errorPage(statusCode === 409 ? 'Please try again' : 'Not available', message, staff), statusCode),
    refused: (error) =>
      page(
        errorPage(
          'Not allowed',
          `${error.message} This needs the role: ${error.needs}. Nothing was changed.`,
          staff,
        ),
        403,
      ),
  };
}
