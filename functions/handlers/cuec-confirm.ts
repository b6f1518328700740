// A CUEC owner's answer behind the link e-mailed to them (spec section 9; the link is the only credential):
//   GET  /c/{vendorId}/{token}   the control and the three answers
//   POST /c/{vendorId}/{token}   in place, not in place or not applicable (with a note): an audit event
// Every dead link (unknown, expired, answered, another vendor's) gets the same 404 page; the token is never
// logged (the event is not logged, nothing below logs the path). Each link has its own request budget per window,
// like the vendor's upload link (functions/core/link-limits.ts), counted before anything else.
import { PAGE_FUNCTIONS } from '../catalog.js';
import type { Vendors } from '../app/vendors.js';
import { confirmCuecStatus } from '../core/commands/people.js';
import { confirmationForToken } from '../core/cuec-link.js';
import {
  ForbiddenError,
  formatProblem,
  RateLimitedError,
  ValidationError,
  type Problem,
} from '../core/errors.js';
import { LINK_LIMIT, linkWindow, secondsLeft } from '../core/link-limits.js';
import { hashToken } from '../core/upload-link.js';
import { isSocReport } from '../core/portfolio.js';
import type { CuecConfirmation, VendorState } from '../core/vendor-state.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { LinkCounter } from '../ports/link-limits.js';
import { readConfig } from '../edge/config.js';
import { bodyText, lambda, page, param, router, type ErrorPages, type RouteHandler } from '../edge/http.js';
import { clock, lazy } from '../edge/runtime.js';
import { openSessions } from '../edge/sessions.js';
import { openVendors } from '../edge/vendors.js';
import { cuecConfirmPage, cuecThanksPage, deadCuecLinkPage } from '../web/cuec-pages.js';
import { errorPage } from '../web/errors.js';

export interface CuecConfirmDeps {
  vendors: Vendors;
  links: LinkCounter;
  /** The link's life (the lifecycle's calendar). */
  clock: Clock;
  /** Real time: the per-link request windows count requests as they arrive. */
  requestClock: Clock;
}

const deps = lazy((): CuecConfirmDeps => {
  const config = readConfig(process.env, PAGE_FUNCTIONS.cuecConfirm.needs);
  return {
    vendors: openVendors(config),
    links: openSessions(config.tableName),
    clock,
    requestClock: systemClock,
  };
});

const VENDOR_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The one check both routes start with. Any failure is the same ForbiddenError. */
async function openConfirmation(
  d: CuecConfirmDeps,
  vendorId: string,
  token: string,
): Promise<{ state: VendorState; confirmation: CuecConfirmation }> {
  const dead = () => new ForbiddenError('dead CUEC link');
  if (!VENDOR_ID.test(vendorId)) throw dead();
  const arrived = d.requestClock.now();
  const window = linkWindow(arrived);
  // Counted for a dead link too: guessing is limited per token tried.
  if (!(await d.links.take(hashToken(token), window, LINK_LIMIT.requests))) {
    const wait = secondsLeft(window, arrived);
    throw new RateLimitedError(
      `Too many requests through this link. Please wait ${Math.ceil(wait / 60)} minute${wait > 60 ? 's' : ''} and try again.`,
      wait,
    );
  }
  const state = await d.vendors.load(vendorId);
  if (!state?.profile) throw dead();
  const confirmation = confirmationForToken(state.cuecConfirmations, token, d.clock.now());
  if (!confirmation) throw dead();
  return { state, confirmation };
}

function model(state: VendorState, confirmation: CuecConfirmation, problems?: Problem[]) {
  const record = state.documents.find((d) => d.documentId === confirmation.documentId);
  const document = record?.document;
  const cuec =
    document && isSocReport(document) ? document.cuecs?.find((c) => c.id === confirmation.cuecId) : undefined;
  return {
    vendorName: state.profile!.name,
    documentKind: document?.kind ?? '',
    periodEnd: document && isSocReport(document) ? document.periodEnd : null,
    cuecId: confirmation.cuecId,
    cuecText: cuec?.text ?? '',
    owner: confirmation.owner,
    ...(problems ? { problems: problems.map(formatProblem) } : {}),
  };
}

const PAGES: ErrorPages = {
  forbidden: () => page(deadCuecLinkPage(), 404),
  refused: () => page(deadCuecLinkPage(), 404),
  notFound: () => page(deadCuecLinkPage(), 404),
  invalid: () => page(deadCuecLinkPage(), 404),
  failed: (message, statusCode) => page(errorPage('Please try again', message), statusCode),
};

export function cuecConfirmRoutes(getDeps: () => CuecConfirmDeps): RouteHandler {
  return router(
    {
      'GET /c/{vendorId}/{token}': async (event) => {
        const d = getDeps();
        const { state, confirmation } = await openConfirmation(
          d,
          param(event, 'vendorId'),
          param(event, 'token'),
        );
        return page(cuecConfirmPage(model(state, confirmation)));
      },
      'POST /c/{vendorId}/{token}': async (event) => {
        const d = getDeps();
        const vendorId = param(event, 'vendorId');
        const { state, confirmation } = await openConfirmation(d, vendorId, param(event, 'token'));
        const form = new URLSearchParams(bodyText(event).slice(0, 8192));
        const status = form.get('status');
        try {
          await d.vendors.update(
            vendorId,
            (s) =>
              confirmCuecStatus(s, {
                confirmationId: confirmation.confirmationId,
                status,
                note: form.get('note') ?? '',
                now: d.clock.now(),
              }),
            { actor: { kind: 'cuec-link', owner: confirmation.owner } },
          );
        } catch (error) {
          if (error instanceof ValidationError)
            return page(cuecConfirmPage(model(state, confirmation, error.problems)), 400);
          throw error;
        }
        return page(
          cuecThanksPage({
            vendorName: state.profile!.name,
            cuecId: confirmation.cuecId,
            status: status ?? '',
          }),
        );
      },
    },
    PAGES,
  );
}

export const handler = lambda(cuecConfirmRoutes(deps));
