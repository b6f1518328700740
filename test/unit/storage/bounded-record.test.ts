// Bounded input and a bounded record (docs/data-model.md, "Bounded records"): every field and list has a limit
// enforced before anything is written, and a vendor's state item stays far below DynamoDB's 400 KB however long it
// lives, because the record keeps bounded history (the log keeps everything).
import { testMac } from '../../support/mac.js';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../cli/commands/simulate.js';
import { MAX_STATE_BYTES, Vendors } from '../../../functions/app/vendors.js';
import { MemoryEventStore } from '../../../functions/adapters/memory/event-store.js';
import {
  canStartUpload,
  documentIdFor,
  MAX_PENDING_DOCUMENTS,
} from '../../../functions/core/commands/people.js';
import { ValidationError, type Problem } from '../../../functions/core/errors.js';
import type { NewEvent } from '../../../functions/core/events.js';
import { DOCUMENT_LIMITS, validateDocument } from '../../../functions/core/portfolio.js';
import { RECORD_LIMITS, reduceEvents } from '../../../functions/core/vendor-state.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import { chain, registered } from './fixtures.js';

const report = (periodEnd: string, extra: Record<string, unknown> = {}) => ({
  kind: 'soc2-type2',
  periodStart: `${Number(periodEnd.slice(0, 4)) - 1}${periodEnd.slice(4)}`,
  periodEnd,
  opinion: 'unqualified',
  ...extra,
});

function problemsOf(input: unknown): Problem[] {
  const problems: Problem[] = [];
  validateDocument(input, 'document', problems);
  return problems;
}

/** A report whose JSON is exactly `bytes` long: exceptions with long management responses (each at most 4000). */
function reportOfSize(bytes: number) {
  const exceptions: { control: string; managementResponse: string }[] = [];
  const doc = () => report('2026-06-30', { exceptions });
  while (Buffer.byteLength(JSON.stringify(doc())) < bytes) {
    const left = bytes - Buffer.byteLength(JSON.stringify(doc()));
    const overhead =
      Buffer.byteLength(JSON.stringify({ control: `C${exceptions.length}`, managementResponse: '' })) + 1;
    const fill = Math.min(4000, left - overhead);
    if (fill < 0) {
      // Too little room for another exception: lengthen the last one instead.
      exceptions[exceptions.length - 1]!.managementResponse += 'z'.repeat(left);
      break;
    }
    exceptions.push({ control: `C${exceptions.length}`, managementResponse: 'x'.repeat(fill) });
  }
  return doc();
}

describe('input limits, at the limit and one past it', () => {
  it(`a document of ${DOCUMENT_LIMITS.bytes} bytes is taken, one byte more is refused, naming its size`, () => {
    const fitted = reportOfSize(DOCUMENT_LIMITS.bytes);
    expect(Buffer.byteLength(JSON.stringify(fitted))).toBe(DOCUMENT_LIMITS.bytes);
    expect(problemsOf(fitted)).toEqual([]);
    const over = structuredClone(fitted) as unknown as { exceptions: { managementResponse: string }[] };
    over.exceptions.at(-1)!.managementResponse += 'x';
    expect(problemsOf(over)).toEqual([
      {
        path: 'document',
        message: `is too large (${DOCUMENT_LIMITS.bytes + 1} bytes as JSON; at most ${DOCUMENT_LIMITS.bytes}): shorten its texts or lists`,
      },
    ]);
  });

  it(`at most ${DOCUMENT_LIMITS.exceptions} exceptions and ${DOCUMENT_LIMITS.regions} regions`, () => {
    const exceptions = (n: number) => Array.from({ length: n }, (_, i) => ({ control: `C${i}` }));
    expect(problemsOf(report('2026-06-30', { exceptions: exceptions(100) }))).toEqual([]);
    expect(problemsOf(report('2026-06-30', { exceptions: exceptions(101) }))).toEqual([
      { path: 'document.exceptions', message: 'lists 101 exceptions; at most 100' },
    ]);
    const regions = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);
    expect(problemsOf(report('2026-06-30', { regions: regions(50) }))).toEqual([]);
    expect(problemsOf(report('2026-06-30', { regions: regions(51) }))).toEqual([
      { path: 'document.regions', message: 'lists 51 regions; at most 50' },
    ]);
  });

  it(`a text field of 4000 characters is taken, 4001 refused`, () => {
    expect(problemsOf(report('2026-06-30', { auditor: 'a'.repeat(4000) }))).toEqual([]);
    expect(problemsOf(report('2026-06-30', { auditor: 'a'.repeat(4001) }))).toEqual([
      { path: 'document.auditor', message: 'is too long (4001 characters; at most 4000)' },
    ]);
  });

  it(`at most ${MAX_PENDING_DOCUMENTS} documents wait for review at once`, () => {
    const pending = (i: number): NewEvent => ({
      type: 'document-added',
      data: {
        documentId: documentIdFor(String(i).repeat(64)),
        document: report('2026-06-30') as never,
        source: 'upload',
        status: 'pending-review',
      },
    });
    const two = reduceEvents('acme', chain('acme', [registered('acme'), pending(1), pending(2)]));
    expect(() => canStartUpload(two)).not.toThrow();
    const three = reduceEvents(
      'acme',
      chain('acme', [registered('acme'), pending(1), pending(2), pending(3)]),
    );
    expect(() => canStartUpload(three)).toThrow('3 documents are already waiting for review');
  });
});

