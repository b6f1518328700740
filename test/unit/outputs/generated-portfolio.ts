// A generated portfolio for the forecast, export and calendar tests: deterministic (a seeded PRNG), with every
// shape the policy engine distinguishes: Type II and Type I reports, bridge letters valid and not, documents
// issued after today, vendors without a report.
import { addDays, fromEpochDay, toEpochDay } from '../../../functions/core/dates.js';
import { TIERS, type Vendor, type VendorDocument } from '../../../functions/core/portfolio.js';

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateVendors(n: number, today: string, seed = 7): Vendor[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const base = toEpochDay(today);
  const vendors: Vendor[] = [];
  for (let i = 0; i < n; i++) {
    const tier = pick(TIERS);
    const documents: VendorDocument[] = [];
    const shape = random();
    if (shape > 0.06) {
      // A period end between 15 months ago and 2 months ago: every status occurs within the year ahead.
      const periodEnd = fromEpochDay(base - 60 - Math.floor(random() * 400));
      documents.push({
        kind: random() < 0.12 ? 'soc2-type1' : 'soc2-type2',
        periodStart: addDays(periodEnd, -364),
        periodEnd,
        issued: addDays(periodEnd, 30 + Math.floor(random() * 30)),
        opinion: random() < 0.05 ? 'qualified' : 'unqualified',
      });
      const letter = random();
      if (letter < 0.35)
        documents.push({
          kind: 'bridge-letter',
          coversFrom: addDays(periodEnd, letter < 0.3 ? 1 : 20),
          coversTo: addDays(periodEnd, 90 + Math.floor(random() * 300)),
          issued: addDays(periodEnd, 100 + Math.floor(random() * 300)),
        });
      // Now and then a newer report issued after today: the forecast must not count it.
      if (random() < 0.08)
        documents.push({
          kind: 'soc2-type2',
          periodStart: addDays(periodEnd, 1),
          periodEnd: addDays(periodEnd, 365),
          issued: fromEpochDay(base + 1 + Math.floor(random() * 120)),
          opinion: 'unqualified',
        });
    }
    vendors.push({
      id: `v${String(i).padStart(5, '0')}`,
      name: `Vendor ${i}`,
      tier,
      managerEmail: `manager${i % 7}@bank.example`,
      contactEmail: `security@v${i}.example`,
      complianceLeadEmail: i % 3 === 0 ? 'lead@bank.example' : 'tprm@bank.example',
      documents,
    });
  }
  return vendors;
}
