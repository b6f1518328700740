// The portfolio schema (spec section 1) and its validation. Bad input is refused whole: every problem is
// collected with its JSON path before anything is thrown, so the analyst fixes the file in one pass.
import { isCalendarDate, type CalendarDate } from './dates.js';
import { ValidationError, type Problem } from './errors.js';

export const TIERS = ['critical', 'high', 'moderate', 'low'] as const;
export type Tier = (typeof TIERS)[number];

export const TRUST_CATEGORIES = [
  'security',
  'availability',
  'processing-integrity',
  'confidentiality',
  'privacy',
] as const;
export type TrustCategory = (typeof TRUST_CATEGORIES)[number];

export const OPINIONS = ['unqualified', 'qualified', 'adverse', 'disclaimer'] as const;
export type Opinion = (typeof OPINIONS)[number];

export const SOC_KINDS = ['soc2-type2', 'soc2-type1', 'soc1-type2', 'soc1-type1'] as const;
export type SocKind = (typeof SOC_KINDS)[number];
export const DOCUMENT_KINDS = [...SOC_KINDS, 'bridge-letter'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** How a SOC 2 report treats a subservice organisation (spec section 9). */
export const SUBSERVICE_METHODS = ['carve-out', 'inclusive'] as const;
export type SubserviceMethod = (typeof SUBSERVICE_METHODS)[number];

export const CUEC_STATUSES = ['in-place', 'not-in-place', 'not-applicable'] as const;
export type CuecStatus = (typeof CUEC_STATUSES)[number];

/** A subservice organisation named by a SOC 2 report, and whether the report covers it (`inclusive`) or not. */
export interface SubserviceReference {
  /** The id of one of the portfolio's subserviceOrganizations. */
  id: string;
  method: SubserviceMethod;
}

/** A complementary user-entity control: a control the institution itself must run for the report to hold. */
export interface Cuec {
  /** The report's label for it (`CUEC-3`, `1.2`), unique within the report. */
  id: string;
  text: string;
  /** Who at the institution runs it (an e-mail address); absent is the `cuec-unowned` finding. */
  owner?: string;
  status?: CuecStatus;
}

/** Bounds on the section 9 fields: generous for real reports, finite so that a runaway file is refused. */
export const SECTION9_LIMITS = Object.freeze({
  subserviceOrganizations: 10_000,
  subservicesPerReport: 100,
  cuecsPerReport: 500,
  cuecIdLength: 64,
  cuecTextLength: 2000,
});

/**
 * Bounds every document and vendor field (besides each text's own length): a vendor's record keeps its
 * documents, so one document must stay small for the record to stay far below DynamoDB's 400 KB item limit
 * however long the vendor lives (docs/data-model.md, "Bounded records").
 */
export const DOCUMENT_LIMITS = Object.freeze({
  /** The whole document as JSON. */
  bytes: 16 * 1024,
  exceptions: 100,
  regions: 50,
});

/** A deviation the auditor found; `managementResponse` is what the vendor says it did about it. */
export interface ReportException {
  control?: string;
  description?: string;
  managementResponse?: string;
}

export interface SocReport {
  kind: SocKind;
  /** Type II only: the first day of the examination period. */
  periodStart?: CalendarDate;
  /** The last day of the period (for a Type I, the "as of" date). */
  periodEnd: CalendarDate;
  /** Absent: the document is known from the start. */
  issued?: CalendarDate;
  opinion: Opinion;
  auditor?: string;
  /** Absent means ["security"]. */
  categories?: TrustCategory[];
  /** Absent means the report does not state its regions: no scope check. */
  regions?: string[];
  /** Absent means none. */
  exceptions?: ReportException[];
  /** SOC 2 only: the subservice organisations the report names, in the report's order. Absent means none. */
  subservices?: SubserviceReference[];
  /** SOC 2 only: the report's complementary user-entity controls. Absent means none. */
  cuecs?: Cuec[];
}

/** The vendor's own letter saying nothing material changed since the report's period end. */
export interface BridgeLetter {
  kind: 'bridge-letter';
  coversFrom: CalendarDate;
  coversTo: CalendarDate;
  issued?: CalendarDate;
}

export type VendorDocument = SocReport | BridgeLetter;

export interface Vendor {
  id: string;
  name: string;
  tier: Tier;
  managerEmail: string;
  contactEmail: string;
  /** Overrides the portfolio's. */
  complianceLeadEmail?: string;
  dataRegions?: string[];
  requiredCategories?: TrustCategory[];
  contractRenewal?: CalendarDate;
  /** Always present after parsing (absent in the input means none yet). */
  documents: VendorDocument[];
}

/**
 * A vendor's vendor (a fourth party) that reports name as a subservice organisation, with its own documents,
 * shared by every vendor that relies on it (spec section 9).
 */
export interface SubserviceOrganization {
  id: string;
  name: string;
  /** Always present after parsing (absent in the input means none yet). */
  documents: VendorDocument[];
}

export interface Portfolio {
  complianceLeadEmail?: string;
  vendors: Vendor[];
  /** Present only when the input has the field (so that an old portfolio assesses exactly as before). */
  subserviceOrganizations?: SubserviceOrganization[];
}

export function isSocReport(d: VendorDocument): d is SocReport {
  return d.kind !== 'bridge-letter';
}

// ---------------------------------------------------------------------------------------------------------------
// Validation helpers. Each takes the value, its path and the shared problem list, and returns the value when it is
// valid (undefined otherwise). They allocate nothing on the happy path beyond the result, for 100k-vendor inputs.

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Whether `id` can be a vendor's (or a subservice organisation's) id: 1-64 of a-z 0-9 -, not starting with -. */
export function isVendorId(id: string): boolean {
  return ID_PATTERN.test(id);
}
// Pragmatic address check: one @, no spaces or quotes, a dotted domain of letters, digits and hyphens.
const EMAIL_PATTERN =
  /^[^\s@"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const MAX_TEXT = 500;

/** The address check the portfolio applies, for other inputs that take an e-mail address. */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 254 && EMAIL_PATTERN.test(value);
}

