// The rules for a report's single-valued fields: kind, period or "as of" date, opinion and its basis, the
// auditor who signed and when, the Trust Services Categories. Deterministic patterns over the cleaned text
// (functions/core/intake/text.ts) written from the AICPA's illustrative wording for SOC 1 and SOC 2 reports;
// every pattern takes `\s+` between words, so line breaks and spacing never matter.
//
// Where a report states a thing more than once (the cover, the contents, the opinion letter, management's
// assertion), the rules read it from the service auditor's letter when they can find it: that is what the
// auditor signed.
import type { CalendarDate } from '../dates.js';
import type { DocumentKind, Opinion, TrustCategory } from '../portfolio.js';
import type { Cited } from './fields.js';
import { DATE, parseProseDate } from './prose-dates.js';
import { boundedText, pageAt, type Line, type ReportText } from './text.js';

/** A stretch of the report's text: [start, end). */
export interface Region {
  start: number;
  end: number;
}

export const whole = (report: ReportText): Region => ({ start: 0, end: report.text.length });

/** The first match of `pattern` inside a region, with offsets in the whole text. */
export function firstMatch(
  report: ReportText,
  pattern: RegExp,
  region: Region = whole(report),
): RegExpExecArray | undefined {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  re.lastIndex = region.start;
  const m = re.exec(report.text);
  return m && m.index < region.end ? m : undefined;
}

