// bench/lifecycle: 300 vendors x 3 years through the embedded runner and the real handlers (npx tsx
// bench/lifecycle/run.ts [vendors] [years]). Prints vendor-years simulated per second; per vendor-year the state
// transitions, Lambda invocations, DynamoDB reads and writes (capacity units, counted on the wire by a proxy in
// front of dynalite) and e-mails; and the AWS list-price cost per 1,000 vendor-years.
import { fork } from 'node:child_process';
import { simulate, type ScriptedEvent } from '../../cli/commands/simulate.js';
import { addDays, addMonths } from '../../functions/core/dates.js';
import type { Portfolio, Vendor, VendorDocument } from '../../functions/core/portfolio.js';
import { resetRuntime } from '../../functions/edge/runtime.js';
import type { DynamoCounts } from './dynamo-process.js';

process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
// The SDK's Node 22 notice, once per process (the parent and the dynalite child): not this bench's concern.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const VENDORS = Number(process.argv[2] ?? 300);
const YEARS = Number(process.argv[3] ?? 3);
const FROM = '2026-01-01';
const TO = addDays(addMonths(FROM, 12 * YEARS), -1);

// A deterministic mix: most vendors renew 1-3 weeks after the request; some only after lapse, with a bridge
// letter first; a few never answer the first year.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const between = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));

function soc2(periodEnd: string): VendorDocument {
  return {
    kind: 'soc2-type2',
    periodStart: addDays(addMonths(periodEnd, -12), 1),
    periodEnd,
    opinion: 'unqualified',
    auditor: 'Example CPA LLP',
    categories: ['security', 'availability'],
  } as VendorDocument;
}

function build(): { portfolio: Portfolio; events: ScriptedEvent[] } {
  const vendors: Vendor[] = [];
  const events: Omit<ScriptedEvent, 'index'>[] = [];
  for (let i = 0; i < VENDORS; i++) {
    const id = `vendor-${String(i).padStart(4, '0')}`;
    let periodEnd = addDays('2025-03-31', between(0, 364));
    vendors.push({
      id,
      name: `Vendor ${i}`,
      tier: (['critical', 'high', 'moderate', 'low'] as const)[i % 4]!,
      managerEmail: `manager${i % 17}@bank.example`,
      contactEmail: `security@${id}.example`,
      documents: [soc2(periodEnd)],
    });
    const kind = random();
    for (let lapse = addMonths(periodEnd, 12); lapse <= TO; lapse = addMonths(periodEnd, 12)) {
      const request = addDays(lapse, -30);
      const next = addMonths(periodEnd, 12);
      if (kind < 0.85) {
        // On time: a report whose period ended a few weeks before it is sent (never one still running).
        const upload = addDays(request, between(3, 25));
        const renewed = addDays(upload, -between(10, 30));
        events.push({ date: upload, vendorId: id, upload: soc2(renewed), review: 'accept' });
        periodEnd = renewed;
        continue;
      } else if (kind < 0.95) {
        const letter = addDays(lapse, between(3, 20));
        events.push({
          date: letter,
          vendorId: id,
          upload: { kind: 'bridge-letter', coversFrom: addDays(periodEnd, 1), coversTo: addDays(letter, -1) },
          review: 'accept',
        });
        events.push({
          date: addDays(letter, between(30, 60)),
          vendorId: id,
          upload: soc2(next),
          review: 'accept',
        });
      } else {
        events.push({
          date: addDays(lapse, between(90, 200)),
          vendorId: id,
          upload: soc2(next),
          review: 'accept',
        });
      }
      periodEnd = next;
    }
  }
  return {
    portfolio: { complianceLeadEmail: 'tprm@bank.example', vendors },
    events: events.filter((e) => e.date >= FROM && e.date <= TO).map((e, index) => ({ ...e, index })),
  };
}

const { portfolio, events } = build();

// 1. The in-memory store (what `simulate` runs on): the runner and the handlers alone.
const memoryStarted = performance.now();
let memorySimulating = 0;
const memory = await simulate({
  portfolio,
  from: FROM,
  to: TO,
  events,
  onStart: async () => {
    memorySimulating = performance.now();
  },
});
const memorySeconds = (performance.now() - memorySimulating) / 1000;
const memoryTotal = (performance.now() - memoryStarted) / 1000;
if (memory.refused.length) process.stderr.write(`bench: ${memory.refused.length} scripted events refused\n`);

if (process.argv[4] === 'memory-only') {
  process.stdout.write(
    `in-memory store: ${VENDORS} vendors x ${YEARS} years: ${memorySeconds.toFixed(1)} s = ${((VENDORS * YEARS) / memorySeconds).toFixed(1)} vendor-years/s\n`,
  );
  process.exit(0);
}

// 2. The embedded DynamoDB: dynalite and the counting proxy run in a child process: the other core, and the counts cost the runner nothing.
const child = fork(new URL('./dynamo-process.ts', import.meta.url), [], {
  execArgv: [
    '--import',
    'tsx',
    ...(process.env.BENCH_CHILD_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_CHILD_PROF] : []),
  ],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
});
const endpoints = await new Promise<{ proxy: string; direct: string }>((resolve) =>
  child.once('message', (m) => resolve(m as { proxy: string; direct: string })),
);
let mails = 0;
let mailBytes = 0;
const started = performance.now();
let simulating = 0;
const { stats } = await simulate({
  portfolio,
  from: FROM,
  to: TO,
  events,
  dynamodbEndpoint: endpoints.direct,
  storage: 'dynamodb',
  onStart: async () => {
    // The handlers' traffic goes through the proxy (the import and the scripted people's side do not).
    // BENCH_UNCOUNTED=1 skips it, to see what the proxy itself costs.
    if (!process.env.BENCH_UNCOUNTED) process.env.AWS_ENDPOINT_URL_DYNAMODB = endpoints.proxy;
    resetRuntime();
    simulating = performance.now();
  },
  inspect: async (stack) => {
    const messages = await stack.mailbox.messages();
    mails = messages.length;
    mailBytes = messages.reduce((n, m) => n + (m.body.html?.length ?? 0) + (m.body.text?.length ?? 0), 0);
  },
});
const seconds = (performance.now() - simulating) / 1000;
const total = (performance.now() - started) / 1000;
child.send('counts');
const counts = await new Promise<DynamoCounts>((resolve) =>
  child.once('message', (m) => resolve(m as DynamoCounts)),
);
child.send('exit');