const TIER_SET: ReadonlySet<string> = new Set(TIERS);
const CATEGORY_SET: ReadonlySet<string> = new Set(TRUST_CATEGORIES);
const OPINION_SET: ReadonlySet<string> = new Set(OPINIONS);
const KIND_SET: ReadonlySet<string> = new Set(DOCUMENT_KINDS);

const PORTFOLIO_FIELDS: ReadonlySet<string> = new Set([
  'complianceLeadEmail',
  'vendors',
  'subserviceOrganizations',
]);
/** The fields of each shape, named once: the JSON validation, the CSV columns and the forms all use these. */
export const VENDOR_FIELD_NAMES = [
  'id',
  'name',
  'tier',
  'managerEmail',
  'contactEmail',
  'complianceLeadEmail',
  'dataRegions',
  'requiredCategories',
  'contractRenewal',
  'documents',
] as const;
export const SOC_REPORT_FIELD_NAMES = [
  'kind',
  'periodStart',
  'periodEnd',
  'issued',
  'opinion',
  'auditor',
  'categories',
  'regions',
  'exceptions',
  'subservices',
  'cuecs',
] as const;
export const BRIDGE_LETTER_FIELD_NAMES = ['kind', 'coversFrom', 'coversTo', 'issued'] as const;
const VENDOR_FIELDS: ReadonlySet<string> = new Set(VENDOR_FIELD_NAMES);
const SOC_FIELDS: ReadonlySet<string> = new Set(SOC_REPORT_FIELD_NAMES);
const LETTER_FIELDS: ReadonlySet<string> = new Set(BRIDGE_LETTER_FIELD_NAMES);
const EXCEPTION_FIELDS: ReadonlySet<string> = new Set(['control', 'description', 'managementResponse']);
const SUBSERVICE_ORGANIZATION_FIELDS: ReadonlySet<string> = new Set(['id', 'name', 'documents']);
const SUBSERVICE_FIELDS: ReadonlySet<string> = new Set(['id', 'method']);
const CUEC_FIELDS: ReadonlySet<string> = new Set(['id', 'text', 'owner', 'status']);
const METHOD_SET: ReadonlySet<string> = new Set(SUBSERVICE_METHODS);
const CUEC_STATUS_SET: ReadonlySet<string> = new Set(CUEC_STATUSES);
const ID_RULE = '1-64 of a-z, 0-9 and -, starting with a letter or digit';

