// Intake assist's rules, end to end: page texts in, the document fields a reviewer would otherwise retype out,
// each with the page it was read from. Pure and deterministic (no I/O, no clock); the PDF adapter
// (functions/adapters/pdf) supplies the page texts. Nothing here is ever accepted automatically: the fields
// pre-fill the review and show where the vendor's entries disagree with its own document.
import { EXTRACT_LIMITS, FIELD_ORDER, type ExtractedFields } from './fields.js';
import { findCuecs, findExceptions, findSubservices } from './list-rules.js';
import {
  auditorLetter,
  findAsOf,
  findCategories,
  findCover,
  findKind,
  findLetterDate,
  findOpinion,
  findOpinionBasis,
  findPeriod,
  findSignature,
} from './report-rules.js';
import { reportText } from './text.js';

/**
 * The fields a report's text states. Which fields are looked for follows from the kind: a bridge letter has
 * its cover and date only; a Type I has an "as of" date (`periodEnd`) and no tests of operating effectiveness;
 * Trust Services Categories, CUECs and subservice organisations are SOC 2 fields (spec sections 1 and 9).
 */
export function extractReportFields(pageTexts: readonly string[]): ExtractedFields {
  const report = reportText(pageTexts);
  const letter = auditorLetter(report);
  const period = findPeriod(report, letter);
  const asOf = findAsOf(report, letter);
  const kind = findKind(report, Boolean(period?.to), asOf !== undefined);
  const fields: ExtractedFields = {};
  if (kind) fields.kind = kind;

  if (kind?.value === 'bridge-letter') {
    const cover = findCover(report);
    if (cover?.from) fields.coversFrom = cover.from;
    if (cover?.to) fields.coversTo = cover.to;
    const issued = findLetterDate(report);
    if (issued) fields.issued = issued;
    return ordered(fields);
  }

  const typeOne = kind?.value.endsWith('type1');
  if (typeOne || (!period && asOf)) {
    if (asOf) fields.periodEnd = asOf;
  } else if (period) {
    if (period.from) fields.periodStart = period.from;
    if (period.to) fields.periodEnd = period.to;
  }

  const found = findOpinion(report, letter);
  if (found) {
    fields.opinion = found.opinion;
    if (found.opinion.value !== 'unqualified') {
      const basis = findOpinionBasis(report, letter, EXTRACT_LIMITS.basis);
      if (basis) fields.opinionBasis = basis;
    }
  }
  const signature = findSignature(report, letter, found?.at ?? 0, EXTRACT_LIMITS.name);
  if (signature.issued) fields.issued = signature.issued;
  if (signature.auditor) fields.auditor = signature.auditor;

  const soc1 = kind?.value.startsWith('soc1');
  if (!soc1) {
    const categories = findCategories(report, letter);
    if (categories) fields.categories = categories;
  }
  if (!typeOne) {
    const exceptions = findExceptions(report);
    if (exceptions) fields.exceptions = exceptions;
  }
  if (!soc1) {
    const cuecs = findCuecs(report);
    if (cuecs) fields.cuecs = cuecs;
    const subservices = findSubservices(report);
    if (subservices) fields.subservices = subservices;
  }
  return ordered(fields);
}

/** The same fields, keys in the portfolio's document order (what `bridgekeeper extract` prints). */
function ordered(fields: ExtractedFields): ExtractedFields {
  const out: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) if (fields[key] !== undefined) out[key] = fields[key];
  return out as ExtractedFields;
}
