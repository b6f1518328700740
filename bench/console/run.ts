// `npx tsx bench/console/run.ts`: the console's cost at 1,000 and 10,000 vendors, on the embedded dynalite (in
// memory). Each portfolio is a generated one (test/support/generated-vendors.ts) imported through the real import
// path; then the portfolio page is asked for through the console's own route, and every item DynamoDB reads for
// it is counted (a Query's ScannedCount, one per item a BatchGetItem returns). The goal: the same number at both
// sizes, bounded by the page size (one page of summaries and the roll-call's shard items). Then the coverage
// forecast of the 10,000 vendors, timed (goal < 2 s): the policy engine alone (core/forecast.ts, the figure in
// the summary line), and the whole GET /forecast page, which reads every vendor's state first.
// The last line is the summary the issue asks for.
import { signedInSession, staffGet } from '../../test/support/staff-session.js';
import { StaffRecords } from '../../functions/app/staff.js';
import { MemoryStaffStore } from '../../functions/adapters/memory/staff-store.js';
import { forecastCoverage } from '../../functions/core/forecast.js';
import { createDynamoClient } from '../../functions/adapters/dynamodb/client.js';
import { DynamoEventStore } from '../../functions/adapters/dynamodb/event-store.js';
import { ensureTable } from '../../functions/adapters/dynamodb/table.js';
import { memoryMac } from '../../functions/adapters/memory/mac.js';
import { importPortfolio } from '../../functions/app/import.js';
import { Vendors } from '../../functions/app/vendors.js';
import { DEFAULT_POLICY } from '../../functions/core/policy.js';
import type { Vendor } from '../../functions/core/portfolio.js';
import { logger } from '../../functions/edge/logger.js';
import { consoleRoutes } from '../../functions/handlers/console.js';
import { FixedClock } from '../../functions/ports/clock.js';
import type { DocumentFiles } from '../../functions/ports/document-files.js';
import { startDynamoDb } from '../../local/dynamodb.js';
import { countReads } from '../../test/support/dynamo-reads.js';
import { generatedPortfolio } from '../../test/support/generated-vendors.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
logger.setLogLevel('ERROR');

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const staff = await signedInSession('tprm@bank.example', ['compliance-lead'], 'Tara');
const TODAY = '2026-11-26';
const clock = new FixedClock(new Date(`${TODAY}T10:00:00Z`));

const get = (query: Record<string, string> = {}, path = '/') => staffGet(staff.cookie, path, query);

const db = await startDynamoDb();
const client = createDynamoClient({ endpoint: db.endpoint });
const reads = countReads(client);
const perPage = new Map<number, number>();
let largest: Vendor[] = [];
try {
  for (const size of SIZES) {
    const table = `bench-console-${size}`;
    await ensureTable(client, table);
    const vendors = new Vendors(new DynamoEventStore({ tableName: table, client }), {
      clock,
      mac: memoryMac('bench'),
      calendar: { timeZone: 'UTC', policy: DEFAULT_POLICY },
    });
    const portfolio = generatedPortfolio(size, TODAY);
    if (size === Math.max(...SIZES)) largest = portfolio.vendors;
    let started = performance.now();
    const imported = await importPortfolio(vendors, portfolio, {
      actor: { kind: 'import', by: 'bench' },
      manageDocuments: true,
      concurrency: 32,
    });
    console.log(
      `import: ${size} vendors, ${imported.events} events in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const route = consoleRoutes(() => ({
      vendors,
      files: {} as DocumentFiles,
      wake: async () => {},
      clock,
      sessions: staff.sessions,
      staff: new StaffRecords(new MemoryStaffStore(), clock),
      config: { timeZone: 'UTC', policy: DEFAULT_POLICY, publicBaseUrl: 'https://bk.bank.example' },
    }));
    for (const [label, query] of [
      ['portfolio page', {}],
      ['stale vendors', { status: 'stale' }],
      ['critical, expiring', { tier: 'critical', status: 'expiring' }],
      ["a manager's vendors", { manager: 'manager7@bank.example' }],
      ['by name, "vendor 00012"', { q: 'vendor 00012' }],
    ] as const) {
      reads.reset();
      started = performance.now();
      const response = await route(get(query));
      const ms = performance.now() - started;
      if (response.statusCode !== 200) throw new Error(`${label}: HTTP ${response.statusCode}`);
      const rows = (String(response.body).match(/<tr>/g)?.length ?? 1) - 1;
      console.log(
        `  ${label.padEnd(24)} ${String(reads.items).padStart(4)} items read (${reads.calls} calls), ${rows} rows, ${ms.toFixed(0)} ms`,
      );
      if (label === 'portfolio page') perPage.set(size, reads.items);
    }
    reads.reset();
    started = performance.now();
    const page = await route(get({}, '/forecast'));
    if (page.statusCode !== 200) throw new Error(`forecast page: HTTP ${page.statusCode}`);
    console.log(
      `  ${'forecast page'.padEnd(24)} ${String(reads.items).padStart(4)} items read (${reads.calls} calls), ${(performance.now() - started).toFixed(0)} ms`,
    );
  }
} finally {
  client.destroy();
  await db.stop();
}

// The policy engine's forecast alone, after one warm-up on a small slice.
forecastCoverage(largest.slice(0, 100), TODAY, DEFAULT_POLICY);
const forecastStarted = performance.now();
forecastCoverage(largest, TODAY, DEFAULT_POLICY);
const forecast = `forecast for ${largest.length} vendors in ${((performance.now() - forecastStarted) / 1000).toFixed(2)} s`;

const [small, large] = [Math.min(...SIZES), Math.max(...SIZES)];
console.log(
  `console: ${perPage.get(small)} items read per portfolio page at ${small} vendors, ${perPage.get(large)} at ${large} vendors; ${forecast}`,
);
