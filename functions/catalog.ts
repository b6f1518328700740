// The deployment catalogue: every function of Bridgekeeper with the AWS access it needs, and every HTTP route.
// The infra builds exactly this (one Lambda per function, each need as its variable and its least-privilege
// grant, each route on the HTTP API); each handler reads its configuration for exactly these needs
// (functions/edge/config.ts); the local stack maps the same routes onto the same handler modules. One module,
// outside handlers/, so that none of those three imports a handler to learn what to build.
import type { Need } from './ports/needs.js';

export interface FunctionSpec {
  /** The handler module (exports `handler`), relative to the project root. */
  entry: string;
  needs: readonly Need[];
}

/** The lifecycle state machine's Lambdas and the daily reconciler (workflows/lifecycle.ts wires them). */
export const LIFECYCLE_FUNCTIONS = {
  /** Reads the vendor, asks the core what is due today, records and sends it, returns the next wake-up. */
  plan: {
    entry: 'functions/handlers/plan.ts',
    needs: ['table:read', 'table:write', 'mail:send', 'mac:sign'],
  },
  /** The body of every sleep: records the execution's task token on the vendor so that a change wakes it. */
  // sfn:callback: a vendor that changed since the plan ends the sleep at once (SendTaskSuccess on its own token).
  wait: {
    entry: 'functions/handlers/wait.ts',
    needs: ['table:read', 'table:write', 'mac:sign', 'sfn:callback'],
  },
  /** The Catch of every task: records a lifecycle-failed event and alerts the compliance lead. */
  recordFailure: {
    entry: 'functions/handlers/record-failure.ts',
    needs: ['table:read', 'table:write', 'mail:send', 'mac:sign'],
  },
  /**
   * Daily: restarts every due vendor's lifecycle that has died, sends e-mails left unsent, and writes the audit
   * trail's checkpoint.
   */
  reconcile: {
    entry: 'functions/handlers/reconcile.ts',
    needs: ['table:read', 'table:write', 'sfn:start', 'mail:send', 'mac:sign', 'checkpoints:write'],
  },
} as const satisfies Record<string, FunctionSpec>;

export type LifecycleFunctionName = keyof typeof LIFECYCLE_FUNCTIONS;

/** The people's side: one function per page group. */
export const PAGE_FUNCTIONS = {
  // The vendor's entries wait in the bucket (intents/) until the file arrives: written, then read by the page's
  // status poll.
  vendorUpload: {
    entry: 'functions/handlers/vendor-upload.ts',
    needs: [
      'table:read',
      'table:write',
      'documents:presign-upload',
      'documents:read',
      'documents:write',
      'mac:sign',
      // The per-link request counter (functions/core/link-limits.ts).
      'links:count',
    ],
  },
  // documents:retain: accepted evidence is locked (Object Lock) when it is accepted.
  review: {
    entry: 'functions/handlers/review.ts',
    needs: [
      'table:read',
      'table:write',
      'documents:read',
      'documents:retain',
      'mail:send',
      'sfn:callback',
      'mac:sign',
    ],
  },
  // A manager records a document the vendor sent another way: the same upload as the vendor's page. A risk
  // acceptance wakes the vendor's lifecycle (sfn:callback), so that its expiry joins the wake-up schedule.
  console: {
    entry: 'functions/handlers/console.ts',
    needs: [
      'table:read',
      'table:write',
      'documents:presign-upload',
      'documents:read',
      'documents:write',
      'sfn:callback',
      'mac:sign',
    ],
  },
  assets: { entry: 'functions/handlers/assets.ts', needs: [] },
  // Subservice organisations: their coverage, documents and the vendors that depend on them (read only; a read
  // may repair a lagging projection, which is a sealed write).
  subservices: {
    entry: 'functions/handlers/subservices.ts',
    needs: ['table:read', 'table:write', 'mac:sign'],
  },
  // A CUEC owner's answer through the link e-mailed to them (spec section 9): recorded on the vendor's record.
  cuecConfirm: {
    entry: 'functions/handlers/cuec-confirm.ts',
    needs: ['table:read', 'table:write', 'mac:sign', 'links:count'],
  },
  // Staff sign-in with the bank's OpenID provider: sessions in the table, the client secret from Secrets Manager.
  // It reads no vendor data (no table:read): the staff pages read the sessions it writes.
  signin: { entry: 'functions/handlers/signin.ts', needs: ['sessions:write', 'oidc:sign-in'] },
  // A member of staff's calendar feed behind its secret link: reads the table (and checks the records' seals);
  // writes nothing but its links' request counters.
  calendar: { entry: 'functions/handlers/calendar.ts', needs: ['table:read', 'mac:sign', 'links:count'] },
} as const satisfies Record<string, FunctionSpec>;

/** The S3 ObjectCreated handler for the documents bucket (prefix `uploads/`): not an HTTP route. */
export const INGEST_FUNCTION = {
  entry: 'functions/handlers/ingest.ts',
  /** Only objects under this prefix trigger it. */
  prefix: 'uploads/',
  needs: [
    'table:read',
    'table:write',
    'documents:read',
    'documents:write',
    'sfn:callback',
    'mail:send',
    'mac:sign',
  ],
} as const satisfies FunctionSpec & { prefix: string };