/** A value as it should appear in a message: short, and strings unquoted like the spec's examples. */
function show(value: unknown): string {
  // Control characters (a stray newline, a terminal escape) are shown escaped, never written raw to a terminal.
  const text =
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    typeof value === 'string' && !/[\u0000-\u001f\u007f]/.test(value) ? value : JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field name or an array index below a base path. */
type Key = string | number;

/** The JSON path of `key` under `base`; built only when there is a problem to name. */
function join(base: string, key: Key): string {
  return typeof key === 'number' ? `${base}[${key}]` : base === '' ? key : `${base}.${key}`;
}

function checkObject(
  value: unknown,
  path: string,
  what: string,
  fields: ReadonlySet<string>,
  problems: Problem[],
): value is Record<string, unknown> {
  if (!isRecord(value)) {
    problems.push({ path, message: `must be ${what} (an object), not ${typeName(value)}` });
    return false;
  }
  for (const key in value) {
    if (!fields.has(key)) problems.push({ path: `${path}.${key}`, message: 'unknown field' });
  }
  return true;
}

function required(obj: Record<string, unknown>, key: string, path: string, problems: Problem[]): boolean {
  if (obj[key] === undefined) {
    problems.push({ path: `${path}.${key}`, message: 'is required' });
    return false;
  }
  return true;
}

function text(
  value: unknown,
  base: string,
  key: Key,
  problems: Problem[],
  allowBlank = false,
): string | undefined {
  if (typeof value === 'string' && value.length <= MAX_TEXT * 8 && (allowBlank || value.trim() !== ''))
    return value;
  const path = join(base, key);
  if (typeof value !== 'string') {
    problems.push({ path, message: `must be a string, not ${typeName(value)}` });
    return undefined;
  }
  if (!allowBlank && value.trim() === '') {
    problems.push({ path, message: 'must not be blank' });
    return undefined;
  }
  if (value.length > MAX_TEXT * 8) {
    problems.push({ path, message: `is too long (${value.length} characters; at most ${MAX_TEXT * 8})` });
    return undefined;
  }
  return value;
}

/** Dates outside this range are typos (and would overflow the arithmetic): refused like impossible ones. */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2999-12-31';

/** A real calendar date within [EARLIEST_DATE, LATEST_DATE]. */
export function isInRangeDate(value: unknown): value is CalendarDate {
  return isCalendarDate(value) && value >= EARLIEST_DATE && value <= LATEST_DATE;
}

function date(value: unknown, base: string, key: Key, problems: Problem[]): CalendarDate | undefined {
  if (isInRangeDate(value)) return value;
  const path = join(base, key);
  if (isCalendarDate(value)) {
    problems.push({ path, message: `${value} is out of range (expected a year from 1900 to 2999)` });
    return undefined;
  }
  problems.push({
    path,
    message:
      typeof value === 'string'
        ? `${show(value)} is not a date (expected a real calendar date YYYY-MM-DD)`
        : `must be a date string YYYY-MM-DD, not ${typeName(value)}`,
  });
  return undefined;
}

function email(value: unknown, base: string, key: Key, problems: Problem[]): string | undefined {
  if (typeof value === 'string' && value.length <= 254 && EMAIL_PATTERN.test(value)) return value;
  problems.push({
    path: join(base, key),
    message:
      typeof value === 'string'
        ? `${show(value)} is not an e-mail address`
        : `must be an e-mail address string, not ${typeName(value)}`,
  });
  return undefined;
}

function oneOf<T extends string>(
  value: unknown,
  allowed: ReadonlySet<string>,
  list: readonly T[],
  what: string,
  base: string,
  key: Key,
  problems: Problem[],
): T | undefined {
  if (typeof value === 'string' && allowed.has(value)) return value as T;
  problems.push({
    path: join(base, key),
    message: `${show(value)} is not ${what} (expected one of: ${list.join(', ')})`,
  });
  return undefined;
}

function categories(
  value: unknown,
  base: string,
  key: Key,
  problems: Problem[],
): TrustCategory[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({
      path: join(base, key),
      message: `must be an array of Trust Services Categories, not ${typeName(value)}`,
    });
    return undefined;
  }
  const before = problems.length;
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] === 'string' && CATEGORY_SET.has(value[i] as string)) continue;
    oneOf(
      value[i],
      CATEGORY_SET,
      TRUST_CATEGORIES,
      'a Trust Services Category',
      join(base, key),
      i,
      problems,
    );
  }
  return problems.length === before ? (value.slice() as TrustCategory[]) : undefined;
}

function regions(value: unknown, base: string, key: Key, problems: Problem[]): string[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({
      path: join(base, key),
      message: `must be an array of region names, not ${typeName(value)}`,
    });
    return undefined;
  }
  const before = problems.length;
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_TEXT * 8)
      text(v, join(base, key), i, problems);
  }
  return problems.length === before ? (value.slice() as string[]) : undefined;
}

function exceptions(
  value: unknown,
  base: string,
  key: Key,
  problems: Problem[],
): ReportException[] | undefined {
  const path = join(base, key); // one per report that lists exceptions
  if (!Array.isArray(value)) {
    problems.push({ path, message: `must be an array of exceptions, not ${typeName(value)}` });
    return undefined;
  }
  const before = problems.length;
  const out: ReportException[] = [];
  for (let i = 0; i < value.length; i++) {
    const p = `${path}[${i}]`;
    const e: unknown = value[i];
    if (!checkObject(e, p, 'an exception', EXCEPTION_FIELDS, problems)) continue;
    const x: ReportException = {};
    // A blank managementResponse is valid input: it is exactly what `exception-without-response` reports.
    if (e.control !== undefined) x.control = text(e.control, p, 'control', problems);
    if (e.description !== undefined) x.description = text(e.description, p, 'description', problems, true);
    if (e.managementResponse !== undefined)
      x.managementResponse = text(e.managementResponse, p, 'managementResponse', problems, true);
    out.push(x);
  }
  return problems.length === before ? out : undefined;
}

/**
 * What a document's `subservices` may name: the portfolio's subservice organisations (spec section 9). Without
 * a context (an upload, a scripted event) there are none, so a document naming one is refused.
 */
export interface DocumentContext {
  /** The ids of the portfolio's subservice organisations. */
  subserviceIds: ReadonlySet<string>;
  /** Set when the document is a subservice organisation's own: its report cannot name the organisation itself. */
  organizationId?: string;
}

