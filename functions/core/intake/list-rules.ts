// The rules for a report's lists: the exceptions in its tests of controls (with management's responses), its
// complementary user-entity controls, and its subservice organisations with the method (carve-out or
// inclusive) the report uses for each. Each item carries the page it was read from; every list is bounded.
import type { ReportException } from '../portfolio.js';
import {
  EXTRACT_LIMITS,
  type CitedList,
  type ExtractedCuec,
  type ExtractedSubservice,
  type SubserviceMethod,
} from './fields.js';
import {
  allMatches,
  isContentsLine,
  isHeading,
  lineAt,
  previousOnPage,
  type Region,
} from './report-rules.js';
import { boundedText, pageAt, type ReportText } from './text.js';

const TERMINAL = /[.;:!?]["')]?$/;

function citedList<T>(items: { value: T; page: number }[], emptyPage?: number): CitedList<T> | undefined {
  if (items.length === 0)
    return emptyPage === undefined ? undefined : { value: [], page: emptyPage, pages: [] };
  return { value: items.map((i) => i.value), page: items[0]!.page, pages: items.map((i) => i.page) };
}

// ---------------------------------------------------------------------------------------------------------------
// Exceptions

/** A control reference opening a row of the tests of controls: CC6.1, A1.2, PI1.3, 3.4, CO 2.1, Control 3.4. */
const CONTROL_ROW =
  /^(?:control\s+)?((?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}|CO\s?\d{1,2}(?:\.\d{1,2})?|\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\b/;
// "Exception noted.", "Exceptions noted:", "The following exception was noted:", "Deviation noted" - but not
// "No exceptions noted", "any exceptions noted" or "If exceptions were noted".
const EXCEPTION =
  /(?<!\b(?:no|any|if|whether)\s)\b(?:exceptions?|deviations?)\s+(?:(?:was|were)\s+)?noted\s*[.:;-]/gi;
const NO_EXCEPTION = /\bno\s+(?:exceptions?|deviations?)\s+(?:(?:was|were)\s+)?noted\b/gi;
const RESPONSE = /\bmanagement'?s?\s+responses?\s*[:.-]\s*/gi;
const RESPONSES_HEADING =
  /^(?:management'?s?\s+responses?\s+to\s+(?:the\s+)?(?:testing\s+)?(?:exceptions?|deviations?)|management\s+responses?)$/i;

/** The control whose row holds an offset: the nearest row start above it, within the same or previous page. */
function controlAt(report: ReportText, offset: number): string | undefined {
  const page = pageAt(report, offset);
  for (let i = lineAt(report, offset); i >= 0; i--) {
    const line = report.lines[i]!;
    if (line.page < page - 1) break;
    const m = CONTROL_ROW.exec(line.text);
    if (m) return m[1]!.replace(/\s+/g, '');
  }
  return undefined;
}

const SECTION_LINE = /^section\s+(?:[ivx]+|\d+)\b/i;

/**
 * Where a piece of a results cell ends: the next row, the next result, the next section, or the length bound.
 * (Not at any heading-like line: a narrow cell's "Management's Response: The" looks like one.)
 */
function cellEnd(report: ReportText, from: number, limit: number): number {
  const end = Math.min(report.text.length, from + limit * 2);
  for (let i = lineAt(report, from) + 1; i < report.lines.length; i++) {
    const line = report.lines[i]!;
    if (line.start >= end) break;
    if (CONTROL_ROW.test(line.text) || SECTION_LINE.test(line.text)) return line.start;
  }
  const next = [EXCEPTION, NO_EXCEPTION]
    .flatMap((re) => allMatches(report, re, { start: from, end }).slice(0, 1))
    .map((m) => m.index);
  return Math.min(end, ...next);
}

/** Management's responses listed in their own section ("Management's Responses to Exceptions"), by control. */
function responsesSection(report: ReportText): Map<string, string> {
  const responses = new Map<string, string>();
  const lines = report.lines;
  const at = lines.findIndex((l) => RESPONSES_HEADING.test(l.text) && !isContentsLine(l.text));
  if (at < 0) return responses;
  let current: { control: string; text: string[] } | undefined;
  const flush = () => {
    if (current && !responses.has(current.control))
      responses.set(current.control, boundedText(current.text.join(' '), EXTRACT_LIMITS.text));
  };
  for (let i = at + 1; i < lines.length; i++) {
    const text = lines[i]!.text;
    const m =
      /^(?:control\s+)?((?:CC|PI|A|C|P)\d{1,2}\.\d{1,2}|CO\s?\d{1,2}(?:\.\d{1,2})?|\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\s*[:.-]\s*(.*)$/.exec(
        text,
      );
    if (m) {
      flush();
      current = { control: m[1]!.replace(/\s+/g, ''), text: [m[2]!] };
    } else if (current && !isHeading(text, previousOnPage(lines, i))) current.text.push(text);
    else if (current || isHeading(text, previousOnPage(lines, i))) break;
  }
  flush();
  return responses;
}

/**
 * Each "Exception noted" in the tests of controls, with the control of its row, what the auditor found and
 * management's response (beside the result, or in a section of responses). A report whose tests say "No
 * exceptions noted" and nothing else has an empty list; a report with no tests (a Type I) has none.
 */
export function findExceptions(report: ReportText): CitedList<ReportException> | undefined {
  const limit = EXTRACT_LIMITS.text;
  const found: { value: ReportException; page: number }[] = [];
  for (const m of allMatches(report, EXCEPTION)) {
    if (found.length >= EXTRACT_LIMITS.exceptions) break;
    const start = m.index + m[0].length;
    const end = cellEnd(report, start, limit);
    const cell = report.text.slice(start, end);
    const response = allMatches(report, RESPONSE, { start, end })[0];
    const description = boundedText(response ? report.text.slice(start, response.index) : cell, limit);
    const control = controlAt(report, m.index);
    const value: ReportException = {
      ...(control ? { control } : {}),
      ...(description ? { description } : {}),
    };
    if (response) {
      const text = boundedText(report.text.slice(response.index + response[0].length, end), limit);
      if (text) value.managementResponse = text;
    }
    found.push({ value, page: pageAt(report, m.index) });
  }
  const listed = responsesSection(report);
  for (const { value } of found) {
    if (value.managementResponse === undefined && value.control && listed.has(value.control)) {
      value.managementResponse = listed.get(value.control)!;
      listed.delete(value.control);
    }
  }
  const none = allMatches(report, NO_EXCEPTION)[0];
  return citedList(found, none ? pageAt(report, none.index) : undefined);
}

// ---------------------------------------------------------------------------------------------------------------
// Complementary user-entity controls

const CUEC_HEADING =
  /^(?:section\s+[\divx]+\s*[:.-]?\s*|[\divx]+(?:\.\d+)*[.):]?\s+|[a-z][.)]\s+)?complementary\s+user[\s-]+entit(?:y|ies)\s+controls?(?:\s*\("?cuecs?"?\))?\s*:?$/i;
const LIST_ITEM =
  /^(?:\u2022|[-*\u2013]|o(?=\s)|(\d{1,3})[.)]|\((\d{1,3})\)|[a-z][.)]|CUEC[\s-]?(\d{1,3})[.:)]?)\s+(.+)$/i;
