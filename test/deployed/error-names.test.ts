// Step Functions matches a Lambda failure's Retry and Catch by the errorType Lambda reports, which the Node.js
// runtime takes from the thrown error's `name` ("Error handling in Step Functions": the error name of a Lambda
// function failure is its errorType; the runtime interface client reports `errorType: error.name`). The bundles
// are minified, so a name that comes from a class's own name would arrive as `er`, match nothing, and end the
// lifecycle through the generic States.ALL catch instead of being retried or re-planned. Here each lifecycle
// bundle, as CDK built it, is made to throw its transient and control-flow errors for real (DynamoDB throttling
// and a lost conditional write injected at the wire, a vendor changed since the plan), and the errorType it
// reports is checked against the names in the deployed definition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../functions/adapters/dynamodb/client.js';
import { DynamoEventStore } from '../../functions/adapters/dynamodb/event-store.js';
import { Vendors } from '../../functions/app/vendors.js';
import { systemClock } from '../../functions/ports/clock.js';
import { lifecycleExecutionName } from '../../functions/adapters/sfn/lifecycle.js';
import { parsePortfolio } from '../../functions/core/portfolio.js';
import { importPortfolio } from '../../functions/app/import.js';
import type { DynamoFault } from './aws.js';
import { deployedMac, lambdaStates, startDeployed, taskEvent, type Deployed } from './context.js';
import type { Json } from './template.js';

const VENDOR = 'contoso';
let d: Deployed;

beforeAll(async () => {
  d = await startDeployed((f) => ['plan', 'wait', 'record-failure'].includes(f.name));
  const [tableId] = d.t.ofType('AWS::DynamoDB::Table')[0]!;
  const store = new Vendors(
    new DynamoEventStore({
      tableName: d.t.ref(tableId),
      client: createDynamoClient({ endpoint: d.aws.dynamoEndpoint }),
    }),
    { clock: systemClock, mac: deployedMac(d) },
  );
  const portfolio = parsePortfolio({
    complianceLeadEmail: 'tara.lind@bank.example',
    vendors: [
      {
        id: VENDOR,
        name: 'Contoso Payroll',
        tier: 'moderate',
        managerEmail: 'priya.raman@bank.example',
        contactEmail: 'security@contoso.example',
        documents: [],
      },
    ],
  });
  await importPortfolio(store, portfolio, {
    actor: { kind: 'import', by: 'deployed-suite' },
    manageDocuments: true,
  });
}, 120_000);

afterAll(async () => {
  await d?.stop();
});

/** The names a state's Retry and Catch match specifically (not the catch-all States.ALL). */
function namesOf(state: Json): { retried: string[]; caught: string[] } {
  const names = (list: Json[] | undefined) =>
    (list ?? []).flatMap((r) => r.ErrorEquals as string[]).filter((n) => n !== 'States.ALL');
  return { retried: names(state.Retry), caught: names(state.Catch) };
}

const context = { Execution: { Name: lifecycleExecutionName(VENDOR, 1) }, Task: { Token: 'task-token-e' } };
const inputs: Record<string, Json> = {
  Plan: { vendorId: VENDOR, generation: 1, plan: { action: 'start', loops: 0 } },
  // seenSeq 0: the vendor has changed since (it was imported), so the wait must not sleep.
  Sleep: {
    vendorId: VENDOR,
    generation: 1,
    plan: { wakeAt: '2030-01-01T09:00:00.000Z', seenSeq: 0, sent: [], sleepSeconds: 60 },
  },
  RecordFailure: { vendorId: VENDOR, generation: 1, failure: { Error: 'States.TaskFailed', Cause: 'test' } },
};

/** What each state's function reports when made to fail in these ways. */
const scenarios: { state: string; fault?: DynamoFault; expected: string }[] = [
  { state: 'Plan', fault: 'throttle', expected: 'UnavailableError' },
  { state: 'Plan', fault: 'conflict', expected: 'ConflictError' },
  { state: 'Sleep', fault: 'throttle', expected: 'UnavailableError' },
  { state: 'RecordFailure', fault: 'throttle', expected: 'UnavailableError' },
  { state: 'RecordFailure', fault: 'conflict', expected: 'ConflictError' },
];

const reported = new Map<string, Set<string>>();

describe('errors the lifecycle bundles report', () => {
  it.each(scenarios)(
    '$state with $fault DynamoDB: $expected, matched by the state',
    async ({ state, fault, expected }) => {
      const entry = lambdaStates(d).get(state)!;
      const f = d.functions.get(entry.fn)!;
      if (fault) d.aws.faults.set(entry.fn, fault);
      try {
        const out = await f.invoke(taskEvent(d, state, inputs[state], context));
        expect(out.ok, JSON.stringify(out)).toBe(false);
        if (out.ok) return;
        const set = reported.get(state) ?? new Set<string>();
        reported.set(state, set.add(out.errorType));
        expect(out.errorType, out.errorMessage).toBe(expected);
        const { retried, caught } = namesOf(entry.state);
        expect([...retried, ...caught], `${state} neither retries nor catches ${out.errorType}`).toContain(
          out.errorType,
        );
      } finally {
        d.aws.faults.delete(entry.fn);
      }
    },
  );

  it('every error name the definition retries or catches on a Lambda state is one a bundle reports', () => {
    const ours = new Set<string>();
    for (const [, { state }] of lambdaStates(d)) {
      const { retried, caught } = namesOf(state);
      for (const name of [...retried, ...caught]) if (!/^(States|Lambda)\./.test(name)) ours.add(name);
    }
    const all = new Set([...reported.values()].flatMap((s) => [...s]));
    expect([...ours].sort()).toEqual(['ConflictError', 'UnavailableError']);
    for (const name of ours) expect(all, name).toContain(name);
  });

  it('a Sleep on a vendor that changed since its plan is no error: it ends its own sleep (SendTaskSuccess)', async () => {
    const entry = lambdaStates(d).get('Sleep')!;
    const out = await d.functions.get(entry.fn)!.invoke(taskEvent(d, 'Sleep', inputs.Sleep, context));
    expect(out.ok, JSON.stringify(out)).toBe(true);
    if (!out.ok) return;
    expect(out.result).toEqual({ waiting: false });
    const success = d.aws.sfnCalls.filter((c) => c.operation === 'SendTaskSuccess');
    expect(success.map((c) => c.body.taskToken)).toEqual(['task-token-e']);
    expect(JSON.parse(success[0]!.body.output)).toEqual({ woken: 'vendor-changed' });
  });
});