const NO_CONTEXT: DocumentContext = { subserviceIds: new Set() };

function idProblem(value: unknown, what: string): string {
  return typeof value === 'string'
    ? `${show(value)} is not a ${what} id (${ID_RULE})`
    : `must be a string, not ${typeName(value)}`;
}

function soc2Only(path: string, field: string, kind: SocKind): Problem {
  return {
    path: `${path}.${field}`,
    message: `is recorded on SOC 2 reports only (this is a ${kind} report)`,
  };
}

function tooMany(path: string, count: number, what: string, max: number, problems: Problem[]): boolean {
  if (count <= max) return false;
  problems.push({ path, message: `has ${count.toLocaleString('en-US')} ${what} (at most ${max})` });
  return true;
}

function subservices(
  value: unknown,
  path: string,
  problems: Problem[],
  context: DocumentContext,
): SubserviceReference[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({
      path,
      message: `must be an array of subservice organisations ({"id", "method"}), not ${typeName(value)}`,
    });
    return undefined;
  }
  if (tooMany(path, value.length, 'subservice organisations', SECTION9_LIMITS.subservicesPerReport, problems))
    return undefined;
  const before = problems.length;
  const out: SubserviceReference[] = [];
  const firstIndexById = new Map<string, number>();
  for (let i = 0; i < value.length; i++) {
    const p = `${path}[${i}]`;
    const e: unknown = value[i];
    if (!checkObject(e, p, 'a subservice organisation reference', SUBSERVICE_FIELDS, problems)) continue;
    let id: string | undefined;
    if (required(e, 'id', p, problems)) {
      if (typeof e.id !== 'string' || !ID_PATTERN.test(e.id))
        problems.push({ path: `${p}.id`, message: idProblem(e.id, 'subservice organisation') });
      else if (e.id === context.organizationId)
        problems.push({
          path: `${p}.id`,
          message: `${e.id} is the organisation this report is about; it cannot be its own subservice organisation`,
        });
      else if (!context.subserviceIds.has(e.id))
        problems.push({
          path: `${p}.id`,
          message: `${e.id} is not a subservice organisation of the portfolio (not in subserviceOrganizations)`,
        });
      else {
        const first = firstIndexById.get(e.id);
        if (first === undefined) {
          firstIndexById.set(e.id, i);
          id = e.id;
        } else
          problems.push({
            path: `${p}.id`,
            message: `duplicate subservice organisation ${e.id} in this report (first at ${path}[${first}])`,
          });
      }
    }
    const method = required(e, 'method', p, problems)
      ? oneOf(e.method, METHOD_SET, SUBSERVICE_METHODS, 'a subservice method', p, 'method', problems)
      : undefined;
    if (id !== undefined && method !== undefined) out.push({ id, method });
  }
  return problems.length === before ? out : undefined;
}

function cuecs(value: unknown, path: string, problems: Problem[]): Cuec[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({
      path,
      message: `must be an array of CUECs ({"id", "text", "owner", "status"}), not ${typeName(value)}`,
    });
    return undefined;
  }
  if (tooMany(path, value.length, 'CUECs', SECTION9_LIMITS.cuecsPerReport, problems)) return undefined;
  const before = problems.length;
  const out: Cuec[] = [];
  const firstIndexById = new Map<string, number>();
  for (let i = 0; i < value.length; i++) {
    const p = `${path}[${i}]`;
    const e: unknown = value[i];
    if (!checkObject(e, p, 'a CUEC', CUEC_FIELDS, problems)) continue;
    let id = required(e, 'id', p, problems) ? text(e.id, p, 'id', problems) : undefined;
    if (id !== undefined && id.length > SECTION9_LIMITS.cuecIdLength) {
      problems.push({
        path: `${p}.id`,
        message: `is too long (${id.length} characters; at most ${SECTION9_LIMITS.cuecIdLength})`,
      });
      id = undefined;
    }
    if (id !== undefined) {
      const first = firstIndexById.get(id);
      if (first === undefined) firstIndexById.set(id, i);
      else
        problems.push({
          path: `${p}.id`,
          message: `duplicate CUEC id ${show(id)} in this report (first at ${path}[${first}])`,
        });
    }
    const body = required(e, 'text', p, problems) ? text(e.text, p, 'text', problems) : undefined;
    if (body !== undefined && body.length > SECTION9_LIMITS.cuecTextLength)
      problems.push({
        path: `${p}.text`,
        message: `is too long (${body.length} characters; at most ${SECTION9_LIMITS.cuecTextLength})`,
      });
    const owner = e.owner === undefined ? undefined : email(e.owner, p, 'owner', problems);
    const status =
      e.status === undefined
        ? undefined
        : oneOf(e.status, CUEC_STATUS_SET, CUEC_STATUSES, 'a CUEC status', p, 'status', problems);
    if (id === undefined || body === undefined) continue;
    const cuec: Cuec = { id, text: body };
    if (owner !== undefined) cuec.owner = owner;
    if (status !== undefined) cuec.status = status;
    out.push(cuec);
  }
  return problems.length === before ? out : undefined;
}