/** Lines of introduction allowed between the heading and the first control. */
const MAX_INTRO_LINES = 12;

/**
 * The list under the "Complementary User Entity Controls" heading: bulleted, numbered or labelled ("CUEC-01")
 * items, each running on until a line that ends a sentence is followed by a line that is not an item.
 */
export function findCuecs(report: ReportText): CitedList<ExtractedCuec> | undefined {
  const lines = report.lines;
  for (let h = 0; h < lines.length; h++) {
    if (!CUEC_HEADING.test(lines[h]!.text) || isContentsLine(lines[h]!.text)) continue;
    const items: { number?: number; text: string[]; page: number }[] = [];
    for (let i = h + 1; i < lines.length && items.length <= EXTRACT_LIMITS.cuecs; i++) {
      const text = lines[i]!.text;
      const m = LIST_ITEM.exec(text);
      if (m) {
        const n = m[1] ?? m[2] ?? m[3];
        items.push({ ...(n ? { number: Number(n) } : {}), text: [m[4]!], page: lines[i]!.page });
        continue;
      }
      const current = items[items.length - 1];
      if (!current) {
        // A table's header row ("Ref. Complementary User Entity Control") may stand before the first item.
        if (i - h > MAX_INTRO_LINES || SECTION_LINE.test(text)) break;
        continue;
      }
      const last = current.text[current.text.length - 1]!;
      if (TERMINAL.test(last)) break;
      current.text.push(text);
    }
    if (items.length === 0) continue;
    const cuecs = items.slice(0, EXTRACT_LIMITS.cuecs).map((item, i) => ({
      value: {
        id: `cuec-${item.number ?? i + 1}`,
        text: boundedText(item.text.join(' '), EXTRACT_LIMITS.text),
      },
      page: item.page,
    }));
    return citedList(cuecs);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Subservice organisations

const LEGAL_SUFFIX =
  '(?:Inc\\.?|LLC|L\\.L\\.C\\.|Ltd\\.?|Limited|Corp\\.?|Corporation|L\\.P\\.|LP|plc|PLC|GmbH|AG|S\\.A\\.|N\\.V\\.|Co\\.)';
/**
 * An organisation's name: up to seven capitalised words (with "&"), and an optional legal suffix after a comma.
 * Words are bounded in length so that no run of text can make the pattern backtrack for long.
 */
const NAME = `[A-Z][A-Za-z0-9&'.-]{0,40}(?:\\s(?:&\\s)?[A-Z0-9][A-Za-z0-9&'.-]{0,40}){0,6}(?:,?\\s${LEGAL_SUFFIX})?`;
const DEFINITION = new RegExp(
  `(${NAME})\\s*\\(\\s*(?:the\\s+|hereinafter\\s+)?"?([A-Z][A-Za-z0-9&.-]{1,24}(?: [A-Z][A-Za-z0-9&.-]{1,24})?)"?\\s*\\)`,
  'g',
);
const NAMED_AS_SUBSERVICE: [RegExp, SubserviceMethod | undefined][] = [
  [
    new RegExp(`\\buses\\s+(?:a\\s+|the\\s+|one\\s+)?subservice\\s+organizations?,?\\s+(${NAME})`, 'g'),
    undefined,
  ],
  [
    new RegExp(
      `(${NAME})(?:\\s*\\([^)]{1,40}\\))?,?\\s+(?:is\\s+|as\\s+|(?:acts|serves)\\s+as\\s+)?(?:a|an|the|its|our)\\s+subservice\\s+organization`,
      'g',
    ),
    undefined,
  ],
  [
    new RegExp(
      `\\bexclud(?:es|ing|ed)\\s+(?:the\\s+)?(?:control\\s+objectives\\s+and\\s+(?:the\\s+)?related\\s+)?(?:relevant\\s+)?controls\\s+(?:of|at|performed\\s+by|provided\\s+by)\\s+(${NAME})`,
      'g',
    ),
    'carve-out',
  ],
  [
    new RegExp(
      `\\bincludes\\s+(?:the\\s+)?(?:relevant\\s+)?controls\\s+(?:of|at|performed\\s+by)\\s+(${NAME})`,
      'g',
    ),
    'inclusive',
  ],
  [
    new RegExp(`\\bcarve-?\\s?out\\s+method\\s+(?:for|to|with\\s+respect\\s+to)\\s+(${NAME})`, 'g'),
    'carve-out',
  ],
  [new RegExp(`\\binclusive\\s+method\\s+(?:for|to|with\\s+respect\\s+to)\\s+(${NAME})`, 'g'), 'inclusive'],
];
const CARVE_OUT_WORDS = /\bcarve-?\s?out\b|\bexclud(?:es|ing|ed)\s+(?:the\s+)?(?:relevant\s+)?controls\b/i;
const INCLUSIVE_WORDS = /\binclusive\s+method\b|\bincludes\s+(?:the\s+)?relevant\s+controls\b/i;
/** Capitalised words that start a sentence or name the report's own parts, never a subservice organisation. */
const NOT_A_NAME =
  /^(?:the|a|an|this|these|our|its|section|description|management|company|service|user|subservice|complementary)\b/i;
/** Abbreviations a sentence does not end at ("Inc.", "Co.", "a." of the opinion's enumerations). */
const NO_SENTENCE_END =
  /(?:\b(?:Inc|Co|Corp|Ltd|No|Nos|vs|etc|St|Mr|Mrs|Ms|Dr|U\.S|L\.L\.C|L\.P|S\.A|N\.V|e\.g|i\.e)|\b[A-Za-z])\.$/;

interface Sentence {
  text: string;
  start: number;
}

/** The text of a region cut into sentences (headings are sentences of their own). */
function sentences(report: ReportText, region: Region): Sentence[] {
  const out: Sentence[] = [];
  const text = report.text;
  let start = region.start;
  const boundary = /[.!?]["')]?(?=\s+["(]?[A-Z])|\n/g;
  boundary.lastIndex = region.start;
  for (let m = boundary.exec(text); m && m.index < region.end; m = boundary.exec(text)) {
    const end = m.index + m[0].length;
    if (m[0] === '\n') {
      // A line break ends a sentence only after a heading line.
      const line = report.lines[lineAt(report, m.index)]!;
      if (!isHeading(line.text, previousOnPage(report.lines, lineAt(report, m.index)))) continue;
    } else if (NO_SENTENCE_END.test(text.slice(Math.max(start, m.index - 8), m.index + 1))) continue;
    out.push({ text: text.slice(start, end), start });
    start = end;
  }
  if (start < region.end) out.push({ text: text.slice(start, region.end), start });
  return out;
}

/** Trims what the name pattern may carry along: a sentence's full stop, a leading article. */
function cleanName(raw: string): string {
  let name = raw.replace(/\s+/g, ' ').trim();
  if (name.endsWith('.') && !new RegExp(`${LEGAL_SUFFIX}$`).test(name)) name = name.slice(0, -1);
  return name.replace(/^the\s+/i, '');
}

const keyOf = (name: string) =>
  name
    .toLowerCase()
    .replace(new RegExp(`,?\\s*${LEGAL_SUFFIX}$`, 'i'), '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const mentions = (sentence: string, word: string) =>
  new RegExp(`(?:^|[^A-Za-z0-9])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[^A-Za-z0-9])`).test(
    sentence,
  );

/**
 * The subservice organisations a report names ("uses a subservice organization, Amazon Web Services, Inc.
 * ("AWS")", "excludes the controls of AWS", "the inclusive method"), with the method stated for each:
 * in the sentence that names it, or in one of the next three sentences that speaks of it or of no one else
 * ("This is known as the carve-out method"). An organisation whose method the report never states is left out.
 */
export function findSubservices(report: ReportText): CitedList<ExtractedSubservice> | undefined {
  const all = sentences(report, { start: 0, end: report.text.length });
  const abbreviations = new Map<string, string>();
  const orgs = new Map<
    string,
    { name: string; abbreviation?: string; method?: SubserviceMethod; page?: number; since: number }
  >();
  const resolve = (raw: string) => {
    const name = cleanName(raw);
    return abbreviations.get(name) ?? name;
  };
  all.forEach((s, index) => {
    for (const m of s.text.matchAll(DEFINITION)) {
      const full = cleanName(m[1]!);
      if (!NOT_A_NAME.test(full)) abbreviations.set(m[2]!, full);
    }
    const explicit = new Map<string, SubserviceMethod | undefined>();
    for (const [pattern, method] of NAMED_AS_SUBSERVICE) {
      for (const m of s.text.matchAll(pattern)) {
        const name = resolve(m[1]!);
        if (NOT_A_NAME.test(name) || name.length > EXTRACT_LIMITS.name) continue;
        const key = keyOf(name);
        if (!orgs.has(key) && orgs.size < EXTRACT_LIMITS.subservices) {
          const abbreviation = [...abbreviations].find(([, full]) => full === name)?.[0];
          orgs.set(key, { name, ...(abbreviation ? { abbreviation } : {}), since: index });
        }
        if (orgs.has(key) && (method || !explicit.has(key))) explicit.set(key, method ?? explicit.get(key));
      }
    }
    const flat = s.text.replace(/\s+/g, ' ');
    const carve = CARVE_OUT_WORDS.test(flat);
    const inclusive = INCLUSIVE_WORDS.test(flat);
    const stated: SubserviceMethod | undefined =
      carve === inclusive ? undefined : carve ? 'carve-out' : 'inclusive';
    const named = [...orgs].filter(
      ([key, o]) =>
        explicit.has(key) || mentions(flat, o.name) || (o.abbreviation && mentions(flat, o.abbreviation)),
    );
    const page = pageAt(report, s.start);
    for (const [key, o] of named) {
      const method = explicit.get(key) ?? stated;
      if (!o.method && method) Object.assign(o, { method, page });
    }
    if (named.length === 0 && stated) {
      // "This is known as the carve-out method.": the organisations just named and still without a method.
      for (const o of orgs.values())
        if (!o.method && index - o.since <= 3) Object.assign(o, { method: stated, page });
    }
  });
  const items = [...orgs.values()]
    .filter((o) => o.method)
    .map((o) => ({ value: { name: o.name, method: o.method! }, page: o.page! }));
  return citedList(items);
}
