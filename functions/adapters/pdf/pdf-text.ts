// The one place that reads PDFs: page texts out of a report's bytes, through unpdf (Mozilla's PDF.js built for
// serverless runtimes: pure JavaScript, no native code, no worker file, no network). Everything about the file is
// untrusted, so every dimension is bounded: bytes in, pages read, characters per page and in total. A PDF that
// has pages but no text (a scan) is a normal answer, not an error: the review falls back to manual entry.
import { getDocumentProxy } from 'unpdf';
import { ValidationError } from '../../core/errors.js';
import { MAX_UPLOAD_BYTES, PDF_MAGIC } from '../../core/upload-checks.js';

export interface PdfTextLimits {
  /** Larger files are refused before parsing (default: the upload limit, 50 MiB). */
  maxBytes: number;
  /** Pages after this many are not read (the result says `truncated`). */
  maxPages: number;
  /** A page's text is cut at this many characters. */
  maxCharsPerPage: number;
  /** Reading stops once the pages read hold this many characters. */
  maxTotalChars: number;
  /**
   * Reading stops (truncated) at the first page boundary after this long: PDF.js parses on the main thread, so a
   * hostile file could otherwise keep the function busy until its own timeout.
   */
  maxMillis: number;
}

/**
 * Defaults sized for SOC reports: the longest real ones run to a few hundred pages of about 4,000 characters;
 * 2 million characters (about 4 MB of strings) stays far inside a 512 MB function.
 */
export const PDF_TEXT_LIMITS: PdfTextLimits = {
  maxBytes: MAX_UPLOAD_BYTES,
  maxPages: 500,
  maxCharsPerPage: 20_000,
  maxTotalChars: 2_000_000,
  maxMillis: 20_000,
};

/** Fewer visible characters than this on every page: the PDF has no usable text layer (a scan, a stamp at most). */
export const MIN_TEXT_CHARS_PER_PAGE = 40;

export type PdfText =
  | {
      textLayer: true;
      /** The text of each page read, in order; page i + 1 is `pages[i]`. Lines are separated by "\n". */
      pages: string[];
      /** Pages in the file (more than `pages.length` when truncated). */
      pageCount: number;
      /** True when a limit stopped the reading or cut a page. */
      truncated: boolean;
    }
  | { textLayer: false; pageCount: number };

function refuse(message: string): ValidationError {
  return new ValidationError([{ path: '', message }]);
}

/** PDF.js names its errors; the ones that mean "this file is the problem" become a ValidationError. */
function asFileProblem(error: unknown): ValidationError | undefined {
  const name = (error as { name?: string } | null)?.name;
  if (name === 'PasswordException')
    return refuse('the PDF is protected by a password; please send it without the password');
  if (name === 'InvalidPDFException' || name === 'FormatError' || name === 'MissingPDFException')
    return refuse(`the file is not a readable PDF (${(error as Error).message})`);
  return undefined;
}

/**
 * Reads the text of each page. Throws ValidationError for a file that is not a PDF, is too large, is encrypted
 * or cannot be parsed; returns `{ textLayer: false }` for a PDF whose pages carry no text.
 */
export async function readPdfText(
  bytes: Uint8Array,
  limits: PdfTextLimits = PDF_TEXT_LIMITS,
): Promise<PdfText> {
  if (bytes.length === 0) throw refuse('the file is empty');
  if (bytes.length > limits.maxBytes)
    throw refuse(`the file is ${bytes.length} bytes; at most ${limits.maxBytes} are read`);
  // PDF.js would also try to repair a file with junk in front; a report that is not a PDF is refused outright.
  if (!Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 1024)).includes(PDF_MAGIC))
    throw refuse('the file is not a PDF (no %PDF- header)');

  let pdf;
  try {
    // PDF.js takes ownership of (detaches) the buffer it is given: hand it a copy.
    pdf = await getDocumentProxy(new Uint8Array(bytes), {
      // Nothing is loaded from anywhere but the bytes: no system or web fonts, no CMap or standard-font files
      // (unpdf would point PDF.js at pdfjs-dist's if it were installed), no WebAssembly, no worker fetches.
      // This PDF.js build contains no eval or Function constructor (a unit test checks), so the old
      // isEvalSupported switch is gone from its options.
      useSystemFonts: false,
      disableFontFace: true,
      standardFontDataUrl: undefined,
      cMapUrl: undefined,
      useWorkerFetch: false,
      useWasm: false,
      isImageDecoderSupported: false,
      isOffscreenCanvasSupported: false,
      disableAutoFetch: true,
      disableStream: true,
      enableXfa: false,
      stopAtErrors: false,
      // Text needs no pictures: no image larger than a megapixel is ever decoded (a page-sized bomb is not).
      maxImageSize: 1_000_000,
      // Errors only: warnings about a report's fonts are noise in the function's logs.
      verbosity: 0,
    });
  } catch (error) {
    throw asFileProblem(error) ?? error;
  }
  try {
    const pageCount = pdf.numPages;
    const pages: string[] = [];
    let total = 0;
    let truncated = pageCount > limits.maxPages;
    let withText = 0;
    // Monotonic time, not the wall clock: a budget for this call only.
    const deadline = performance.now() + limits.maxMillis;
    for (let n = 1; n <= Math.min(pageCount, limits.maxPages); n++) {
      if (n > 1 && performance.now() > deadline) {
        truncated = true;
        break;
      }
      const page = await pdf.getPage(n);
      let text = '';
      try {
        const content = await page.getTextContent();
        for (const item of content.items) {
          if (!('str' in item)) continue;
          text += item.hasEOL ? `${item.str}\n` : item.str;
          if (text.length > limits.maxCharsPerPage) break;
        }
      } catch (error) {
        throw asFileProblem(error) ?? error;
      } finally {
        page.cleanup();
      }
      if (text.length > limits.maxCharsPerPage) {
        text = text.slice(0, limits.maxCharsPerPage);
        truncated = true;
      }
      if (total + text.length > limits.maxTotalChars) {
        text = text.slice(0, limits.maxTotalChars - total);
        truncated = true;
      }
      if (text.replace(/\s+/g, '').length >= MIN_TEXT_CHARS_PER_PAGE) withText++;
      pages.push(text);
      total += text.length;
      if (total >= limits.maxTotalChars) {
        truncated = truncated || n < pageCount;
        break;
      }
    }
    if (withText === 0) return { textLayer: false, pageCount };
    return { textLayer: true, pages, pageCount, truncated };
  } catch (error) {
    throw asFileProblem(error) ?? error;
  } finally {
    await pdf.loadingTask.destroy();
  }
}