/**
 * Validates one document at `path`, appending every problem to `problems`. Returns the normalized document
 * when it is valid, undefined otherwise. Reused by the import and by uploads. `context` names the portfolio's
 * subservice organisations, which a SOC 2 report's `subservices` may refer to.
 */
export function validateDocument(
  input: unknown,
  path: string,
  problems: Problem[],
  context: DocumentContext = NO_CONTEXT,
): VendorDocument | undefined {
  if (!isRecord(input)) {
    problems.push({ path, message: `must be a document (an object), not ${typeName(input)}` });
    return undefined;
  }
  const before = problems.length;
  if (!required(input, 'kind', path, problems)) return undefined;
  const kind = oneOf(input.kind, KIND_SET, DOCUMENT_KINDS, 'a document kind', path, 'kind', problems);
  if (kind === undefined) return undefined;

  if (kind === 'bridge-letter') {
    checkObject(input, path, 'a bridge letter', LETTER_FIELDS, problems);
    const coversFrom = required(input, 'coversFrom', path, problems)
      ? date(input.coversFrom, path, 'coversFrom', problems)
      : undefined;
    const coversTo = required(input, 'coversTo', path, problems)
      ? date(input.coversTo, path, 'coversTo', problems)
      : undefined;
    const issued = input.issued === undefined ? undefined : date(input.issued, path, 'issued', problems);
    if (coversFrom !== undefined && coversTo !== undefined && coversTo < coversFrom)
      problems.push({ path: `${path}.coversTo`, message: `${coversTo} is before coversFrom ${coversFrom}` });
    if (problems.length !== before || coversFrom === undefined || coversTo === undefined) return undefined;
    const letter: BridgeLetter = { kind, coversFrom, coversTo };
    if (issued !== undefined) letter.issued = issued;
    return letter;
  }

  checkObject(input, path, 'a SOC report', SOC_FIELDS, problems);
  const typeII = kind === 'soc2-type2' || kind === 'soc1-type2';
  let periodStart: CalendarDate | undefined;
  if (typeII) {
    if (required(input, 'periodStart', path, problems))
      periodStart = date(input.periodStart, path, 'periodStart', problems);
  } else if (input.periodStart !== undefined) {
    // A Type I examines controls at one date; a start date usually means a Type II keyed in as a Type I,
    // which matters because a Type I is no basis for critical and high vendors.
    problems.push({
      path: `${path}.periodStart`,
      message: `a Type I report has no period start (its periodEnd is the "as of" date); is this a ${kind.replace('type1', 'type2')}?`,
    });
  }
  const periodEnd = required(input, 'periodEnd', path, problems)
    ? date(input.periodEnd, path, 'periodEnd', problems)
    : undefined;
  const issued = input.issued === undefined ? undefined : date(input.issued, path, 'issued', problems);
  const opinion = required(input, 'opinion', path, problems)
    ? oneOf(input.opinion, OPINION_SET, OPINIONS, 'an opinion', path, 'opinion', problems)
    : undefined;
  const auditor = input.auditor === undefined ? undefined : text(input.auditor, path, 'auditor', problems);
  const cats =
    input.categories === undefined ? undefined : categories(input.categories, path, 'categories', problems);
  const regs = input.regions === undefined ? undefined : regions(input.regions, path, 'regions', problems);
  const excs =
    input.exceptions === undefined ? undefined : exceptions(input.exceptions, path, 'exceptions', problems);
  // Section 9 puts subservice organisations and CUECs on SOC 2 reports only: on a SOC 1 the engine would never
  // look at them, so they are refused rather than kept unread.
  const soc2 = kind === 'soc2-type2' || kind === 'soc2-type1';
  let subs: SubserviceReference[] | undefined;
  let cues: Cuec[] | undefined;
  if (input.subservices !== undefined) {
    if (soc2) subs = subservices(input.subservices, `${path}.subservices`, problems, context);
    else problems.push(soc2Only(path, 'subservices', kind));
  }
  if (input.cuecs !== undefined) {
    if (soc2) cues = cuecs(input.cuecs, `${path}.cuecs`, problems);
    else problems.push(soc2Only(path, 'cuecs', kind));
  }

  if (periodStart !== undefined && periodEnd !== undefined && periodEnd < periodStart)
    problems.push({
      path: `${path}.periodEnd`,
      message: `${periodEnd} is before periodStart ${periodStart}`,
    });
  // An auditor cannot sign a report on a period that has not ended: almost always a typo in one of the dates.
  if (issued !== undefined && periodEnd !== undefined && issued < periodEnd)
    problems.push({
      path: `${path}.issued`,
      message: `${issued} is before the report's periodEnd ${periodEnd}`,
    });

  if (excs !== undefined && excs.length > DOCUMENT_LIMITS.exceptions)
    problems.push({
      path: `${path}.exceptions`,
      message: `lists ${excs.length} exceptions; at most ${DOCUMENT_LIMITS.exceptions}`,
    });
  if (regs !== undefined && regs.length > DOCUMENT_LIMITS.regions)
    problems.push({
      path: `${path}.regions`,
      message: `lists ${regs.length} regions; at most ${DOCUMENT_LIMITS.regions}`,
    });

  if (problems.length !== before || periodEnd === undefined || opinion === undefined) return undefined;
  const report: SocReport = { kind, periodEnd, opinion };
  if (periodStart !== undefined) report.periodStart = periodStart;
  if (issued !== undefined) report.issued = issued;
  if (auditor !== undefined) report.auditor = auditor;
  if (cats !== undefined) report.categories = cats;
  if (regs !== undefined) report.regions = regs;
  if (excs !== undefined) report.exceptions = excs;
  if (subs !== undefined) report.subservices = subs;
  if (cues !== undefined) report.cuecs = cues;
  // Only a document with lists can be large: measured then, not on every row of a big portfolio.
  if (excs?.length || cues?.length || subs?.length) {
    const bytes = Buffer.byteLength(JSON.stringify(report));
    if (bytes > DOCUMENT_LIMITS.bytes) {
      problems.push({
        path,
        message: `is too large (${bytes} bytes as JSON; at most ${DOCUMENT_LIMITS.bytes}): shorten its texts or lists`,
      });
      return undefined;
    }
  }
  return report;
}