const vendorYears = VENDORS * YEARS;
const per = (n: number) => n / vendorYears;
// AWS list prices (us-east-1): Standard transitions, Lambda (arm64, 256 MB, ~120 ms per invocation as measured
// cold-ish in Lambda for these small handlers), DynamoDB on-demand, SES.
const transitionsCost = (per(stats.stateTransitions) * 1000 * 0.025) / 1000;
const lambdaRequests = (per(stats.lambdaInvocations) * 1000 * 0.2) / 1e6;
const lambdaDuration = per(stats.lambdaInvocations) * 1000 * 0.12 * 0.25 * 0.0000133334;
const dynamoCost = (per(counts.readUnits) * 1000 * 0.25 + per(counts.writeUnits) * 1000 * 1.25) / 1e6;
const mailCost = (per(mails) * 1000 * 0.1) / 1000;
const totalCost = transitionsCost + lambdaRequests + lambdaDuration + dynamoCost + mailCost;
const reportBytes = 600 * 1024; // a SOC 2 report PDF is about 0.3-1 MB; uploads a vendor-year: see below

const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(44)} ${value}\n`);
process.stdout.write(
  `bench/lifecycle: ${VENDORS} vendors x ${YEARS} years (${FROM} .. ${TO}), ${events.length} scripted uploads\n`,
);
line(
  'in-memory store: wall (simulation / whole)',
  `${memorySeconds.toFixed(1)} s / ${memoryTotal.toFixed(1)} s = ${(vendorYears / memorySeconds).toFixed(1)} vendor-years/s`,
);
line(
  '  where the time goes',
  `${((memory.stats.lambdaMs / 1000 / memorySeconds) * 100).toFixed(0)} % inside handlers (concurrent), ` +
    `${memory.stats.stateTransitions} transitions, ${memory.stats.lambdaInvocations} handler runs`,
);
line(
  'embedded DynamoDB: wall (simulation / whole)',
  `${seconds.toFixed(1)} s / ${total.toFixed(1)} s = ${(vendorYears / seconds).toFixed(1)} vendor-years/s`,
);
line('executions started', String(stats.executionsStarted));
line('state transitions per vendor-year', per(stats.stateTransitions).toFixed(1));
line('Lambda invocations per vendor-year', per(stats.lambdaInvocations).toFixed(1));
line(
  '  time inside handlers (share of wall)',
  `${((stats.lambdaMs / 1000 / seconds) * 100).toFixed(0)} % (handlers run concurrently)`,
);
line(
  'DynamoDB requests per vendor-year',
  per(Object.values(counts.requests).reduce((a, b) => a + b, 0)).toFixed(1),
);
line(
  '  by operation',
  JSON.stringify(
    Object.fromEntries(Object.entries(counts.requests).map(([k, v]) => [k, +per(v).toFixed(1)])),
  ),
);
line('DynamoDB read units per vendor-year', per(counts.readUnits).toFixed(1));
line('DynamoDB write units per vendor-year', per(counts.writeUnits).toFixed(1));
line(
  'e-mails per vendor-year',
  `${per(mails).toFixed(2)} (avg ${(mailBytes / Math.max(1, mails) / 1024).toFixed(1)} KB)`,
);
process.stdout.write('cost per 1,000 vendor-years (AWS list price, us-east-1):\n');
line('  Step Functions Standard transitions', `$${transitionsCost.toFixed(3)}`);
line('  Lambda requests + duration (arm64 256 MB)', `$${(lambdaRequests + lambdaDuration).toFixed(3)}`);
line('  DynamoDB on-demand reads + writes', `$${dynamoCost.toFixed(3)}`);
line('  SES e-mails', `$${mailCost.toFixed(3)}`);
line('  total, excluding storage', `$${totalCost.toFixed(3)}`);
const uploadsPerVendorYear = events.length / vendorYears;
const gigabytes = (uploadsPerVendorYear * reportBytes * 1000) / 1024 ** 3;
line(
  'storage (S3 Standard, its own line)',
  `${uploadsPerVendorYear.toFixed(2)} uploads/vendor-year x ${(reportBytes / 1024).toFixed(0)} KB = ${gigabytes.toFixed(2)} GB per 1,000 vendor-years: $${(gigabytes * 0.023).toFixed(4)} per month kept`,
);
const requests = Object.values(counts.requests).reduce((a, b) => a + b, 0);
process.stdout.write(
  `where the time goes: ${requests} DynamoDB requests in ${seconds.toFixed(0)} s = ${(requests / seconds).toFixed(0)} requests/s ` +
    `through the one dynalite process (and its counting proxy); ${stats.lambdaInvocations} handler runs averaging ` +
    `${(stats.lambdaMs / Math.max(1, stats.lambdaInvocations)).toFixed(0)} ms each, nearly all of it waiting on DynamoDB.\n`,
);
