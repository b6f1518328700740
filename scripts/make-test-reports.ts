// Writes the generated test reports (test/support/reports) as PDF files, to open them in a viewer or to try
// `bridgekeeper extract` and the upload page on them. Deterministic: the same files on every run.
//
//   npx tsx scripts/make-test-reports.ts [--out test-artifacts/reports]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TEST_REPORTS, testReport } from '../test/support/reports/reports.js';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'test-artifacts/reports' } } });
const out = resolve(values.out ?? 'test-artifacts/reports');
mkdirSync(out, { recursive: true });
for (const name of Object.keys(TEST_REPORTS)) {
  const bytes = testReport(name);
  writeFileSync(join(out, name), bytes);
  console.log(`${join(out, name)}  ${(bytes.length / 1024).toFixed(1)} KB`);
}
