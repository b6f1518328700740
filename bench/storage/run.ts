// `npx tsx bench/storage/run.ts`: the storage figures quoted in the issue, on the embedded dynalite (in memory).
//  1. import of 10,000 vendors (2 documents each) through the real import path: seconds and events per second;
//  2. the reconciler's due-vendors query on portfolios of 1,000 / 10,000 / 100,000 vendors with the same 50 due:
//     items read per query (DynamoDB's ScannedCount) must stay flat, because the sparse index is queried by date.
// The due-query portfolios are filled by writing the vendors' STATE items (with their due-index keys) directly in
// batches: pushing 100,000 vendors through the full event path would only measure dynalite's write speed.
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { importPortfolio } from '../../functions/app/import.js';
import { createDynamoClient, documentClient } from '../../functions/adapters/dynamodb/client.js';
import { ensureTable } from '../../functions/adapters/dynamodb/table.js';
import { DynamoEventStore } from '../../functions/adapters/dynamodb/event-store.js';
import { Vendors } from '../../functions/app/vendors.js';
import { systemClock } from '../../functions/ports/clock.js';
import { memoryMac } from '../../functions/adapters/memory/mac.js';
import type { Portfolio, Vendor } from '../../functions/core/portfolio.js';
import { emptyState } from '../../functions/core/vendor-state.js';
import { startDynamoDb } from '../../local/dynamodb.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const IMPORT_VENDORS = Number(process.env.BENCH_IMPORT_VENDORS ?? 10_000);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const DUE = 50;
const NOW = new Date('2026-11-26T09:00:00.000Z');

function syntheticVendor(i: number): Vendor {
  const id = `vendor-${String(i).padStart(6, '0')}`;
  return {
    id,
    name: `Vendor ${i}`,
    tier: (['critical', 'high', 'moderate', 'low'] as const)[i % 4]!,
    managerEmail: `manager${i % 40}@bank.example`,
    contactEmail: `security@${id}.example`,
    dataRegions: ['us'],
    documents: [
      {
        kind: 'soc2-type2',
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        issued: '2026-02-15',
        opinion: 'unqualified',
        auditor: 'Example CPA LLP',
        categories: ['security', 'availability'],
        regions: ['us'],
      },
      { kind: 'bridge-letter', coversFrom: '2026-01-01', coversTo: '2026-03-31', issued: '2026-04-02' },
    ],
  };
}

const db = await startDynamoDb();
const client = createDynamoClient({ endpoint: db.endpoint });
const doc = documentClient(client);
try {
  // ---- 1. import ----
  await ensureTable(client, 'bench-import');
  const store = new Vendors(new DynamoEventStore({ tableName: 'bench-import', client }), {
    clock: systemClock,
    mac: memoryMac('bench'),
  });
  const portfolio: Portfolio = {
    complianceLeadEmail: 'tprm@bank.example',
    vendors: Array.from({ length: IMPORT_VENDORS }, (_, i) => syntheticVendor(i)),
  };
  let started = performance.now();
  const summary = await importPortfolio(store, portfolio, {
    actor: { kind: 'import', by: 'bench' },
    manageDocuments: true,
    concurrency: 32,
  });
  let seconds = (performance.now() - started) / 1000;
  console.log(
    `import: ${IMPORT_VENDORS} vendors, ${summary.events} events in ${seconds.toFixed(1)} s ` +
      `(${Math.round(summary.events / seconds)} events/s, ${Math.round(IMPORT_VENDORS / seconds)} vendors/s; goal < 60 s)`,
  );
  started = performance.now();
  const again = await importPortfolio(store, portfolio, {
    actor: { kind: 'import', by: 'bench' },
    manageDocuments: true,
    concurrency: 32,
  });
  seconds = (performance.now() - started) / 1000;
  console.log(
    `re-import (nothing to do): ${again.unchanged} unchanged, ${again.events} events in ${seconds.toFixed(1)} s`,
  );

  // ---- 2. due-vendors query ----
  const rows: string[] = [];
  for (const size of SIZES) {
    const table = `bench-due-${size}`;
    await ensureTable(client, table);
    const items = Array.from({ length: size }, (_, i) => {
      const vendorId = `vendor-${String(i).padStart(6, '0')}`;
      // The same 50 vendors are due (this morning); everyone else has a next action later in the year.
      const due = i % Math.floor(size / DUE) === 0 && i / Math.floor(size / DUE) < DUE;
      const nextActionAt = due
        ? new Date(NOW.getTime() - (i % 3600) * 1000).toISOString()
        : new Date(NOW.getTime() + 86_400_000 * (1 + (i % 300))).toISOString();
      const state = { ...emptyState(vendorId), nextActionAt };
      return {
        pk: `V#${vendorId}`,
        sk: 'STATE',
        vendorId,
        seq: 0,
        headHash: null,
        state: JSON.stringify(state),
        duePk: 'DUE',
        dueSk: `${nextActionAt}#${vendorId}`,
      };
    });
    const fillStart = performance.now();
    const batches: (typeof items)[] = [];
    for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < batches.length) {
          let pending: Record<string, unknown>[] = batches[next++]!.map((Item) => ({ PutRequest: { Item } }));
          while (pending.length > 0) {
            const result = await doc.send(
              new BatchWriteCommand({ RequestItems: { [table]: pending as never } }),
            );
            pending = (result.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined) ?? [];
          }
        }
      }),
    );
    const fill = (performance.now() - fillStart) / 1000;
    const dueStore = new DynamoEventStore({ tableName: table, client });
    const runs = 5;
    let found = 0;
    const queryStart = performance.now();
    for (let r = 0; r < runs; r++) found = (await dueStore.dueVendors(NOW)).length;
    const ms = (performance.now() - queryStart) / runs;
    rows.push(
      `due query: ${String(size).padStart(7)} vendors, ${found} due: ${dueStore.stats.scanned / runs} items read ` +
        `(ScannedCount), ${dueStore.stats.returned / runs} returned, ${dueStore.stats.queries / runs} page(s), ` +
        `${ms.toFixed(1)} ms/query (fill ${fill.toFixed(1)} s)`,
    );
    console.log(rows.at(-1));
  }
} finally {
  client.destroy();
  await db.stop();
}
