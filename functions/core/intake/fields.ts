// What intake assist reads from a report: the portfolio's document fields (spec section 1, and section 9's
// `cuecs` and `subservices`), each with the 1-based page it was read from. A field the rules could not find is
// absent, never guessed. Every string is a bounded, whitespace-collapsed substring of the report's own text:
// plain data, to be escaped wherever it is shown.
import type { CalendarDate } from '../dates.js';
import type { DocumentKind, Opinion, ReportException, TrustCategory } from '../portfolio.js';

/** A value and the page it was read from. */
export interface Cited<T> {
  value: T;
  page: number;
}

/** A list and the page it starts on; `pages[i]` is the page item i was read from. */
export interface CitedList<T> extends Cited<T[]> {
  pages: number[];
}

/** A complementary user-entity control as the report lists it (owner and status are the institution's). */
export interface ExtractedCuec {
  /** `cuec-N`, N from the report's own numbering ("CUEC-03", "3.") or the item's position. */
  id: string;
  text: string;
}

export type SubserviceMethod = 'carve-out' | 'inclusive';

/**
 * A subservice organisation as the report names it. The report cannot know the institution's ids for
 * subservice organisations, so `name` (as printed) stands where the portfolio has `id`; the review maps it.
 */
export interface ExtractedSubservice {
  name: string;
  method: SubserviceMethod;
}

export interface ExtractedFields {
  kind?: Cited<DocumentKind>;
  /** Type II reports: the first day of the period. */
  periodStart?: Cited<CalendarDate>;
  /** The last day of the period; a Type I's "as of" date. */
  periodEnd?: Cited<CalendarDate>;
  /** Bridge letters. */
  coversFrom?: Cited<CalendarDate>;
  coversTo?: Cited<CalendarDate>;
  /** The date of the service auditor's report (or of the bridge letter). */
  issued?: Cited<CalendarDate>;
  opinion?: Cited<Opinion>;
  /** For a qualified, adverse or disclaimed opinion: the auditor's stated basis (not a portfolio field). */
  opinionBasis?: Cited<string>;
  /** The firm's name as signed. */
  auditor?: Cited<string>;
  categories?: Cited<TrustCategory[]>;
  /** Each "Exception noted" in the tests of controls; an empty list when the report says "No exceptions noted". */
  exceptions?: CitedList<ReportException>;
  cuecs?: CitedList<ExtractedCuec>;
  subservices?: CitedList<ExtractedSubservice>;
}

/** The order of the fields in `bridgekeeper extract`'s JSON: the portfolio's document order. */
export const FIELD_ORDER = [
  'kind',
  'periodStart',
  'periodEnd',
  'coversFrom',
  'coversTo',
  'issued',
  'opinion',
  'opinionBasis',
  'auditor',
  'categories',
  'exceptions',
  'cuecs',
  'subservices',
] as const satisfies readonly (keyof ExtractedFields)[];

/**
 * Bounds on what is returned, whatever the report holds: within the portfolio's own limits, and small enough
 * that a hostile report cannot make a review page or an event large.
 */
export const EXTRACT_LIMITS = {
  /** An auditor's or subservice organisation's name. */
  name: 150,
  /** An exception's description or management response, a CUEC's text. */
  text: 1000,
  /** The basis of a modified opinion. */
  basis: 2000,
  exceptions: 200,
  cuecs: 100,
  subservices: 50,
} as const;
