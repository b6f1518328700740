// What a vendor types on the upload page, turned into a spec document (section 1) and validated by the same
// validateDocument the import uses. The entries stay untrusted until a manager accepts the document.
import type { CalendarDate } from './dates.js';
import { ValidationError, type Problem } from './errors.js';
import { validateDocument, type VendorDocument } from './portfolio.js';
import { declaredFile, type DeclaredFile } from './upload-checks.js';

/** What a vendor may send: the report the request asks for, an older-style Type I, or a bridge letter. */
export const UPLOAD_KINDS = ['soc2-type2', 'soc2-type1', 'bridge-letter'] as const;

const MAX_EXCEPTIONS = 100;
const MAX_REGIONS = 50;

function str(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * Builds the document from the page's flat entries (`regions` as comma-separated text, blank fields absent)
 * and validates it; or, from a script, `{ "document": {...} }` exactly as a portfolio's document (section 1 of
 * the policy, as in `simulate`'s EVENTS.json). `today` bounds the dates: no period can have ended, and no bridge
 * letter begun, in the future. An issue date in the future is taken: the document counts from that date (the
 * policy knows only documents issued on or before the day it assesses).
 * Throws ValidationError naming every problem by field.
 */
export function documentFromEntries(input: unknown, today: CalendarDate): VendorDocument {
  const problems: Problem[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ValidationError([{ path: '', message: 'the entries must be an object' }]);
  }
  if ('document' in input) return scriptedDocument(input as Record<string, unknown>, today);
  const entries = input as Record<string, unknown>;
  const kind = str(entries.kind);
  if (kind === undefined || !(UPLOAD_KINDS as readonly string[]).includes(kind)) {
    throw new ValidationError([
      { path: 'kind', message: 'choose a SOC 2 Type II report, a SOC 2 Type I report or a bridge letter' },
    ]);
  }
  let candidate: Record<string, unknown>;
  if (kind === 'bridge-letter') {
    candidate = { kind, coversFrom: str(entries.coversFrom), coversTo: str(entries.coversTo) };
    const issued = str(entries.issued);
    if (issued !== undefined) candidate.issued = issued;
    for (const field of ['coversFrom', 'coversTo'])
      if (candidate[field] === undefined) problems.push({ path: field, message: 'is required' });
  } else {
    candidate = {
      kind,
      periodEnd: str(entries.periodEnd),
      issued: str(entries.issued),
      opinion: str(entries.opinion),
      auditor: str(entries.auditor),
    };
    if (kind === 'soc2-type2') candidate.periodStart = str(entries.periodStart);
    for (const field of Object.keys(candidate))
      if (candidate[field] === undefined) problems.push({ path: field, message: 'is required' });
    const categories = Array.isArray(entries.categories) ? entries.categories : [];
    candidate.categories = categories.filter((c) => typeof c === 'string');
    if ((candidate.categories as string[]).length === 0)
      problems.push({ path: 'categories', message: 'tick at least one Trust Services Category (security)' });
    const regions = (typeof entries.regions === 'string' ? entries.regions : '')
      .split(',')
      .map((r) => r.trim().toLowerCase())
      .filter((r) => r !== '');
    if (regions.length > MAX_REGIONS) problems.push({ path: 'regions', message: `at most ${MAX_REGIONS}` });
    if (regions.length > 0) candidate.regions = [...new Set(regions)];
    const exceptions = Array.isArray(entries.exceptions) ? entries.exceptions : [];
    if (exceptions.length > MAX_EXCEPTIONS)
      problems.push({ path: 'exceptions', message: `at most ${MAX_EXCEPTIONS} exceptions` });
    candidate.exceptions = exceptions
      .slice(0, MAX_EXCEPTIONS)
      .map((e: unknown) => {
        const row = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
        const out: Record<string, string> = {};
        for (const field of ['control', 'description', 'managementResponse']) {
          const v = str(row[field]);
          if (v !== undefined) out[field] = v;
        }
        return out;
      })
      .filter((e: Record<string, string>) => Object.keys(e).length > 0);
  }
  // Only fields that were given go to the shared validator (it names the rest precisely).
  for (const [k, v] of Object.entries(candidate)) if (v === undefined) delete candidate[k];
  const document = validateDocument(candidate, 'document', problems);
  const named = problems.map((p) => ({ ...p, path: p.path.replace(/^document\.?/, '') }));
  named.push(...futureDates(candidate, today));
  const unique = named.filter(
    (p, i) => named.findIndex((q) => q.path === p.path && q.message === p.message) === i,
  );
  if (unique.length > 0 || document === undefined) {
    throw new ValidationError(
      unique.length > 0 ? unique : [{ path: '', message: 'the entries are not valid' }],
    );
  }
  return document;
}

function futureDates(document: Record<string, unknown>, today: CalendarDate): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['periodEnd', 'coversFrom'] as const) {
    const value = document[field];
    if (typeof value === 'string' && value > today)
      problems.push({ path: field, message: `${value} is in the future (today is ${today})` });
  }
  return problems;
}

