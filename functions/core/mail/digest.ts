// The weekly digest e-mail, rendered from the facts recorded with its intent (core/digest.ts builds them): what
// changed, what lapses in the next 30 days, which findings are overdue, each line in plain words. Every
// vendor-supplied string is escaped in the HTML part; the subject is one header-safe line.
import type { CoverageStatus } from '../assess.js';
import type { CalendarDate } from '../dates.js';
import type { ForecastChangeKind } from '../forecast.js';
import type { Tier } from '../portfolio.js';
import { escapeHtml, headerText, type RenderedMail } from './templates.js';

export type DigestRole = 'vendor manager' | 'compliance lead';

export interface DigestChange {
  vendorId: string;
  vendorName: string;
  on: CalendarDate;
  what: string;
}

export interface DigestLapse {
  vendorId: string;
  vendorName: string;
  tier: Tier;
  kind: ForecastChangeKind;
  lastCoveredDay: CalendarDate;
  becomes: CoverageStatus;
}

export interface DigestOverdue {
  vendorId: string;
  vendorName: string;
  code: string;
  meaning: string;
  severity: string;
  dueDate: CalendarDate;
  daysOverdue: number;
}

export interface DigestFacts {
  /** The ISO week, e.g. 2026-W48. */
  week: string;
  /** The first and last day "the week" covers. */
  from: CalendarDate;
  to: CalendarDate;
  roles: DigestRole[];
  vendors: number;
  changes: DigestChange[];
  moreChanges: number;
  lapsing: DigestLapse[];
  moreLapsing: number;
  overdue: DigestOverdue[];
  moreOverdue: number;
  /** The console (links in the mail), when its base URL is known. */
  consoleUrl?: string;
}

const STATUS_WORDS: Record<string, string> = {
  bridged: 'a bridge letter carries it from then on',
  stale: 'not covered from then on',
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

interface Section {
  title: string;
  empty: string;
  lines: { text: string; link?: string }[];
  more: number;
}

export function weeklyDigestMail(f: DigestFacts): RenderedMail {
  const vendorLink = (id: string) =>
    f.consoleUrl ? `${f.consoleUrl}/vendors/${encodeURIComponent(id)}` : undefined;
  const sections: Section[] = [
    {
      title: `What changed from ${f.from} to ${f.to}`,
      empty: 'Nothing changed on your vendors.',
      lines: f.changes.map((c) => ({
        text: `${c.on} · ${c.vendorName}: ${c.what}`,
        link: vendorLink(c.vendorId),
      })),
      more: f.moreChanges,
    },
    {
      title: 'Lapsing in the next 30 days',
      empty: 'No vendor of yours loses coverage in the next 30 days.',
      lines: f.lapsing.map((l) => ({
        text:
          `${l.vendorName} (${l.tier}): ${l.kind === 'report-lapses' ? 'the report lapses' : 'the bridge letter ends'} ` +
          `after ${l.lastCoveredDay}; ${STATUS_WORDS[l.becomes] ?? l.becomes}.`,
        link: vendorLink(l.vendorId),
      })),
      more: f.moreLapsing,
    },
    {
      title: 'Overdue findings',
      empty: 'No finding on your vendors is overdue.',
      lines: f.overdue.map((o) => ({
        text: `${o.vendorName}: ${o.severity} finding ${o.code}, due ${o.dueDate}, ${plural(o.daysOverdue, 'day')} overdue. ${o.meaning}`,
        link: vendorLink(o.vendorId),
      })),
      more: f.moreOverdue,
    },
  ];
  const subject = headerText(
    `Bridgekeeper weekly digest ${f.week}: ${plural(f.lapsing.length + f.moreLapsing, 'vendor')} losing coverage within 30 days, ` +
      `${plural(f.overdue.length + f.moreOverdue, 'finding')} overdue`,
    200,
  );
  const intro = `Your week in Bridgekeeper, as ${f.roles.join(' and ')} of ${plural(f.vendors, 'vendor')}.`;
  const moreText = (n: number) => `… and ${n} more in the console.`;

  const text = [
    'Hello,',
    intro,
    ...sections.map((s) =>
      [
        `${s.title}:`,
        ...(s.lines.length === 0 ? [`  ${s.empty}`] : s.lines.map((l) => `  - ${l.text}`)),
        ...(s.more > 0 ? [`  ${moreText(s.more)}`] : []),
      ].join('\n'),
    ),
    ...(f.consoleUrl
      ? [`The console: ${f.consoleUrl}/ · The coverage forecast: ${f.consoleUrl}/forecast`]
      : []),
  ].join('\n\n');

  const item = (l: { text: string; link?: string }) =>
    `<li>${l.link ? `<a href="${escapeHtml(l.link)}">${escapeHtml(l.text)}</a>` : escapeHtml(l.text)}</li>`;
  const body = [
    '<p>Hello,</p>',
    `<p>${escapeHtml(intro)}</p>`,
    ...sections.map(
      (s) =>
        `<h2 style="font-size:1.1em">${escapeHtml(s.title)}</h2>\n` +
        (s.lines.length === 0
          ? `<p>${escapeHtml(s.empty)}</p>`
          : `<ul>\n${s.lines.map(item).join('\n')}\n</ul>`) +
        (s.more > 0 ? `\n<p>${escapeHtml(moreText(s.more))}</p>` : ''),
    ),
    ...(f.consoleUrl
      ? [
          `<p><a href="${escapeHtml(f.consoleUrl)}/">The console</a> · <a href="${escapeHtml(f.consoleUrl)}/forecast">The coverage forecast</a></p>`,
        ]
      : []),
  ].join('\n');
  const html = `<!doctype html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body style="font-family: sans-serif; line-height: 1.5">\n${body}\n</body></html>\n`;
  return { subject, text: `${text}\n`, html };
}