/**
 * Intake assist: reads an uploaded report once the ingest has accepted it (S3 ObjectCreated on `intents/`, where
 * the ingest settles the upload as received) and records the fields on the pending document. Its own function
 * because the PDF library is about 1.6 MB (docs/intake.md): its bundle budget is 2.5 MB (measured 2.1 MB: the
 * library and the SDK clients of the table, the key and the bucket), not the 300 KB of the others; 1024 MB of memory (a 50 MB upload is held in full, and PDF.js copies it; the 100-page report peaks
 * under 100 MB); a 60 s timeout (the reading stops itself at 20 s).
 */
export const EXTRACT_FUNCTION = {
  entry: 'functions/handlers/extract.ts',
  /** Objects under this prefix trigger it (the handler acts on received intents only). */
  prefix: 'intents/',
  needs: ['table:read', 'table:write', 'documents:read', 'mac:sign'],
  memorySize: 1024,
  timeoutSeconds: 60,
  bundleBudgetBytes: 2.5 * 1024 * 1024,
} as const satisfies FunctionSpec & {
  prefix: string;
  memorySize: number;
  timeoutSeconds: number;
  bundleBudgetBytes: number;
};

export type HttpMethod = 'GET' | 'POST';

export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway v2 route path, e.g. '/u/{token}'. */
  path: string;
  /** The handler module (exports `handler`), relative to the project root. */
  entry: string;
  /**
   * 'public': anyone (the vendor's link is its own credential; sign-in itself); 'staff': the handler answers only
   * with a staff session (functions/edge/session.ts), in every runtime. API Gateway authorizes neither: browsers
   * send no Authorization header, so the session cookie is checked by the handlers.
   */
  auth: 'public' | 'staff';
  /** The needs of the function serving it. */
  needs: readonly Need[];
}

const route = (method: HttpMethod, path: string, fn: FunctionSpec, auth: HttpRoute['auth']): HttpRoute => ({
  method,
  path,
  entry: fn.entry,
  auth,
  needs: fn.needs,
});

const {
  vendorUpload,
  review,
  console: consoleFn,
  assets,
  cuecConfirm,
  subservices,
  signin,
  calendar,
} = PAGE_FUNCTIONS;

export const HTTP_ROUTES: HttpRoute[] = [
  // The vendor's side: the link in the request e-mail is the only credential.
  route('GET', '/u/{token}', vendorUpload, 'public'),
  route('POST', '/u/{token}/uploads', vendorUpload, 'public'),
  route('GET', '/u/{token}/uploads/{uploadId}', vendorUpload, 'public'),
  // A CUEC owner's link (its token is the only credential).
  route('GET', '/c/{vendorId}/{token}', cuecConfirm, 'public'),
  route('POST', '/c/{vendorId}/{token}', cuecConfirm, 'public'),
  // Stylesheet and the pages' small script.
  route('GET', '/assets/{file}', assets, 'public'),
  // Staff sign-in (OpenID Connect authorization code flow) and sign-out.
  route('GET', '/signin', signin, 'public'),
  route('GET', '/callback', signin, 'public'),
  route('POST', '/signout', signin, 'public'),
  // Vendor managers: the review queue and the review of one uploaded document.
  route('GET', '/review', review, 'staff'),
  route('GET', '/review/{vendorId}/{documentId}', review, 'staff'),
  route('POST', '/review/{vendorId}/{documentId}', review, 'staff'),
  route('POST', '/review/{vendorId}/{documentId}/cuecs', review, 'staff'),
  route('GET', '/review/{vendorId}/{documentId}/file', review, 'staff'),
  // Compliance leads: the portfolio console, the findings register, one vendor's status and audit trail, one
  // finding and the actions on it.
  route('GET', '/', consoleFn, 'staff'),
  route('GET', '/findings', consoleFn, 'staff'),
  route('GET', '/vendors/{vendorId}', consoleFn, 'staff'),
  route('GET', '/vendors/{vendorId}/findings/{findingId}', consoleFn, 'staff'),
  route('POST', '/vendors/{vendorId}/findings/{findingId}', consoleFn, 'staff'),
  route('POST', '/vendors/{vendorId}/uploads', consoleFn, 'staff'),
  route('GET', '/vendors/{vendorId}/uploads/{uploadId}', consoleFn, 'staff'),
  // Subservice organisations (fourth parties): coverage and concentration.
  route('GET', '/subservices', subservices, 'staff'),
  route('GET', '/subservices/{id}', subservices, 'staff'),
  // The coverage forecast (and its CSV and JSON).
  route('GET', '/forecast', consoleFn, 'staff'),
  // A member of staff's calendar feed: made and revoked on the console's calendar page; the feed itself is behind
  // its secret link (like a vendor's upload link: the token in the path is the credential).
  route('GET', '/calendar', consoleFn, 'staff'),
  route('POST', '/calendar', consoleFn, 'staff'),
  route('GET', '/calendar/{token}', calendar, 'public'),
];

/** API Gateway v2 route key, e.g. 'GET /u/{token}'. */
export function routeKey(route: Pick<HttpRoute, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
