// bench/assess: 100,000 vendors (about 3 documents each) through the engine alone and through the whole
// `bridgekeeper assess` command. Prints vendors/s, wall time and peak memory. Goal: whole command < 3 s, < 1 GiB.
// Run: npx tsx bench/assess/run.ts [vendors]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assessPortfolio } from '../../functions/core/assess.js';
import { addDays, fromEpochDay, toEpochDay } from '../../functions/core/dates.js';
import { DEFAULT_POLICY } from '../../functions/core/policy.js';
import { parsePortfolioJson } from '../../functions/core/portfolio.js';

const VENDORS = Number(process.argv[2] ?? 100_000);
const AS_OF = '2026-11-26';
const root = new URL('../../', import.meta.url).pathname;

/** A small deterministic PRNG (mulberry32), so every run assesses the same portfolio. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(n: number): string {
  const random = prng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const base = toEpochDay('2024-06-01');
  const vendors = [];
  for (let i = 0; i < n; i++) {
    const tier = pick(['critical', 'high', 'moderate', 'low'] as const);
    const periodEnd = fromEpochDay(base + Math.floor(random() * 800));
    const documents: unknown[] = [
      {
        kind: 'soc2-type2',
        periodStart: addDays(periodEnd, -729),
        periodEnd: addDays(periodEnd, -365),
        issued: addDays(periodEnd, -300),
        opinion: 'unqualified',
        auditor: 'Example CPA LLP',
        categories: ['security', 'availability'],
      },
      {
        ...(random() < 0.8
          ? { kind: 'soc2-type2', periodStart: addDays(periodEnd, -364) }
          : { kind: 'soc2-type1' }),
        periodEnd,
        issued: addDays(periodEnd, 30 + Math.floor(random() * 60)),
        opinion: pick(['unqualified', 'unqualified', 'unqualified', 'qualified', 'adverse']),
        auditor: 'Brightline Assurance LLP',
        categories: ['security', 'availability', 'confidentiality'],
        regions: ['us', 'eu'],
        exceptions: Array.from({ length: Math.floor(random() * 4) }, (_, k) => ({
          control: `CC${k + 1}.1`,
          managementResponse: random() < 0.9 ? 'Remediated.' : '',
        })),
      },
      {
        kind: 'bridge-letter',
        coversFrom: addDays(periodEnd, 1 + (random() < 0.1 ? 5 : 0)),
        coversTo: addDays(periodEnd, 90 + Math.floor(random() * 300)),
        issued: addDays(periodEnd, 100 + Math.floor(random() * 300)),
      },
    ];
    vendors.push({
      id: `vendor-${i}`,
      name: `Vendor ${i} Holdings`,
      tier,
      managerEmail: `manager${i % 40}@bank.example`,
      contactEmail: `security@vendor-${i}.example`,
      dataRegions: random() < 0.9 ? ['us'] : ['us', 'apac'],
      requiredCategories: ['availability'],
      ...(random() < 0.3
        ? { contractRenewal: fromEpochDay(toEpochDay(AS_OF) + Math.floor(random() * 365)) }
        : {}),
      documents,
    });
  }
  return JSON.stringify({ complianceLeadEmail: 'tprm@bank.example', vendors });
}

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en-US')} vendors/s`;
}

const dir = mkdtempSync(join(tmpdir(), 'bk-bench-assess-'));
try {
  const file = join(dir, 'portfolio.json');
  let t = performance.now();
  const text = generate(VENDORS);
  writeFileSync(file, text);
  // Keep a copy for profiling: BENCH_ASSESS_KEEP=/tmp/p.json npx tsx bench/assess/run.ts
  if (process.env.BENCH_ASSESS_KEEP) writeFileSync(process.env.BENCH_ASSESS_KEEP, text);
  const documents = VENDORS * 3;
  console.log(
    `portfolio: ${VENDORS.toLocaleString('en-US')} vendors, ${documents.toLocaleString('en-US')} documents, ` +
      `${(statSync(file).size / 1048576).toFixed(1)} MiB (generated in ${(performance.now() - t).toFixed(0)} ms)`,
  );

  // The engine alone, in this process: parse + validate, then assess (best of 3 after a warm-up).
  let best = { parse: Infinity, assess: Infinity };
  for (let run = 0; run < 4; run++) {
    t = performance.now();
    const portfolio = parsePortfolioJson(text);
    const parsed = performance.now();
    const doc = assessPortfolio(portfolio, AS_OF, DEFAULT_POLICY);
    const done = performance.now();
    if (doc.vendors.length !== VENDORS) throw new Error('lost vendors');
    if (run > 0)
      best = { parse: Math.min(best.parse, parsed - t), assess: Math.min(best.assess, done - parsed) };
  }
  console.log(`engine: JSON.parse + validation  ${best.parse.toFixed(0)} ms  ${rate(VENDORS, best.parse)}`);
  console.log(`engine: assessment alone         ${best.assess.toFixed(0)} ms  ${rate(VENDORS, best.assess)}`);

  // The whole command as a user runs it: node start, tsx, read, validate, assess, write ~25 MB of JSON.
  const useTime = existsSync('/usr/bin/time');
  const args = ['bin/bridgekeeper.js', 'assess', file, '--as-of', AS_OF];
  const walls: number[] = [];
  let peakKiB = NaN;
  let outBytes = 0;
  for (let run = 0; run < 3; run++) {
    t = performance.now();
    const r = useTime
      ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { cwd: root, maxBuffer: 1 << 30 })
      : spawnSync(process.execPath, args, { cwd: root, maxBuffer: 1 << 30 });
    walls.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`assess exited ${r.status}: ${String(r.stderr).slice(0, 2000)}`);
    outBytes = r.stdout.length;
    if (useTime)
      peakKiB = Math.max(
        Number.isNaN(peakKiB) ? 0 : peakKiB,
        Number(String(r.stderr).trim().split('\n').at(-1)),
      );
  }
  const wall = Math.min(...walls);

  // Side by side: Node itself reading, parsing and re-serialising the same file (the floor any JSON-in, JSON-out
  // tool pays), as a whole process like the command, alternating runs so the machine's drift hits both.
  const copy = `const fs = require('node:fs'); const text = fs.readFileSync(${JSON.stringify(file)}, 'utf8'); process.stdout.write(JSON.stringify(JSON.parse(text)));`;
  const pairs: { assess: number; node: number; npx: number }[] = [];
  for (let run = 0; run < 3; run++) {
    t = performance.now();
    spawnSync(process.execPath, ['-e', copy], { cwd: root, maxBuffer: 1 << 30 });
    const node = performance.now() - t;
    t = performance.now();
    spawnSync(process.execPath, args, { cwd: root, maxBuffer: 1 << 30 });
    const assess = performance.now() - t;
    t = performance.now();
    spawnSync('npx', ['--no-install', 'bridgekeeper', ...args.slice(1)], { cwd: root, maxBuffer: 1 << 30 });
    const npx = performance.now() - t;
    pairs.push({ assess, node, npx });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ratio = median(pairs.map((p) => p.assess / p.node));
  const npxRatio = median(pairs.map((p) => p.npx / p.node));
  console.log(
    `side by side: node read + JSON.parse + JSON.stringify ${(median(pairs.map((p) => p.node)) / 1000).toFixed(2)} s; ` +
      `assess ${ratio.toFixed(2)}x that (through npx ${npxRatio.toFixed(2)}x); goal <= 2.5x: ${ratio <= 2.5 ? 'met' : 'NOT met'}`,
  );
  console.log(
    `whole command: ${walls.map((w) => (w / 1000).toFixed(2)).join(' s, ')} s (best ${(wall / 1000).toFixed(2)} s)  ` +
      `${rate(VENDORS, wall)}  stdout ${(outBytes / 1048576).toFixed(1)} MiB`,
  );
  console.log(
    `peak memory (max RSS of the command): ${Number.isNaN(peakKiB) ? 'n/a (no /usr/bin/time)' : `${(peakKiB / 1024).toFixed(0)} MiB`}`,
  );
  console.log(
    `goal: whole command < 3 s and < 1024 MiB: ${wall < 3000 && !(peakKiB / 1024 >= 1024) ? 'met' : 'NOT met'}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