describe('a bounded record', () => {
  it('a vendor that never answers, for five years: its record stays small; the log keeps everything', async () => {
    let stateBytes = 0;
    let events = 0;
    const { lines } = await simulate({
      portfolio: {
        complianceLeadEmail: 'tprm@bank.example',
        vendors: [
          {
            id: 'silent',
            name: 'Silent Vendor',
            tier: 'critical',
            managerEmail: 'm@bank.example',
            contactEmail: 'c@silent.example',
            documents: [report('2025-12-31') as never],
          },
        ],
      },
      from: '2026-01-01',
      to: '2030-12-31',
      inspect: async (stack) => {
        const state = await stack.store.load('silent');
        stateBytes = Buffer.byteLength(JSON.stringify(state));
        events = (await stack.store.events('silent')).length;
        expect(state!.notifications.length).toBeLessThan(80);
        expect(Object.keys(state!.emails).length).toBeLessThan(10);
      },
    });
    expect(lines.filter((l) => l.type === 'vendor-follow-up').length).toBeGreaterThan(200);
    expect(events).toBeGreaterThan(500);
    expect(stateBytes).toBeLessThan(40_000);
  });

  it('the worst a vendor can hold (the largest documents in every kept place) stays below the state limit', () => {
    const big = (periodEnd: string) => {
      const doc = reportOfSize(DOCUMENT_LIMITS.bytes - 200);
      return { ...doc, periodEnd, periodStart: `${Number(periodEnd.slice(0, 4)) - 1}${periodEnd.slice(4)}` };
    };
    const events: NewEvent[] = [registered('acme')];
    for (let year = 2010; year < 2030; year++)
      events.push({
        type: 'document-added',
        data: {
          documentId: `a${year}`,
          document: big(`${year}-06-30`) as never,
          source: 'import',
          status: 'accepted',
        },
      });
    for (let i = 0; i < 10; i++) {
      events.push({
        type: 'document-added',
        data: {
          documentId: `r${i}`,
          document: big(`2029-0${(i % 9) + 1}-01`) as never,
          source: 'upload',
          status: 'pending-review',
        },
      });
      events.push({ type: 'document-rejected', data: { documentId: `r${i}`, reason: 'x'.repeat(2000) } });
    }
    for (let i = 0; i < MAX_PENDING_DOCUMENTS; i++)
      events.push({
        type: 'document-added',
        data: {
          documentId: `p${i}`,
          document: big('2029-12-31') as never,
          source: 'upload',
          status: 'pending-review',
        },
      });
    const state = reduceEvents('acme', chain('acme', events));
    const whole = state.documents.filter((d) => !d.compacted);
    expect(whole.length).toBe(
      RECORD_LIMITS.wholeAccepted + RECORD_LIMITS.wholeRefused + MAX_PENDING_DOCUMENTS,
    );
    const bytes = Buffer.byteLength(JSON.stringify(state));
    expect(bytes).toBeLessThan(MAX_STATE_BYTES);
    expect(bytes).toBeLessThan(400_000 / 2);
  });

  it('a commit that would still take the record past its limit is refused and writes nothing', async () => {
    const store = new MemoryEventStore();
    const vendors = new Vendors(store, {
      clock: new FixedClock(new Date('2026-11-26T09:00:00Z')),
      mac: testMac(),
    });
    await vendors.update('acme', () => [registered('acme')], { actor: { kind: 'import', by: 't' } });
    // Far past every bound the inputs enforce (a writer that skipped validation).
    const huge: NewEvent = {
      type: 'vendor-updated',
      data: { changes: { name: 'n'.repeat(MAX_STATE_BYTES) } },
    };
    await expect(
      vendors.update('acme', () => [huge], { actor: { kind: 'import', by: 't' } }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect((await vendors.events('acme')).map((e) => e.type)).toEqual(['vendor-registered']);
  });
});
