// `assess --format table`: the portfolio at a glance for a person at a terminal, most urgent first.
import { byUrgency } from '../functions/core/urgency.js';
import type { CoverageStatus, PortfolioAssessment } from '../functions/core/assess.js';
import type { Portfolio, Tier } from '../functions/core/portfolio.js';

const STATUS_COLOR: Record<CoverageStatus, string> = {
  missing: '\u001b[1;31m', // bold red: no coverage at all
  stale: '\u001b[31m',
  bridged: '\u001b[36m',
  expiring: '\u001b[33m',
  current: '\u001b[32m',
};
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';

function fit(text: string, width: number): string {
  // Names come from the portfolio: never let a control character (a terminal escape) through.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > width ? `${clean.slice(0, width - 1)}…` : clean;
}

function days(n: number | null): string {
  if (n === null) return '-';
  if (n === 0) return 'today';
  return n > 0 ? `in ${n} d` : `${-n} d ago`;
}

export interface TableOptions {
  color: boolean;
}

export function renderAssessmentTable(
  doc: PortfolioAssessment,
  portfolio: Portfolio,
  { color }: TableOptions,
): string {
  const vendorById = new Map(portfolio.vendors.map((v) => [v.id, v]));
  const header = ['STATUS', 'VENDOR', 'NAME', 'TIER', 'LAPSES', 'WHEN', 'BRIDGED TO', 'FINDINGS'];
  // The console's order too (core/urgency.ts).
  const ordered = byUrgency(
    doc.vendors.map((assessment) => {
      const v = vendorById.get(assessment.id);
      return { assessment, tier: v?.tier ?? 'low', name: v?.name ?? assessment.id };
    }),
    doc.asOf,
  ).map((u) => u.assessment);
  const rows = ordered.map((a) => {
    const vendor = vendorById.get(a.id);
    return [
      a.status,
      a.id,
      fit(vendor?.name ?? '', 28),
      (vendor?.tier ?? '') as Tier | '',
      a.lapseDate ?? '-',
      days(a.daysToLapse),
      a.bridgedUntil ?? '-',
      a.findings.length === 0 ? '-' : a.findings.map((f) => f.code).join(', '),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text);

  const out: string[] = [paint(DIM, line(header))];
  rows.forEach((cells, i) => {
    const status = ordered[i]?.status;
    const text = line(cells);
    if (!color || status === undefined) out.push(text);
    else {
      // Colour only the status cell, so the rest stays readable on any background.
      const width = widths[0] ?? 0;
      out.push(`${paint(STATUS_COLOR[status], text.slice(0, width))}${text.slice(width)}`);
    }
  });
  const s = doc.summary;
  const total = doc.vendors.length;
  out.push(
    '',
    `As of ${doc.asOf}: ${total} vendor${total === 1 ? '' : 's'}: ${s.missing} missing, ${s.stale} stale, ` +
      `${s.bridged} bridged, ${s.expiring} expiring, ${s.current} current.`,
  );
  // Section 9: the subservice organisations, most urgent first, with how many vendors' bases carve each out.
  // Only when the portfolio has them, so the table of a portfolio without them is unchanged.
  if (doc.subserviceOrganizations !== undefined && doc.subserviceOrganizations.length > 0) {
    const nameById = new Map((portfolio.subserviceOrganizations ?? []).map((o) => [o.id, o.name]));
    const orgHeader = ['STATUS', 'SUBSERVICE ORG', 'NAME', 'LAPSES', 'DEPENDENTS'];
    const orgs = byUrgency(
      doc.subserviceOrganizations.map((o) => ({
        org: o,
        assessment: { status: o.status, lapseDate: o.lapseDate, bridgedUntil: null },
        tier: 'low' as const,
        name: nameById.get(o.id) ?? o.id,
      })),
      doc.asOf,
    ).map((u) => u.org);
    const orgRows = orgs.map((o) => [
      o.status,
      o.id,
      fit(nameById.get(o.id) ?? '', 28),
      o.lapseDate ?? '-',
      `${o.dependents} vendor${o.dependents === 1 ? '' : 's'}`,
    ]);
    const orgWidths = orgHeader.map((h, c) => Math.max(h.length, ...orgRows.map((r) => (r[c] ?? '').length)));
    const orgLine = (cells: string[]) =>
      cells
        .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(orgWidths[c] ?? 0)))
        .join('  ')
        .trimEnd();
    out.push('', paint(DIM, orgLine(orgHeader)));
    orgRows.forEach((cells, i) => {
      const status = orgs[i]?.status;
      const text = orgLine(cells);
      const width = orgWidths[0] ?? 0;
      out.push(
        !color || status === undefined
          ? text
          : `${paint(STATUS_COLOR[status], text.slice(0, width))}${text.slice(width)}`,
      );
    });
  }
  return `${out.join('\n')}\n`;
}