/** The `documents` of a vendor or a subservice organisation at `path`: always an array (absent means none). */
function documentList(
  value: unknown,
  path: string,
  problems: Problem[],
  context: DocumentContext,
): VendorDocument[] {
  const documents: VendorDocument[] = [];
  if (value === undefined) return documents;
  if (!Array.isArray(value)) {
    problems.push({
      path: `${path}.documents`,
      message: `must be an array of documents, not ${typeName(value)}`,
    });
    return documents;
  }
  for (let i = 0; i < value.length; i++) {
    const doc = validateDocument(value[i], `${path}.documents[${i}]`, problems, context);
    if (doc) documents.push(doc);
  }
  return documents;
}

/** The name of a vendor or a subservice organisation: a non-blank string of at most MAX_TEXT characters. */
function entityName(input: Record<string, unknown>, path: string, problems: Problem[]): string | undefined {
  const name = required(input, 'name', path, problems) ? text(input.name, path, 'name', problems) : undefined;
  if (name === undefined || name.length <= MAX_TEXT) return name;
  problems.push({ path: `${path}.name`, message: `is too long (at most ${MAX_TEXT} characters)` });
  return undefined;
}

/**
 * Validates one subservice organisation at `path` (e.g. `subserviceOrganizations[2]`): `id` in the vendor-id
 * format, `name`, and `documents` exactly as a vendor's. Portfolio-wide rules (unique ids, no id shared with a
 * vendor) are parsePortfolio's.
 */
export function validateSubserviceOrganization(
  input: unknown,
  path: string,
  problems: Problem[],
  subserviceIds: ReadonlySet<string> = NO_CONTEXT.subserviceIds,
): SubserviceOrganization | undefined {
  const before = problems.length;
  if (!checkObject(input, path, 'a subservice organisation', SUBSERVICE_ORGANIZATION_FIELDS, problems))
    return undefined;
  let id: string | undefined;
  if (required(input, 'id', path, problems)) {
    if (typeof input.id === 'string' && ID_PATTERN.test(input.id)) id = input.id;
    else problems.push({ path: `${path}.id`, message: idProblem(input.id, 'subservice organisation') });
  }
  const name = entityName(input, path, problems);
  const context: DocumentContext =
    id === undefined ? { subserviceIds } : { subserviceIds, organizationId: id };
  const documents = documentList(input.documents, path, problems, context);
  if (problems.length !== before || id === undefined || name === undefined) return undefined;
  return { id, name, documents };
}

/**
 * Validates one vendor at `path` (e.g. `vendors[3]`), appending every problem to `problems`. Returns the
 * normalized vendor (documents always an array) when valid. Portfolio-wide rules (unique ids, a compliance lead
 * somewhere) are parsePortfolio's.
 */
