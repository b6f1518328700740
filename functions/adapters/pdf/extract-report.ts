// The extraction path, bytes to fields: the PDF adapter's page texts through intake assist's rules. This module
// is the entry the extraction bundle is measured from (bench/extract) and what `bridgekeeper extract` runs;
// the function that will run it on AWS needs nothing else.
import { extractReportFields } from '../../core/intake/extract.js';
import type { ExtractedFields } from '../../core/intake/fields.js';
import { PDF_TEXT_LIMITS, readPdfText, type PdfTextLimits } from './pdf-text.js';

export type ReportExtraction =
  | {
      textLayer: true;
      fields: ExtractedFields;
      pageCount: number;
      /** The pages read (fewer than `pageCount` when a limit stopped the reading). */
      pagesRead: number;
      truncated: boolean;
    }
  /** A scan: nothing to read, the reviewer enters the fields by hand. */
  | { textLayer: false; pageCount: number };

/** Reads a report's fields. Throws ValidationError for a file that is not a readable PDF. */
export async function extractReport(
  bytes: Uint8Array,
  limits: PdfTextLimits = PDF_TEXT_LIMITS,
): Promise<ReportExtraction> {
  const text = await readPdfText(bytes, limits);
  if (!text.textLayer) return text;
  return {
    textLayer: true,
    fields: extractReportFields(text.pages),
    pageCount: text.pageCount,
    pagesRead: text.pages.length,
    truncated: text.truncated,
  };
}
