// What intake assist's answer becomes on a vendor's record: the `document-extracted` event and the pending
// document it is shown beside at review. Bounded twice over: the rules already cut every value
// (EXTRACT_LIMITS), and here the whole answer is cut to fit one event of a record that must stay far below
// DynamoDB's item limit (docs/data-model.md, "Bounded records"). Report text stays plain data all the way.
import { FIELD_ORDER, type ExtractedFields } from './fields.js';

export type StoredExtraction =
  | {
      textLayer: true;
      fields: ExtractedFields;
      pageCount: number;
      pagesRead: number;
      /** The reading stopped at a limit (the fields come from the first `pagesRead` pages). */
      truncated: boolean;
      /** Items were dropped from the end of the longest lists so that the answer fits STORED_EXTRACTION_BYTES. */
      trimmed?: true;
    }
  /** A scan: nothing to read; the manager enters the fields by hand. */
  | { textLayer: false; pageCount: number }
  /** The file could not be read as a PDF (the reason, bounded). */
  | { failed: string };

/** The most an extraction may weigh as JSON on the record (a pending document's share of its 256 KB). */
export const STORED_EXTRACTION_BYTES = 24 * 1024;
/** The most a failure's reason keeps. */
export const MAX_FAILURE_REASON = 300;

type ListField = 'exceptions' | 'cuecs' | 'subservices';
const LIST_FIELDS: readonly ListField[] = ['exceptions', 'cuecs', 'subservices'];

const bytesOf = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

/**
 * The extraction as stored: keys in the portfolio's order, and at most STORED_EXTRACTION_BYTES, cutting the last
 * items of the longest list first (a list keeps its `pages` aligned with its items).
 */
export function storedExtraction(extraction: StoredExtraction): StoredExtraction {
  if ('failed' in extraction)
    return { failed: extraction.failed.slice(0, MAX_FAILURE_REASON) || 'the file could not be read' };
  if (!extraction.textLayer) return { textLayer: false, pageCount: extraction.pageCount };
  const fields: Record<string, unknown> = {};
  for (const key of FIELD_ORDER) {
    const value = extraction.fields[key];
    if (value !== undefined) fields[key] = structuredClone(value);
  }
  const out: StoredExtraction = {
    textLayer: true,
    fields: fields as ExtractedFields,
    pageCount: extraction.pageCount,
    pagesRead: extraction.pagesRead,
    truncated: extraction.truncated,
    ...(extraction.trimmed ? { trimmed: true as const } : {}),
  };
  while (bytesOf(out) > STORED_EXTRACTION_BYTES) {
    const lists = LIST_FIELDS.map((name) => ({ name, list: out.fields[name] }))
      .filter((l) => l.list !== undefined && l.list.value.length > 0)
      .sort((a, b) => bytesOf(b.list) - bytesOf(a.list));
    const longest = lists[0];
    if (!longest?.list) {
      // Only single values left and still too large (cannot happen within EXTRACT_LIMITS): keep the kind only.
      for (const key of Object.keys(fields)) if (key !== 'kind') delete fields[key];
      out.trimmed = true;
      break;
    }
    longest.list.value.pop();
    longest.list.pages.pop();
    out.trimmed = true;
  }
  return out;
}
