// bench/forecast: the coverage forecast (core/forecast.ts) of a generated portfolio, the engine alone: the 30/60/90
// day changes and 13 monthly points per vendor. Prints the best of five runs. Goal: 10,000 vendors well under 2 s.
// Run: npx tsx bench/forecast/run.ts [vendors]
import { addDays, fromEpochDay, toEpochDay } from '../../functions/core/dates.js';
import { forecastCoverage } from '../../functions/core/forecast.js';
import { DEFAULT_POLICY } from '../../functions/core/policy.js';
import { TIERS, type Vendor, type VendorDocument } from '../../functions/core/portfolio.js';

const VENDORS = Number(process.argv[2] ?? 10_000);
const TODAY = '2026-11-26';

/** mulberry32, so every run forecasts the same portfolio. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(n: number): Vendor[] {
  const random = prng(42);
  const base = toEpochDay(TODAY);
  return Array.from({ length: n }, (_, i): Vendor => {
    const periodEnd = fromEpochDay(base - 60 - Math.floor(random() * 400));
    const documents: VendorDocument[] = [
      {
        kind: 'soc2-type2',
        periodStart: addDays(periodEnd, -729),
        periodEnd: addDays(periodEnd, -365),
        issued: addDays(periodEnd, -300),
        opinion: 'unqualified',
      },
      {
        kind: 'soc2-type2',
        periodStart: addDays(periodEnd, -364),
        periodEnd,
        issued: addDays(periodEnd, 45),
        opinion: 'unqualified',
        categories: ['security', 'availability'],
      },
    ];
    if (random() < 0.3)
      documents.push({
        kind: 'bridge-letter',
        coversFrom: addDays(periodEnd, 1),
        coversTo: addDays(periodEnd, 200),
        issued: addDays(periodEnd, 210),
      });
    return {
      id: `vendor-${i}`,
      name: `Vendor ${i}`,
      tier: TIERS[i % 4]!,
      managerEmail: `manager${i % 40}@bank.example`,
      contactEmail: `security@vendor-${i}.example`,
      documents,
    };
  });
}

const vendors = generate(VENDORS);
let best = Number.POSITIVE_INFINITY;
let changes = 0;
for (let run = 0; run < 5; run++) {
  const started = performance.now();
  const forecast = forecastCoverage(vendors, TODAY, DEFAULT_POLICY);
  best = Math.min(best, performance.now() - started);
  changes = forecast.changes.length;
}
console.log(
  `forecast: ${VENDORS} vendors (${changes} changes within 90 days, 13 monthly points) in ${(best / 1000).toFixed(3)} s (best of 5)`,
);
