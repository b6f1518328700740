// The report's text as the rules read it: page texts cleaned of what PDF producers add (ligatures, exotic spaces,
// soft and line-end hyphens, smart quotes, running headers and footers, page numbers) and joined into one string
// with a table of page offsets, so a rule can match across line breaks and still say which page it read.
//
// Report text is untrusted input: control characters are dropped here, so nothing downstream ever sees them, and
// the rules only ever copy substrings of it into plain data (never into markup, never into a pattern).

/** A report's cleaned text: `text` is every page joined by a newline; `starts[i]` is where page i + 1 begins. */
export interface ReportText {
  text: string;
  starts: number[];
  /** The cleaned lines with their offsets in `text`, for rules that read headings, lists and signatures. */
  lines: Line[];
}

export interface Line {
  text: string;
  start: number;
  page: number;
}

/** The 1-based page an offset of `text` falls on. */
export function pageAt(report: ReportText, offset: number): number {
  let lo = 0;
  let hi = report.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (report.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

// Characters with no place in a value: C0/C1 controls (except line breaks and tabs), bidi overrides and
// zero-width characters (which can hide text from a reviewer), the byte-order mark.
const INVISIBLE =
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const SPACES = /[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/g;
const DASHES = /[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g;
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u00b4`]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb]/g;
const BULLETS = /^[\u2022\u25cf\u25aa\u25a0\u25e6\u2023\u2043\u2219\u00b7\uf0b7\uf0a7]\s*/;

function cleanLine(line: string): string {
  return (
    line
      .normalize('NFKC')
      .replace(INVISIBLE, '')
      .replace(SPACES, ' ')
      .replace(DASHES, '-')
      .replace(SINGLE_QUOTES, "'")
      .replace(DOUBLE_QUOTES, '"')
      .replace(/ {2,}/g, ' ')
      .trim()
      // One bullet glyph for every producer's private-use or geometric bullet.
      .replace(BULLETS, '\u2022 ')
  );
}

const PAGE_NUMBER_LINE = /^(?:page\s+)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/i;

/** A header or footer line with its numbers blanked, so "Page 3 of 40" and "Page 4 of 40" are the same line. */
const shapeOf = (line: string) => line.toLowerCase().replace(/\d+/g, '#');

/**
 * Running headers and footers: a line shape among the first or last two lines of a page that recurs on at least
 * half of the pages (and three pages). Only those positions are looked at, because a body line such as "No
 * exceptions noted." also recurs on many pages and must stay.
 */
function boilerplate(pages: string[][]): Set<string> {
  const counts = new Map<string, number>();
  for (const lines of pages) {
    const edge = new Set([...lines.slice(0, 2), ...lines.slice(-2)].map(shapeOf));
    for (const shape of edge) counts.set(shape, (counts.get(shape) ?? 0) + 1);
  }
  const threshold = Math.max(3, Math.ceil(pages.length / 2));
  return new Set([...counts].filter(([, n]) => n >= threshold).map(([shape]) => shape));
}

/**
 * What the rules read at most, whoever calls them: the PDF adapter's own limits are tighter, these keep the
 * core bounded on its own.
 */
export const TEXT_LIMITS = { pages: 1000, charsPerPage: 50_000 } as const;

/** Cleans the page texts (as the PDF adapter returns them) and joins them for the rules. */
export function reportText(pageTexts: readonly string[]): ReportText {
  const pages = pageTexts.slice(0, TEXT_LIMITS.pages).map((page) =>
    page
      .slice(0, TEXT_LIMITS.charsPerPage)
      .split(/\r\n|\r|\n|\u2028|\u2029/)
      .map(cleanLine)
      .filter((line) => line !== ''),
  );
  const repeated = boilerplate(pages);
  const starts: number[] = [];
  const lines: Line[] = [];
  let text = '';
  pages.forEach((pageLines, index) => {
    if (index > 0) text += '\n';
    starts.push(text.length);
    const kept = pageLines.filter((line, i) => {
      const edge = i < 2 || i >= pageLines.length - 2;
      return !PAGE_NUMBER_LINE.test(line) && !(edge && repeated.has(shapeOf(line)));
    });
    // A word hyphenated at a line end is joined ("com-" + "plementary"); the rules accept both forms of the
    // compounds this can glue ("carve-out" read as "carveout").
    for (let i = 0; i < kept.length; i++) {
      let line = kept[i]!;
      while (i + 1 < kept.length && /[a-z]-$/.test(line) && /^[a-z]/.test(kept[i + 1]!)) {
        line = line.slice(0, -1) + kept[++i]!;
      }
      if (lines.length > 0 && lines[lines.length - 1]!.page === index + 1) text += '\n';
      lines.push({ text: line, start: text.length, page: index + 1 });
      text += line;
    }
  });
  return { text, starts, lines };
}

/** Collapses the whitespace of a piece of report text and bounds its length, for a value the rules return. */
export function boundedText(raw: string, max: number): string {
  const flat = raw.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  // Cut at a word boundary when one is near, and say that it was cut.
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.8 ? cut.slice(0, space) : cut}\u2026`;
}