export function validateVendor(
  input: unknown,
  path: string,
  problems: Problem[],
  context: DocumentContext = NO_CONTEXT,
): Vendor | undefined {
  const before = problems.length;
  if (!checkObject(input, path, 'a vendor', VENDOR_FIELDS, problems)) return undefined;
  let id: string | undefined;
  if (required(input, 'id', path, problems)) {
    if (typeof input.id === 'string' && ID_PATTERN.test(input.id)) id = input.id;
    else
      problems.push({
        path: `${path}.id`,
        message:
          typeof input.id === 'string'
            ? `${show(input.id)} is not a vendor id (${ID_RULE})`
            : `must be a string, not ${typeName(input.id)}`,
      });
  }
  const name = entityName(input, path, problems);
  const tier = required(input, 'tier', path, problems)
    ? oneOf(input.tier, TIER_SET, TIERS, 'a tier', path, 'tier', problems)
    : undefined;
  const managerEmail = required(input, 'managerEmail', path, problems)
    ? email(input.managerEmail, path, 'managerEmail', problems)
    : undefined;
  const contactEmail = required(input, 'contactEmail', path, problems)
    ? email(input.contactEmail, path, 'contactEmail', problems)
    : undefined;
  const lead =
    input.complianceLeadEmail === undefined
      ? undefined
      : email(input.complianceLeadEmail, path, 'complianceLeadEmail', problems);
  const dataRegions =
    input.dataRegions === undefined ? undefined : regions(input.dataRegions, path, 'dataRegions', problems);
  if (dataRegions !== undefined && dataRegions.length > DOCUMENT_LIMITS.regions)
    problems.push({
      path: `${path}.dataRegions`,
      message: `lists ${dataRegions.length} regions; at most ${DOCUMENT_LIMITS.regions}`,
    });
  const requiredCategories =
    input.requiredCategories === undefined
      ? undefined
      : categories(input.requiredCategories, path, 'requiredCategories', problems);
  const contractRenewal =
    input.contractRenewal === undefined
      ? undefined
      : date(input.contractRenewal, path, 'contractRenewal', problems);

  const documents = documentList(input.documents, path, problems, context);

  if (
    problems.length !== before ||
    id === undefined ||
    name === undefined ||
    tier === undefined ||
    managerEmail === undefined ||
    contactEmail === undefined
  )
    return undefined;
  const vendor: Vendor = { id, name, tier, managerEmail, contactEmail, documents };
  if (lead !== undefined) vendor.complianceLeadEmail = lead;
  if (dataRegions !== undefined) vendor.dataRegions = dataRegions;
  if (requiredCategories !== undefined) vendor.requiredCategories = requiredCategories;
  if (contractRenewal !== undefined) vendor.contractRenewal = contractRenewal;
  return vendor;
}

/** Validates a whole portfolio (already JSON-parsed). Throws ValidationError listing every problem. */
export function parsePortfolio(input: unknown): Portfolio {
  const problems: Problem[] = [];
  if (!checkObject(input, '', 'a portfolio', PORTFOLIO_FIELDS, problems)) {
    problems[0] = {
      path: '',
      message: `a portfolio must be a JSON object with a "vendors" array, not ${typeName(input)}`,
    };
    throw new ValidationError(problems);
  }
  // Unknown top-level fields were reported as ".field": name them without the leading dot.
  for (const p of problems) if (p.path.startsWith('.')) p.path = p.path.slice(1);
  const lead =
    input.complianceLeadEmail === undefined
      ? undefined
      : email(input.complianceLeadEmail, '', 'complianceLeadEmail', problems);
  // The ids a report's `subservices` may name, taken before anything is validated so that a reference to an
  // organisation with some other problem is not also reported as unknown.
  const rawOrganizations = Array.isArray(input.subserviceOrganizations)
    ? (input.subserviceOrganizations as unknown[])
    : undefined;
  const subserviceIds = new Set<string>();
  if (rawOrganizations)
    for (const raw of rawOrganizations)
      if (isRecord(raw) && typeof raw.id === 'string' && ID_PATTERN.test(raw.id)) subserviceIds.add(raw.id);
  const context: DocumentContext = { subserviceIds };
  const vendors: Vendor[] = [];
  const firstVendorIndexById = new Map<string, number>();
  if (input.vendors === undefined) {
    problems.push({ path: 'vendors', message: 'is required' });
  } else if (!Array.isArray(input.vendors)) {
    problems.push({
      path: 'vendors',
      message: `must be an array of vendors, not ${typeName(input.vendors)}`,
    });
  } else {
    const list = input.vendors as unknown[];
    const firstIndexById = firstVendorIndexById;
    for (let i = 0; i < list.length; i++) {
      const path = `vendors[${i}]`;
      const raw = list[i];
      const vendor = validateVendor(raw, path, problems, context);
      if (vendor) vendors.push(vendor);
      // Duplicates are checked on the raw id so that they are reported even when the vendor has other problems.
      const id = isRecord(raw) && typeof raw.id === 'string' ? raw.id : undefined;
      if (id !== undefined) {
        const first = firstIndexById.get(id);
        if (first === undefined) firstIndexById.set(id, i);
        else
          problems.push({
            path: `${path}.id`,
            message: `duplicate vendor id ${show(id)} (first at vendors[${first}])`,
          });
      }
      // Escalations need somebody to go to.
      if (
        lead === undefined &&
        input.complianceLeadEmail === undefined &&
        isRecord(raw) &&
        raw.complianceLeadEmail === undefined
      )
        problems.push({
          path: `${path}.complianceLeadEmail`,
          message:
            'is required when the portfolio has no complianceLeadEmail (escalations need a compliance lead)',
        });
    }
  }
  const organizations =
    input.subserviceOrganizations === undefined
      ? undefined
      : subserviceOrganizations(
          input.subserviceOrganizations,
          rawOrganizations,
          subserviceIds,
          firstVendorIndexById,
          problems,
        );
  if (problems.length > 0) throw new ValidationError(problems);
  const portfolio: Portfolio = { vendors };
  if (lead !== undefined) portfolio.complianceLeadEmail = lead;
  if (organizations !== undefined) portfolio.subserviceOrganizations = organizations;
  return portfolio;
}