/** Every match of `pattern` inside a region, in order. */
export function allMatches(
  report: ReportText,
  pattern: RegExp,
  region: Region = whole(report),
): RegExpExecArray[] {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  re.lastIndex = region.start;
  const out: RegExpExecArray[] = [];
  for (let m = re.exec(report.text); m && m.index < region.end; m = re.exec(report.text)) {
    out.push(m);
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

const TERMINAL = /[.;:!?]["')]?$/;

/** A table-of-contents line: dot leaders, or a title followed by a page number. */
export const isContentsLine = (line: string) => /\.{4,}|\s\d{1,3}$/.test(line);

/**
 * A heading: a short line without closing punctuation, most of whose longer words are capitalised, that starts a
 * block (the line before it ended a sentence, or was itself short).
 */
export function isHeading(line: string, previous: string | undefined): boolean {
  if (line.length > 100 || /[.,;]$/.test(line) || !/^[A-Z0-9("]/.test(line)) return false;
  if (previous !== undefined && !TERMINAL.test(previous) && previous.length > 60) return false;
  const words = line.split(' ').filter((w) => /^[A-Za-z]{4,}/.test(w));
  if (words.length === 0) return true;
  return words.filter((w) => /^[A-Z]/.test(w)).length / words.length >= 0.5;
}

/** The line before line i when it is on the same page (a heading is read against its own page only). */
export function previousOnPage(lines: readonly Line[], i: number): string | undefined {
  const before = lines[i - 1];
  return before && before.page === lines[i]!.page ? before.text : undefined;
}

/** The index in `report.lines` of the line holding an offset. */
export function lineAt(report: ReportText, offset: number): number {
  let lo = 0;
  let hi = report.lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (report.lines[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

const cite = <T>(report: ReportText, value: T, offset: number): Cited<T> => ({
  value,
  page: pageAt(report, offset),
});

// ---------------------------------------------------------------------------------------------------------------
// The service auditor's letter

const LETTER_HEADING =
  /^(?:section\s+(?:[ivx]+|\d+)\s*[:.-]?\s*)?(?:independent\s+service\s+auditors?'?s?'?\s+report|report\s+of\s+(?:the\s+)?independent\s+service\s+auditors?|independent\s+(?:auditors?|accountants?)'?s?'?\s+report)\b/i;
const AFTER_LETTER =
  /^(?:section\s+(?:[ivx]+|\d+)\b|management'?s\s+assertion\b|assertion\s+(?:of|by)\b|.*'s\s+description\s+of\s+its\b)/i;
/** The longest opinion letters run to four or five pages. */
const LETTER_MAX_PAGES = 6;

/** Where the service auditor's letter is: from its heading to the next section, or undefined without one. */
export function auditorLetter(report: ReportText): Region | undefined {
  const lines = report.lines;
  const at = lines.findIndex(
    (l, i) =>
      LETTER_HEADING.test(l.text) && !isContentsLine(l.text) && isHeading(l.text, previousOnPage(lines, i)),
  );
  if (at < 0) return undefined;
  const first = lines[at]!;
  let end = report.text.length;
  for (let i = at + 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.page > first.page + LETTER_MAX_PAGES - 1) {
      end = l.start;
      break;
    }
    if (AFTER_LETTER.test(l.text) && isHeading(l.text, previousOnPage(lines, i))) {
      end = l.start;
      break;
    }
  }
  return { start: first.start, end };
}

// ---------------------------------------------------------------------------------------------------------------
// Kind

const SOC_AND_TYPE = /\bSOC\s*([12])\s*(?:®|\(r\))?\s*[,-]?\s*type\s*(ii|i|2|1)\b/i;
const SOC_ONLY = /\bSOC\s*([12])\b(?!\s*\.\d)/i;
const TYPE_ONLY = /\btype\s*(ii|i|2|1)\b/i;
const BRIDGE = /\b(?:bridge|gap)\s+letter\b/i;
const IN_OUR_OPINION = /\bin\s+our\s+opinion\b/i;
const SOC2_SIGNS = /\btrust\s+services\s+criteria\b|\bAT-C\s+(?:section\s+)?205\b/i;
const SOC1_SIGNS = /\binternal\s+control\s+over\s+financial\s+reporting\b|\bAT-C\s+(?:section\s+)?320\b/i;

const typeOf = (t: string) => (t === '2' || t.toLowerCase() === 'ii' ? 'type2' : 'type1');

/** The front of a report (its cover and contents), where the kind is named. */
const front = (report: ReportText, pages: number): Region => ({
  start: 0,
  end: report.starts[pages] ?? report.text.length,
});

/**
 * A bridge letter names itself and carries no opinion. A SOC report names its family and type on the cover
 * ("SOC 2® Type 2 Report"); failing that, the wording tells (trust services criteria or financial reporting;
 * a period or an "as of" date).
 */
export function findKind(
  report: ReportText,
  hasPeriod: boolean,
  hasAsOf: boolean,
): Cited<DocumentKind> | undefined {
  const bridge = firstMatch(report, BRIDGE, front(report, 2));
  if (bridge && !firstMatch(report, IN_OUR_OPINION)) return cite(report, 'bridge-letter', bridge.index);

  const early = front(report, 5);
  const both = firstMatch(report, SOC_AND_TYPE, early);
  if (both) return cite(report, `soc${both[1]}-${typeOf(both[2]!)}` as DocumentKind, both.index);

  const soc = firstMatch(report, SOC_ONLY, early);
  const family = soc
    ? soc[1]
    : firstMatch(report, SOC2_SIGNS)
      ? '2'
      : firstMatch(report, SOC1_SIGNS)
        ? '1'
        : undefined;
  if (!family) return undefined;
  const type = firstMatch(report, TYPE_ONLY, early);
  const kind = type ? typeOf(type[1]!) : hasPeriod ? 'type2' : hasAsOf ? 'type1' : undefined;
  if (!kind) return undefined;
  return cite(report, `soc${family}-${kind}` as DocumentKind, (type ?? soc)?.index ?? 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Dates: the period, the "as of" date, a bridge letter's cover

const RANGE_TO = '(?:to|through|thru|until|till|and\\s+ending(?:\\s+on)?|ending(?:\\s+on)?|-)';
const PERIOD = new RegExp(
  `\\bperiod\\s+(?:(?:beginning|starting|commencing)\\s+(?:on\\s+)?)?(?:from\\s+|of\\s+)?(${DATE})\\s*,?\\s*${RANGE_TO}\\s+(${DATE})`,
  'i',
);
const COVERS = new RegExp(
  `\\b(?:covers|covering|bridges|bridging)\\s+the\\s+(?:[a-z]+\\s+){0,2}?period\\s+(?:from\\s+|of\\s+)?(${DATE})\\s*,?\\s*${RANGE_TO}\\s+(${DATE})`,
  'i',
);
const AS_OF = new RegExp(`\\bas\\s+of\\s+(${DATE})`, 'i');

export interface Span {
  from: Cited<CalendarDate>;
  to: Cited<CalendarDate>;
}

/**
 * A period "from D1 to D2": both dates must be real and in order; an impossible date leaves that date out, two
 * dates in the wrong order leave both out (they cannot both be right).
 */
function spanOf(report: ReportText, m: RegExpExecArray): Partial<Span> {
  const from = parseProseDate(m[1]!);
  const to = parseProseDate(m[2]!);
  if (from && to && from > to) return {};
  const at = (group: number) => m.index + m[0].indexOf(m[group]!);
  return {
    ...(from ? { from: cite(report, from, at(1)) } : {}),
    ...(to ? { to: cite(report, to, at(2)) } : {}),
  };
}

const PERIOD_ENDED = new RegExp(`\\bperiod\\s+ended\\s+(?:on\\s+)?(${DATE})`, 'i');

/**
 * The examination period; "for the twelve-month period ended D" gives its end only (the start is not stated,
 * and twelve months is not always what "twelve-month" turns out to mean in a report).
 */
export function findPeriod(report: ReportText, letter: Region | undefined): Partial<Span> | undefined {
  const m = (letter && firstMatch(report, PERIOD, letter)) ?? firstMatch(report, PERIOD);
  if (m) return spanOf(report, m);
  const ended = (letter && firstMatch(report, PERIOD_ENDED, letter)) ?? firstMatch(report, PERIOD_ENDED);
  const to = ended ? parseProseDate(ended[1]!) : undefined;
  return ended && to ? { to: cite(report, to, ended.index + ended[0].indexOf(ended[1]!)) } : undefined;
}

export function findAsOf(report: ReportText, letter: Region | undefined): Cited<CalendarDate> | undefined {
  for (const region of letter ? [letter, whole(report)] : [whole(report)]) {
    for (const m of allMatches(report, AS_OF, region)) {
      const date = parseProseDate(m[1]!);
      if (date) return cite(report, date, m.index + m[0].indexOf(m[1]!));
    }
  }
  return undefined;
}

/**
 * The period a bridge letter covers: the one it says it covers; failing that, the latest period it names (the
 * report it bridges ended before it).
 */
export function findCover(report: ReportText): Partial<Span> | undefined {
  const m = firstMatch(report, COVERS);
  if (m) return spanOf(report, m);
  const latest = allMatches(report, PERIOD)
    .map((p) => spanOf(report, p))
    .filter((s) => s.to)
    .sort((a, b) => (a.to!.value < b.to!.value ? 1 : -1))[0];
  return latest;
}

// ---------------------------------------------------------------------------------------------------------------
// Opinion and its basis

// "We do not express an opinion on it" is also what a clean report says of management's other information, so
// the disclaimer needs the words that only a disclaimer uses.
const DISCLAIMER =
  /\bdisclaimer\s+of\s+(?:an\s+)?opinion\b|\bnot\s+been\s+able\s+to\s+obtain\s+sufficient\s+appropriate\s+evidence\s+to\s+provide\s+a\s+basis\s+for\s+an\s+opinion\b|\bdo(?:es)?\s+not\s+express\s+an\s+opinion\s+on\s+(?:the\s+(?:accompanying\s+)?description|management'?s\s+assertion|whether|the\s+suitability|the\s+fairness)/i;
const ADVERSE =
  /\badverse\s+opinion\b|\bin\s+our\s+opinion,?\s+because\s+of\s+the\s+(?:significance|effects?)\b/i;
const QUALIFIED = /\bin\s+our\s+opinion,?\s+except\s+for\b|^qualified\s+opinion$/im;
const UNQUALIFIED = /\bin\s+our\s+opinion\b/i;

/** The opinion, and where its words are (the signature follows them). */
export function findOpinion(
  report: ReportText,
  letter: Region | undefined,
): { opinion: Cited<Opinion>; at: number } | undefined {
  const region = letter ?? whole(report);
  for (const [opinion, pattern] of [
    ['disclaimer', DISCLAIMER],
    ['adverse', ADVERSE],
    ['qualified', QUALIFIED],
    ['unqualified', UNQUALIFIED],
  ] as const) {
    const m = firstMatch(report, pattern, region);
    if (m) return { opinion: cite(report, opinion, m.index), at: m.index };
  }
  return undefined;
}

const BASIS_HEADING = /^basis\s+for\s+(?:(?:a\s+)?qualified|adverse|(?:a\s+)?disclaimer\s+of)\s+opinion$/i;
const EXCEPT_FOR =
  /\bin\s+our\s+opinion,?\s+except\s+for\s+([\s\S]{5,800}?),?\s+in\s+all\s+material\s+respects/i;

/**
 * The basis of a modified opinion: the paragraph under "Basis for Qualified (Adverse, Disclaimer of) Opinion",
 * else the "except for ..." clause of the opinion itself. Bounded.
 */
export function findOpinionBasis(
  report: ReportText,
  letter: Region | undefined,
  limit: number,
): Cited<string> | undefined {
  const region = letter ?? whole(report);
  const lines = report.lines;
  const at = lines.findIndex(
    (l) => l.start >= region.start && l.start < region.end && BASIS_HEADING.test(l.text),
  );
  if (at >= 0) {
    const body: Line[] = [];
    for (let i = at + 1; i < lines.length && lines[i]!.start < region.end; i++) {
      const l = lines[i]!;
      if (body.length > 0 && isHeading(l.text, previousOnPage(lines, i))) break;
      body.push(l);
      if (body.reduce((n, b) => n + b.text.length, 0) > limit) break;
    }
    if (body.length > 0)
      return cite(report, boundedText(body.map((b) => b.text).join(' '), limit), body[0]!.start);
  }
  const m = firstMatch(report, EXCEPT_FOR, region);
  return m ? cite(report, boundedText(`except for ${m[1]}`, limit), m.index) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The signature: the firm's name as signed, and the report's date

const DATE_LINE = new RegExp(`^(?:dated:?\\s*|date:\\s*)?(${DATE})$`, 'i');
const FIRM_SUFFIX =
  /(?:\bL\.?L\.?P\.?|\bL\.?L\.?C\.?|\bPLLC|\bP\.?C\.?|\bP\.?A\.?|\bCPAs?|\bLtd\.?|\bLimited|\bInc\.?|\bGmbH|\bAG|\bS\.A\.|&\s*Co\.?|\bCompany|Certified\s+Public\s+Accountants|Chartered\s+Accountants)$/;
// "Denver, Colorado", "Manchester, United Kingdom", "Austin, TX 78701"; not "Johanson Group, LLP".
const PLACE_LINE = /^[A-Z][A-Za-z.' -]{1,40},\s*[A-Z][A-Za-z. ]{1,40}(?:\s+\d{5}(?:-\d{4})?)?$/;
const NOT_A_FIRM = /^(?:to\b|re:|sincerely|very\s+truly|respectfully|dear\b|\/s\/\s*$)/i;

const isPlace = (line: string) => PLACE_LINE.test(line) && !FIRM_SUFFIX.test(line);

/** A line that can be a signing firm's name: short, starts a block, not a salutation. */
function firmLine(lines: Line[], i: number, limit: number): string | undefined {
  const line = lines[i];
  if (!line) return undefined;
  const name = line.text.replace(/^\/s\/\s*/i, '').trim();
  if (name.length < 2 || name.length > limit || name.split(' ').length > 12) return undefined;
  if (NOT_A_FIRM.test(name) || /[,;:]$/.test(name) || !/[A-Za-z]/.test(name)) return undefined;
  const before = lines[i - 1]?.text;
  if (before !== undefined && !TERMINAL.test(before) && before.length > 60 && !/^\/s\//i.test(line.text))
    return undefined;
  return name;
}

export interface Signature {
  auditor?: Cited<string>;
  issued?: Cited<CalendarDate>;
}

/**
 * The letter ends with the firm's signature, its city and the report's date ("Example CPA LLP / Denver,
 * Colorado / February 14, 2026"). The block is read after the opinion: the firm is the line above the place
 * (or above the date when no place is given). Without a dated block, a line ending in a firm's legal suffix.
 */
export function findSignature(
  report: ReportText,
  letter: Region | undefined,
  after: number,
  limit: number,
): Signature {
  const region = letter ?? whole(report);
  const lines = report.lines;
  const from = lineAt(report, Math.max(after, region.start));
  for (let i = from; i < lines.length && lines[i]!.start < region.end; i++) {
    const m = DATE_LINE.exec(lines[i]!.text);
    const date = m ? parseProseDate(m[1]!) : undefined;
    if (!m) continue;
    let firmAt = i - 1;
    if (lines[firmAt] && isPlace(lines[firmAt]!.text)) firmAt--;
    const name = firmAt > from ? firmLine(lines, firmAt, limit) : undefined;
    if (!name) continue;
    return {
      auditor: { value: name, page: lines[firmAt]!.page },
      ...(date ? { issued: { value: date, page: lines[i]!.page } } : {}),
    };
  }
  for (let i = from; i < lines.length && lines[i]!.start < region.end; i++) {
    if (!FIRM_SUFFIX.test(lines[i]!.text)) continue;
    const name = firmLine(lines, i, limit);
    if (name) return { auditor: { value: name, page: lines[i]!.page } };
  }
  return {};
}

/** A bridge letter's date: its first line that is only a date (the letterhead's), else the last one. */
export function findLetterDate(report: ReportText): Cited<CalendarDate> | undefined {
  for (const line of report.lines) {
    const m = DATE_LINE.exec(line.text);
    const date = m ? parseProseDate(m[1]!) : undefined;
    if (date) return { value: date, page: line.page };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Trust Services Categories

const CATEGORY = '(?:security|availability|processing\\s+integrity|confidentiality|privacy)';
const CATEGORY_LIST = new RegExp(
  `\\b(?:relevant\\s+to|applicable\\s+to|criteria\\s+for|categories\\s*:|categories\\s+of)\\s+(?:the\\s+)?(${CATEGORY}(?:\\s*,\\s*(?:and\\s+)?${CATEGORY}|\\s+and\\s+${CATEGORY})*)\\b`,
  'gi',
);
// The title of TSP section 100 names all five categories in every SOC 2 report, whatever its scope.
const TSP_TITLE = new RegExp(
  `trust\\s+services\\s+criteria\\s+for\\s+security,\\s*availability,\\s*processing\\s+integrity,\\s*confidentiality,?\\s+and\\s+privacy`,
  'gi',
);

const CATEGORY_SLUGS: [RegExp, TrustCategory][] = [
  [/security/i, 'security'],
  [/availability/i, 'availability'],
  [/processing\s+integrity/i, 'processing-integrity'],
  [/confidentiality/i, 'confidentiality'],
  [/privacy/i, 'privacy'],
];

/** "relevant to security, availability, and confidentiality": the categories the report covers, in TSP order. */
export function findCategories(
  report: ReportText,
  letter: Region | undefined,
): Cited<TrustCategory[]> | undefined {
  for (const region of letter ? [letter, whole(report)] : [whole(report)]) {
    for (const m of allMatches(report, CATEGORY_LIST, region)) {
      const title = firstMatch(report, TSP_TITLE, { start: Math.max(0, m.index - 40), end: m.index + 1 });
      if (title && title.index + title[0].length > m.index) continue;
      const list = m[1]!;
      const categories = CATEGORY_SLUGS.filter(([re]) => re.test(list)).map(([, slug]) => slug);
      if (categories.length > 0) return cite(report, categories, m.index + m[0].indexOf(list));
    }
  }
  return undefined;
}
