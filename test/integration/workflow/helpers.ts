// Shared fixtures for the lifecycle scenarios: one-vendor portfolios and the simulate() driver.
import type { Portfolio, Vendor, VendorDocument } from '../../../functions/core/portfolio.js';
import {
  simulate,
  type ScriptedEvent,
  type SimulationOptions,
  type TimelineLine,
} from '../../../cli/commands/simulate.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';

export const LEAD = 'tprm@bank.example';
export const MANAGER = 'jane@bank.example';
export const CONTACT = 'security@acme.example';

export function report(periodEnd: string, extra: Partial<VendorDocument> = {}): VendorDocument {
  const start = `${Number(periodEnd.slice(0, 4)) - 1}${periodEnd.slice(4)}`;
  return {
    kind: 'soc2-type2',
    periodStart: start,
    periodEnd,
    opinion: 'unqualified',
    auditor: 'Example CPA LLP',
    ...extra,
  } as VendorDocument;
}

export function vendor(documents: VendorDocument[], extra: Partial<Vendor> = {}): Vendor {
  return {
    id: 'acme-pay',
    name: 'Acme <Payments> & Co',
    tier: 'critical',
    managerEmail: MANAGER,
    contactEmail: CONTACT,
    documents,
    ...extra,
  };
}

export function portfolioOf(...vendors: Vendor[]): Portfolio {
  return { complianceLeadEmail: LEAD, vendors };
}

export function scripted(events: Omit<ScriptedEvent, 'index'>[]): ScriptedEvent[] {
  return events.map((e, index) => ({ ...e, index }));
}

/**
 * Runs a simulation and checks the mail record: every e-mail intended was recorded as sent, and the mailbox holds
 * exactly those messages.
 */
export async function run(options: SimulationOptions): Promise<TimelineLine[]> {
  const problems: string[] = [];
  const result = await simulate({
    ...options,
    inspect: async (stack) => {
      // From the log: the record keeps only recent e-mails (core/vendor-state.ts RECORD_LIMITS).
      let recorded = 0;
      for (const vendor of options.portfolio.vendors) {
        const events = await stack.store.events(vendor.id);
        const sent = new Set(events.flatMap((e) => (e.type === 'email-sent' ? [e.data.key] : [])));
        for (const e of events) {
          if (e.type !== 'email-intended') continue;
          recorded += 1;
          if (!sent.has(e.data.key)) problems.push(`not recorded as sent: ${e.data.key}`);
        }
      }
      const delivered = (await stack.mailbox.messages()).length;
      if (delivered !== recorded) problems.push(`${delivered} messages delivered, ${recorded} intended`);
    },
  });
  if (problems.length) throw new Error(problems.join('; '));
  return result.lines;
}

/** "date type" strings, compact to assert on. */
export function brief(lines: TimelineLine[], types?: string[]): string[] {
  return lines
    .filter((l) => !types || types.includes(l.type))
    .map((l) => `${l.date} ${l.type}${l.code ? `:${l.code}` : ''}`);
}

/** Every 7 days from `first` through `last` (inclusive bounds when on the grid). */
export function weekly(first: string, last: string): string[] {
  const out: string[] = [];
  for (
    let d = new Date(`${first}T00:00:00Z`);
    d.toISOString().slice(0, 10) <= last;
    d.setUTCDate(d.getUTCDate() + 7)
  )
    out.push(d.toISOString().slice(0, 10));
  return out;
}
