// A generated portfolio for the console's tests and bench (bench/console): deterministic (a seeded PRNG), with
// every coverage status, bridge letters, four tiers, forty managers and a scope-gap finding on one vendor in six.
import { addDays, fromEpochDay, toEpochDay } from '../../functions/core/dates.js';
import { TIERS, type Portfolio, type Vendor, type VendorDocument } from '../../functions/core/portfolio.js';

function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generatedVendors(n: number, today: string, seed = 11): Vendor[] {
  const random = prng(seed);
  const base = toEpochDay(today);
  return Array.from({ length: n }, (_, i) => {
    const documents: VendorDocument[] = [];
    if (random() > 0.05) {
      // Period ends from 16 months to 1 month ago: current, expiring, bridged and stale all occur.
      const periodEnd = fromEpochDay(base - 30 - Math.floor(random() * 450));
      documents.push({
        kind: 'soc2-type2',
        periodStart: addDays(periodEnd, -364),
        periodEnd,
        issued: addDays(periodEnd, 45),
        opinion: 'unqualified',
        auditor: 'Example CPA LLP',
        regions: i % 6 === 0 ? ['us'] : ['us', 'eu'],
      });
      if (random() < 0.3)
        documents.push({
          kind: 'bridge-letter',
          coversFrom: addDays(periodEnd, 1),
          coversTo: addDays(periodEnd, 120 + Math.floor(random() * 180)),
          issued: addDays(periodEnd, 100),
        });
    }
    const id = `v${String(i).padStart(6, '0')}`;
    return {
      id,
      name: `Vendor ${String(i).padStart(6, '0')}`,
      tier: TIERS[i % 4]!,
      managerEmail: `manager${i % 40}@bank.example`,
      contactEmail: `security@${id}.example`,
      dataRegions: ['us', 'eu'],
      documents,
    };
  });
}

export function generatedPortfolio(n: number, today: string, seed?: number): Portfolio {
  return { complianceLeadEmail: 'tprm@bank.example', vendors: generatedVendors(n, today, seed) };
}
