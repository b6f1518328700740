// bench/uploads: the vendor's upload round trip on the local stack (entries -> presigned POST -> s3rver ->
// ingest: PDF check, SHA-256, document-added, review-request mail -> status "received"), and the page handlers'
// latency over the local HTTP front. Prints p50/p95/max; no pass/fail.
// Run: npx tsx bench/uploads/run.ts [uploads] [fileMB]
import '../../test/support/quiet-logs.js';
import { randomBytes } from 'node:crypto';
import { PDF, startTestStack } from '../../test/support/people-stack.js';

const UPLOADS = Number(process.argv[2] ?? 20);
const FILE_MB = Number(process.argv[3] ?? 5);

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!.toFixed(1);
  return `p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${s.at(-1)!.toFixed(1)} ms (n=${s.length})`;
}

const stack = await startTestStack();
try {
  const token = await stack.tokenFor('assurance@ledgerline.example');
  const entries = {
    kind: 'soc2-type2',
    periodStart: '2025-10-01',
    periodEnd: '2026-09-30',
    issued: '2026-11-20',
    opinion: 'unqualified',
    auditor: 'Example CPA LLP',
    categories: ['security', 'availability', 'processing-integrity'],
    regions: 'us',
  };
  const roundTrips: number[] = [];
  for (let i = 0; i < UPLOADS; i++) {
    // Distinct files: each one is a new document (the same bytes twice would be one document).
    const file = Buffer.concat([PDF, randomBytes(FILE_MB * 1024 * 1024)]);
    const started = performance.now();
    const result = await stack.upload(token, entries, file);
    roundTrips.push(performance.now() - started);
    if (result.status?.state !== 'received') throw new Error(`upload ${i}: ${JSON.stringify(result.status)}`);
  }
  process.stdout.write(`upload round trip, ${FILE_MB} MB PDF: ${stats(roundTrips)}\n`);

  const cookie = await stack.signIn('tprm@bank.example');
  for (const [name, path, auth] of [
    ['vendor upload page', `/u/${token}`, undefined],
    ['review queue', '/review', cookie],
    ['portfolio console', '/', cookie],
    ['vendor page + audit trail', '/vendors/ledgerline', cookie],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 30; i++) {
      const started = performance.now();
      const response = await stack.get(path, auth);
      await response.text();
      times.push(performance.now() - started);
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    }
    process.stdout.write(`${name}: ${stats(times)}\n`);
  }
} finally {
  await stack.stop();
}
