// What the manager records at review besides the decision (spec section 9): the report's CUECs, each with an
// owner at the institution and a status, and its subservice organisations with their method, each an existing
// organisation or a new one; and, where intake assist read the report, which value to take where the vendor's
// entry and the report disagree. Pure: the form's fields in, the document as it would be accepted out, or every
// problem named. Bounded like every other input (REVIEW_LIMITS, and the portfolio's own DOCUMENT_LIMITS).
import { ValidationError, type Problem } from './errors.js';
import { applyTakes, COMPARED_FIELDS, sameFirm, type ComparedField, type Takes } from './intake/compare.js';
import type { StoredExtraction } from './intake/stored.js';
import {
  CUEC_STATUSES,
  isSocReport,
  SECTION9_LIMITS,
  SUBSERVICE_METHODS,
  validateDocument,
  type Cuec,
  type CuecStatus,
  type SubserviceMethod,
  type SubserviceReference,
  type VendorDocument,
} from './portfolio.js';

/** Bounds on one review form (beside the portfolio's per-document limits, which the result is held to). */
export const REVIEW_LIMITS = Object.freeze({
  /** The whole form as sent (URL-encoded), refused above. */
  formBytes: 200 * 1024,
  cuecs: 100,
  subservices: 50,
  cuecId: SECTION9_LIMITS.cuecIdLength,
  cuecText: SECTION9_LIMITS.cuecTextLength,
  organizationName: 200,
});

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
const EMAIL_PATTERN =
  /^[^\s@"(),:;<>[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** A subservice organisation the manager creates at review (its record is registered before the acceptance). */
export interface NewOrganization {
  id: string;
  name: string;
}

export interface ReviewEntries {
  takes: Takes;
  /** Undefined: the form had no CUEC section (a bridge letter, an organisation's own report). */
  cuecs?: Cuec[];
  subservices?: SubserviceReference[];
  newOrganizations: NewOrganization[];
}

/** The form as the review page sends it: each name with all its values, in order. */
export type ReviewForm = { getAll(name: string): string[]; get(name: string): string | null };

const clean = (value: string | undefined) => (value ?? '').trim();

/** The id a new organisation gets from its name unless the manager types another ("Amazon Web Services, Inc." -> amazon-web-services-inc). */
export function organizationIdFor(name: string): string {
  const id = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
  return id === '' ? 'organization' : id;
}

/**
 * Reads the review form's section 9 rows and field choices. `known` are the ids of the subservice organisations
 * already on record (and `vendorIds` those of vendors: an id is one thing). Every problem is named by row.
 */
export function parseReviewEntries(
  form: ReviewForm,
  options: { known: ReadonlySet<string>; isVendor: (id: string) => boolean; withSection9: boolean },
): ReviewEntries {
  const problems: Problem[] = [];
  const takes: Takes = {};
  for (const field of COMPARED_FIELDS) {
    const choice = form.get(`take.${field}`);
    if (choice === null || choice === '') continue;
    if (choice !== 'entry' && choice !== 'report')
      problems.push({ path: `take.${field}`, message: 'choose the vendor’s entry or the report’s value' });
    else takes[field as ComparedField] = choice;
  }
  const entries: ReviewEntries = { takes, newOrganizations: [] };
  if (!options.withSection9) {
    if (problems.length) throw new ValidationError(problems);
    return entries;
  }

  // CUECs: rows of id, text, owner, status; a row left entirely blank is no row.
  const ids = form.getAll('cuec-id');
  const texts = form.getAll('cuec-text');
  const owners = form.getAll('cuec-owner');
  const statuses = form.getAll('cuec-status');
  const rows = Math.max(ids.length, texts.length, owners.length, statuses.length);
  const cuecs: Cuec[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < rows; i++) {
    const [id, text, owner, status] = [ids[i], texts[i], owners[i], statuses[i]].map(clean) as [
      string,
      string,
      string,
      string,
    ];
    if (id === '' && text === '' && owner === '' && status === '') continue;
    const at = `CUEC ${cuecs.length + 1}`;
    if (cuecs.length >= REVIEW_LIMITS.cuecs) {
      problems.push({ path: 'cuecs', message: `at most ${REVIEW_LIMITS.cuecs} CUECs per report` });
      break;
    }
    if (id === '')
      problems.push({ path: `${at} id`, message: 'give the report’s label for it (e.g. CUEC-3)' });
    else if (id.length > REVIEW_LIMITS.cuecId)
      problems.push({ path: `${at} id`, message: `at most ${REVIEW_LIMITS.cuecId} characters` });
    else if (seen.has(id))
      problems.push({ path: `${at} id`, message: `${id} is already CUEC ${seen.get(id)! + 1}` });
    if (text === '')
      problems.push({ path: `${at} text`, message: 'give the control’s text as the report states it' });
    else if (text.length > REVIEW_LIMITS.cuecText)
      problems.push({ path: `${at} text`, message: `at most ${REVIEW_LIMITS.cuecText} characters` });
    if (owner !== '' && (owner.length > 254 || !EMAIL_PATTERN.test(owner)))
      problems.push({ path: `${at} owner`, message: `${owner.slice(0, 60)} is not an e-mail address` });
    if (status !== '' && !(CUEC_STATUSES as readonly string[]).includes(status))
      problems.push({ path: `${at} status`, message: `choose one of: ${CUEC_STATUSES.join(', ')}` });
    if (id !== '') seen.set(id, cuecs.length);
    cuecs.push({
      id,
      text,
      ...(owner !== '' ? { owner } : {}),
      ...(status !== '' ? { status: status as CuecStatus } : {}),
    });
  }

  // Subservice organisations: rows of (existing id | "new" with id and name | "" = not one), method.
  const picks = form.getAll('sub-org');
  const newIds = form.getAll('sub-new-id');
  const newNames = form.getAll('sub-new-name');
  const methods = form.getAll('sub-method');
  const subservices: SubserviceReference[] = [];
  const used = new Map<string, number>();
  const created = new Map<string, NewOrganization>();
  for (let i = 0; i < picks.length; i++) {
    const pick = clean(picks[i]);
    if (pick === '') continue;
    const at = `subservice organisation ${subservices.length + 1}`;
    if (subservices.length >= REVIEW_LIMITS.subservices) {
      problems.push({
        path: 'subservices',
        message: `at most ${REVIEW_LIMITS.subservices} subservice organisations per report`,
      });
      break;
    }
    const rowStart = problems.length;
    const method = clean(methods[i]);
    if (!(SUBSERVICE_METHODS as readonly string[]).includes(method))
      problems.push({ path: `${at} method`, message: `choose ${SUBSERVICE_METHODS.join(' or ')}` });
    let id = pick;
    if (pick === 'new') {
      id = clean(newIds[i]);
      const name = clean(newNames[i]);
      if (!ID_PATTERN.test(id))
        problems.push({
          path: `${at} id`,
          message: `${id.slice(0, 60) || '(blank)'} is not an id (1-64 of a-z, 0-9 and -, starting with a letter or digit)`,
        });
      else if (options.known.has(id))
        problems.push({ path: `${at} id`, message: `${id} already exists: pick it from the list` });
      else if (options.isVendor(id))
        problems.push({ path: `${at} id`, message: `${id} is a vendor's id; give the organisation its own` });
      if (name === '') problems.push({ path: `${at} name`, message: 'give the organisation’s name' });
      else if (name.length > REVIEW_LIMITS.organizationName)
        problems.push({
          path: `${at} name`,
          message: `at most ${REVIEW_LIMITS.organizationName} characters`,
        });
      const earlier = created.get(id);
      if (earlier && earlier.name !== name)
        problems.push({
          path: `${at} id`,
          message: `${id} is already a new organisation named ${earlier.name}`,
        });
      if (ID_PATTERN.test(id) && name !== '' && !earlier) created.set(id, { id, name });
    } else if (!options.known.has(pick)) {
      problems.push({
        path: `${at}`,
        message: `${pick.slice(0, 60)} is not a subservice organisation on record`,
      });
    }
    if (used.has(id))
      problems.push({
        path: `${at}`,
        message: `${id} is already subservice organisation ${used.get(id)! + 1}`,
      });
    // A refused new organisation names nothing (a later row is not a duplicate of it).
    else if (pick !== 'new' || problems.length === rowStart) used.set(id, subservices.length);
    subservices.push({ id, method: method as SubserviceMethod });
  }
  if (problems.length) throw new ValidationError(problems);
  return { ...entries, cuecs, subservices, newOrganizations: [...created.values()] };
}

/**
 * The document as it would be accepted: the vendor's entries, the report's value where the manager took it, and
 * the CUECs and subservice organisations recorded (a SOC 2 report only). Validated with the portfolio's rules
 * (dates, size), the new organisations counting as known. Throws ValidationError naming every problem.
 */
export function acceptedDocument(
  entered: VendorDocument,
  extraction: StoredExtraction | undefined,
  entries: ReviewEntries,
  known: ReadonlySet<string>,
  organizationId?: string,
): VendorDocument {
  const taken = applyTakes(entered, extraction, entries.takes);
  const candidate = structuredClone(taken) as unknown as Record<string, unknown>;
  if (isSocReport(taken) && taken.kind.startsWith('soc2')) {
    if (entries.cuecs !== undefined) {
      if (entries.cuecs.length) candidate.cuecs = entries.cuecs;
      else delete candidate.cuecs;
    }
    if (entries.subservices !== undefined) {
      if (entries.subservices.length) candidate.subservices = entries.subservices;
      else delete candidate.subservices;
    }
  }
  const problems: Problem[] = [];
  const subserviceIds = new Set([...known, ...entries.newOrganizations.map((o) => o.id)]);
  const document = validateDocument(candidate, 'document', problems, {
    subserviceIds,
    ...(organizationId ? { organizationId } : {}),
  });
  if (problems.length || !document)
    throw new ValidationError(problems.map((p) => ({ ...p, path: p.path.replace(/^document\.?/, '') })));
  return document;
}

/** One CUEC row of the review form as shown (values as typed, or pre-filled from the document or the report). */
export interface CuecRow {
  id: string;
  text: string;
  owner: string;
  status: string;
  /** The page of the report it was read from, when pre-filled from the report. */
  page?: number;
}

/** One subservice organisation row: `pick` is an organisation's id, `new`, or '' (not one of the report's). */
export interface SubserviceRow {
  /** The name as the report prints it, when pre-filled from the report. */
  printed?: string;
  page?: number;
  pick: string;
  newId: string;
  newName: string;
  method: string;
}

export interface ReviewFormRows {
  cuecs: CuecRow[];
  subservices: SubserviceRow[];
  takes: Takes;
}

/** Blank rows the form offers below the filled ones (the page's script adds more). */
export const BLANK_ROWS = { cuecs: 2, subservices: 1 } as const;

const blankCuec = (): CuecRow => ({ id: '', text: '', owner: '', status: '' });
const blankSubservice = (): SubserviceRow => ({ pick: '', newId: '', newName: '', method: '' });

/**
 * The rows the review form starts with: what the document already records, else what intake assist read from
 * the report (marked with its page: the manager confirms or changes each), then blank rows. A name the report
 * prints is matched to an organisation on record by name; otherwise a new one is proposed, id from the name.
 */
export function initialRows(
  document: VendorDocument,
  extraction: StoredExtraction | undefined,
  organizations: readonly { id: string; name: string }[],
): ReviewFormRows {
  const fields = extraction && 'textLayer' in extraction && extraction.textLayer ? extraction.fields : {};
  const soc = isSocReport(document) ? document : undefined;
  const cuecs: CuecRow[] = soc?.cuecs?.length
    ? soc.cuecs.map((c) => ({ id: c.id, text: c.text, owner: c.owner ?? '', status: c.status ?? '' }))
    : (fields.cuecs?.value ?? []).map((c, i) => ({
        id: c.id,
        text: c.text,
        owner: '',
        status: '',
        page: fields.cuecs!.pages[i] ?? fields.cuecs!.page,
      }));
  const subservices: SubserviceRow[] = soc?.subservices?.length
    ? soc.subservices.map((r) => ({ pick: r.id, newId: '', newName: '', method: r.method }))
    : (fields.subservices?.value ?? []).map((o, i) => {
        const known = organizations.find((k) => sameFirm(k.name, o.name));
        return {
          printed: o.name,
          page: fields.subservices!.pages[i] ?? fields.subservices!.page,
          pick: known ? known.id : 'new',
          newId: known ? '' : organizationIdFor(o.name),
          newName: known ? '' : o.name,
          method: o.method,
        };
      });
  return {
    cuecs: [...cuecs, ...Array.from({ length: BLANK_ROWS.cuecs }, blankCuec)],
    subservices: [...subservices, ...Array.from({ length: BLANK_ROWS.subservices }, blankSubservice)],
    takes: {},
  };
}

/** The rows as the manager sent them (to show them again with the problems, or in a preview). */
export function rowsFromForm(form: ReviewForm): ReviewFormRows {
  const all = (name: string) => form.getAll(name);
  const [ids, texts, owners, statuses] = ['cuec-id', 'cuec-text', 'cuec-owner', 'cuec-status'].map(all) as [
    string[],
    string[],
    string[],
    string[],
  ];
  const cuecs: CuecRow[] = [];
  const rows = Math.min(Math.max(ids.length, texts.length), REVIEW_LIMITS.cuecs + BLANK_ROWS.cuecs);
  for (let i = 0; i < rows; i++)
    cuecs.push({ id: ids[i] ?? '', text: texts[i] ?? '', owner: owners[i] ?? '', status: statuses[i] ?? '' });
  const [picks, newIds, newNames, methods, printed] = [
    'sub-org',
    'sub-new-id',
    'sub-new-name',
    'sub-method',
    'sub-printed',
  ].map(all) as [string[], string[], string[], string[], string[]];
  const subservices: SubserviceRow[] = [];
  for (let i = 0; i < Math.min(picks.length, REVIEW_LIMITS.subservices + BLANK_ROWS.subservices); i++)
    subservices.push({
      ...(printed[i] ? { printed: printed[i] } : {}),
      pick: picks[i] ?? '',
      newId: newIds[i] ?? '',
      newName: newNames[i] ?? '',
      method: methods[i] ?? '',
    });
  const takes: Takes = {};
  for (const field of COMPARED_FIELDS) {
    const choice = form.get(`take.${field}`);
    if (choice === 'entry' || choice === 'report') takes[field] = choice;
  }
  return { cuecs, subservices, takes };
}
