// bench/extract: intake assist on the generated 100-page SOC 2 report. Builds the extraction path
// (functions/adapters/pdf/extract-report.ts) with the Lambda construct's own esbuild options
// (infra/bundling.ts), prints its minified size against the 300 KB per-function budget, then runs the bundle in
// fresh Node.js processes, as a Lambda would, and prints the time to extract (cold: with loading the bundle;
// warm: a second report in the same process) and the process's peak memory against the ingest function's
// 512 MB. Figures only: the bench always exits 0 (docs/intake.md records the figures and the decision).
//
//   npx tsx bench/extract/run.ts [--runs 5]
import { build, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { ESBUILD_OPTIONS } from '../../infra/bundling.js';
import { PROJECT_ROOT } from '../../infra/stack.js';
import { testReport } from '../../test/support/reports/reports.js';

const SIZE_BUDGET_BYTES = 300 * 1024;
const INGEST_MEMORY_MB = 512;
const TIME_GOAL_MS = 5000;
const ENTRY = 'functions/adapters/pdf/extract-report.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Math.max(1, Number(values.runs) || 5);
const outdir = path.join(PROJECT_ROOT, 'bench', 'out', 'extract');
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function heaviest(metafile: Metafile, count: number): string {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'project code';
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${kb(bytes)}`)
    .join(', ');
}

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const bundle = path.join(outdir, 'index.mjs');
const built = await build({
  ...ESBUILD_OPTIONS,
  mainFields: [...ESBUILD_OPTIONS.mainFields],
  external: [...ESBUILD_OPTIONS.external],
  entryPoints: [path.join(PROJECT_ROOT, ENTRY)],
  outfile: bundle,
  metafile: true,
  logLevel: 'silent',
});
const size = statSync(bundle).size;
const gzip = gzipSync(readFileSync(bundle)).length;

const report = path.join(outdir, 'acme-soc2-type2-100-pages.pdf');
const bytes = testReport('acme-soc2-type2-100-pages.pdf');
writeFileSync(report, bytes);

// One fresh process per run: import the bundle, extract the report (cold), extract it again (warm).
const probe = `
const t0 = performance.now();
const { extractReport } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
const { readFileSync } = await import('node:fs');
const bytes = new Uint8Array(readFileSync(${JSON.stringify(report)}));
const baseline = process.memoryUsage().rss;
const t1 = performance.now();
const first = await extractReport(bytes);
const t2 = performance.now();
await extractReport(bytes);
const t3 = performance.now();
process.stdout.write(JSON.stringify({
  importMs: t1 - t0, coldMs: t2 - t0, extractMs: t2 - t1, warmMs: t3 - t2,
  baselineMb: baseline / 1048576, peakMb: process.resourceUsage().maxRSS / 1024,
  pages: first.pageCount, fields: first.textLayer ? Object.keys(first.fields).length : 0,
  exceptions: first.textLayer ? first.fields.exceptions?.value.length : 0,
}));`;
const samples: Record<string, number>[] = [];
for (let i = 0; i < runs; i++) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.log(`WARN the bundle failed to extract: ${(r.stderr || '').trim().split('\n')[0]}`);
    process.exit(0);
  }
  samples.push(JSON.parse(r.stdout) as Record<string, number>);
}
const m = (key: string) => median(samples.map((s) => s[key]!));
const peak = Math.max(...samples.map((s) => s.peakMb!));

console.log(
  `bench/extract: ${ENTRY}, esbuild ${ESBUILD_OPTIONS.target} ${ESBUILD_OPTIONS.format} minify (infra/bundling.ts); median of ${runs} fresh processes (node ${process.version})`,
);
console.log('');
console.log(`bundle            ${kb(size)} minified, ${kb(gzip)} gzip (budget ${kb(SIZE_BUDGET_BYTES)})`);
console.log(`  heaviest        ${heaviest(built.metafile, 3)}`);
console.log(
  `report            ${samples[0]!.pages} pages, ${kb(bytes.length)}; ${samples[0]!.fields} fields, ${samples[0]!.exceptions} exceptions`,
);
console.log(`import bundle     ${m('importMs').toFixed(0)} ms`);
console.log(
  `extract (cold)    ${m('extractMs').toFixed(0)} ms after import, ${m('coldMs').toFixed(0)} ms with it`,
);
console.log(`extract (warm)    ${m('warmMs').toFixed(0)} ms`);
console.log(
  `peak memory       ${peak.toFixed(0)} MB RSS (process before extracting: ${m('baselineMb').toFixed(0)} MB; limit ${INGEST_MEMORY_MB} MB)`,
);
console.log('');
if (size > SIZE_BUDGET_BYTES)
  console.log(
    `WARN the extraction path is ${kb(size)}, over the ${kb(SIZE_BUDGET_BYTES)} per-function budget: it runs in its own function (docs/intake.md)`,
  );
if (m('coldMs') > TIME_GOAL_MS) console.log(`WARN extraction takes over ${TIME_GOAL_MS} ms`);
if (peak > INGEST_MEMORY_MB) console.log(`WARN peak memory over ${INGEST_MEMORY_MB} MB`);