/** `{ "document": {...} }`: a portfolio document, held to the same upload rules as the page's entries. */
function scriptedDocument(input: Record<string, unknown>, today: CalendarDate): VendorDocument {
  const problems: Problem[] = [];
  for (const key of Object.keys(input))
    if (key !== 'document' && key !== 'file' && key !== 'for')
      problems.push({ path: key, message: 'unknown field (send the document and its file)' });
  const raw = input.document as Record<string, unknown> | null;
  const kind = typeof raw === 'object' && raw !== null ? raw.kind : undefined;
  if (typeof kind === 'string' && !(UPLOAD_KINDS as readonly string[]).includes(kind))
    problems.push({
      path: 'document.kind',
      message: `${kind} cannot be uploaded (send a SOC 2 Type II report, a SOC 2 Type I report or a bridge letter)`,
    });
  const document = validateDocument(input.document, 'document', problems);
  if (document) problems.push(...futureDates(document as unknown as Record<string, unknown>, today));
  if (problems.length || !document) throw new ValidationError(problems);
  return document;
}

/**
 * Whom a vendor may send a document for through its link (spec section 9): itself, and the subservice
 * organisations its report carves out (their own report or bridge letter). A request for organisations alone
 * takes only theirs.
 */
export interface UploadTargets {
  /** The carved-out organisations of the vendor's basis, id -> name. */
  organizations: ReadonlyMap<string, string>;
  /** The request asks for subservice organisations' documents only. */
  organizationsOnly: boolean;
}

const NO_TARGETS: UploadTargets = { organizations: new Map(), organizationsOnly: false };

/** A subservice organisation's document: its own SOC 2 Type II report or a bridge letter (a Type I never counts). */
export const ORGANIZATION_UPLOAD_KINDS = ['soc2-type2', 'bridge-letter'] as const;

function organizationFor(
  input: unknown,
  document: VendorDocument | undefined,
  targets: UploadTargets,
): {
  organizationId?: string;
  problems: Problem[];
} {
  const raw = (input as { for?: unknown } | null)?.for;
  const problems: Problem[] = [];
  if (raw === undefined || raw === null || raw === '') {
    if (targets.organizationsOnly)
      problems.push({ path: 'for', message: 'choose the subservice organisation the document is for' });
    return { problems };
  }
  if (typeof raw !== 'string' || !targets.organizations.has(raw)) {
    problems.push({
      path: 'for',
      message:
        targets.organizations.size === 0
          ? 'this request takes no subservice organisation’s documents'
          : `choose one of: ${[...targets.organizations.values()].join(', ')}`,
    });
    return { problems };
  }
  if (document && !(ORGANIZATION_UPLOAD_KINDS as readonly string[]).includes(document.kind))
    problems.push({
      path: 'kind',
      message:
        'for a subservice organisation, send its SOC 2 Type II report or a bridge letter (a Type I report does not count)',
    });
  return { organizationId: raw, problems };
}

/**
 * What an upload request carries: the document (the page's entries, or a portfolio document), whom it is for
 * (the vendor, or one of its carved-out subservice organisations) and the file the browser is about to send (its
 * SHA-256 and size). Every problem of each is named at once.
 */
export function uploadRequest(
  input: unknown,
  today: CalendarDate,
  targets: UploadTargets = NO_TARGETS,
): { document: VendorDocument; file: DeclaredFile; organizationId?: string } {
  const problems: Problem[] = [];
  let document: VendorDocument | undefined;
  let file: DeclaredFile | undefined;
  try {
    document = documentFromEntries(input, today);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...error.problems);
  }
  const target = organizationFor(input, document, targets);
  problems.push(...target.problems);
  try {
    file = declaredFile((input as { file?: unknown } | null)?.file);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length || !document || !file) throw new ValidationError(problems);
  return { document, file, ...(target.organizationId ? { organizationId: target.organizationId } : {}) };
}
