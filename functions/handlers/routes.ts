// Every HTTP route of Bridgekeeper, in API Gateway v2 (HTTP API) terms. The infra turns each distinct `entry`
// into one Lambda function (several routes share a function: one function per route group) and each route into an
// HTTP API route, with the JWT authorizer on `auth: 'staff'` routes. The local HTTP front (local/http) maps
// requests onto the same handler modules in the same event shape, so both runs execute the same code.
import type { Need } from '../ports/needs.js';

export type HttpMethod = 'GET' | 'POST';

export interface HttpRoute {
  method: HttpMethod;
  /** API Gateway v2 route path, e.g. '/u/{token}'. */
  path: string;
  /** The handler module (exports `handler`), relative to the project root. */
  entry: string;
  /** 'public': anyone (the vendor's link is its own credential); 'staff': signed-in bank staff only. */
  auth: 'public' | 'staff';
  needs: Need[];
}

const VENDOR_UPLOAD = 'functions/handlers/vendor-upload.ts';
const REVIEW = 'functions/handlers/review.ts';
const CONSOLE = 'functions/handlers/console.ts';
const ASSETS = 'functions/handlers/assets.ts';

// documents:write: the vendor's entries wait in the bucket (intents/) until the file arrives.
const vendorNeeds: Need[] = ['table:read', 'table:write', 'documents:presign-upload', 'documents:write'];
const reviewNeeds: Need[] = ['table:read', 'table:write', 'documents:read', 'mail:send', 'sfn:callback'];
const consoleNeeds: Need[] = ['table:read', 'table:write'];

export const HTTP_ROUTES: HttpRoute[] = [
  // The vendor's side: the link in the request e-mail is the only credential.
  { method: 'GET', path: '/u/{token}', entry: VENDOR_UPLOAD, auth: 'public', needs: vendorNeeds },
  { method: 'POST', path: '/u/{token}/uploads', entry: VENDOR_UPLOAD, auth: 'public', needs: vendorNeeds },
  {
    method: 'GET',
    path: '/u/{token}/uploads/{uploadId}',
    entry: VENDOR_UPLOAD,
    auth: 'public',
    needs: vendorNeeds,
  },
  // Stylesheet and the pages' small script.
  { method: 'GET', path: '/assets/{file}', entry: ASSETS, auth: 'public', needs: [] },
  // Vendor managers: the review queue and the review of one uploaded document.
  { method: 'GET', path: '/review', entry: REVIEW, auth: 'staff', needs: reviewNeeds },
  {
    method: 'GET',
    path: '/review/{vendorId}/{documentId}',
    entry: REVIEW,
    auth: 'staff',
    needs: reviewNeeds,
  },
  {
    method: 'POST',
    path: '/review/{vendorId}/{documentId}',
    entry: REVIEW,
    auth: 'staff',
    needs: reviewNeeds,
  },
  // Compliance leads: the portfolio console, one vendor's status and audit trail, finding actions.
  { method: 'GET', path: '/', entry: CONSOLE, auth: 'staff', needs: consoleNeeds },
  { method: 'GET', path: '/vendors/{vendorId}', entry: CONSOLE, auth: 'staff', needs: consoleNeeds },
  {
    method: 'POST',
    path: '/vendors/{vendorId}/findings/{findingId}',
    entry: CONSOLE,
    auth: 'staff',
    needs: consoleNeeds,
  },
];

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
  ] as Need[],
} as const;

/** API Gateway v2 route key, e.g. 'GET /u/{token}'. */
export function routeKey(route: Pick<HttpRoute, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}