/** The portfolio's `subserviceOrganizations` (spec section 9): each valid, ids unique and none a vendor's. */
function subserviceOrganizations(
  value: unknown,
  list: unknown[] | undefined,
  subserviceIds: ReadonlySet<string>,
  vendorIndexById: ReadonlyMap<string, number>,
  problems: Problem[],
): SubserviceOrganization[] | undefined {
  const path = 'subserviceOrganizations';
  if (list === undefined) {
    problems.push({ path, message: `must be an array of subservice organisations, not ${typeName(value)}` });
    return undefined;
  }
  if (
    tooMany(path, list.length, 'subservice organisations', SECTION9_LIMITS.subserviceOrganizations, problems)
  )
    return undefined;
  const out: SubserviceOrganization[] = [];
  const firstIndexById = new Map<string, number>();
  for (let i = 0; i < list.length; i++) {
    const p = `${path}[${i}]`;
    const raw = list[i];
    const organization = validateSubserviceOrganization(raw, p, problems, subserviceIds);
    if (organization) out.push(organization);
    const id = isRecord(raw) && typeof raw.id === 'string' ? raw.id : undefined;
    if (id === undefined) continue;
    const first = firstIndexById.get(id);
    if (first === undefined) firstIndexById.set(id, i);
    else
      problems.push({
        path: `${p}.id`,
        message: `duplicate subservice organisation id ${show(id)} (first at ${path}[${first}])`,
      });
    // One id, one thing: the audit trail, the findings register and the table key everything by id.
    const vendorIndex = vendorIndexById.get(id);
    if (vendorIndex !== undefined)
      problems.push({
        path: `${p}.id`,
        message: `${show(id)} is already the id of vendors[${vendorIndex}] (a subservice organisation needs an id of its own)`,
      });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON text: a file that is not JSON at all gets one problem with its line and column.

/** JSON.parse that turns a syntax error into a ValidationError naming the line and column. */
export function parseJsonText(text: string, what = 'the file'): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a UTF-8 BOM is not an error
  try {
    return JSON.parse(body);
  } catch (error) {
    const offset = jsonErrorOffset(body, (error as Error).message);
    const { line, column } = lineColumn(body, offset);
    const reason = (error as Error).message
      .replace(/,? ?"[\s\S]*" is not valid JSON$/, '')
      .replace(/ in JSON at position \d+.*$/, '');
    throw new ValidationError([
      { path: '', message: `${what} is not valid JSON: ${reason} at line ${line}, column ${column}` },
    ]);
  }
}

/** Parses and validates a portfolio file's text. */
export function parsePortfolioJson(text: string): Portfolio {
  return parsePortfolio(parseJsonText(text, 'the portfolio'));
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function jsonErrorOffset(text: string, message: string): number {
  const m = /at position (\d+)/.exec(message);
  if (m) return Number(m[1]);
  if (/Unexpected end of JSON input/.test(message)) return text.length;
  return scanForError(text);
}

/** Finds where JSON text first goes wrong, for V8 messages that do not say ("Unexpected token 'x', ..."). */
function scanForError(s: string): number {
  let i = 0;
  const ws = () => {
    while (i < s.length && ' \t\r\n'.includes(s.charAt(i))) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (s.charAt(i) !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++; // opening quote
    while (i < s.length && s.charAt(i) !== '"') {
      if (s.charCodeAt(i) < 0x20) fail();
      i += s.charAt(i) === '\\' ? 2 : 1;
    }
    if (i >= s.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(s.slice(i, i + 400));
    if (!m || m[0] === '' || m[0] === '-') fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = s.charAt(i);
    if (c === '{') {
      i++;
      ws();
      if (s.charAt(i) === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s.charAt(i) !== '"') fail();
        string();
        ws();
        if (s.charAt(i) !== ':') fail();
        i++;
        value();
        ws();
        if (s.charAt(i) === ',') i++;
        else if (s.charAt(i) === '}') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (s.charAt(i) === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (s.charAt(i) === ',') i++;
        else if (s.charAt(i) === ']') {
          i++;
          return;
        } else fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c >= '0' && c <= '9')) number();
    else fail();
  };
  try {
    value();
    ws();
    return i;
  } catch (at) {
    return typeof at === 'number' ? at : 0;
  }
}
