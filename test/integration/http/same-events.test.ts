// `simulate` has no upload or review of its own: the same upload and review, once through the local stack over
// HTTP (the vendor's browser, S3's notification, the manager's signed-in form) and once scripted in `simulate`,
// record the same events. Compared: every event the people's side records (actor: the vendor's link or the
// manager), in order, with what differs by nature (instants, hashes, the bytes' digest and the ids derived from
// it, the link's nonce, SES's message ids) masked.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../../cli/commands/simulate.js';
import type { StoredEvent } from '../../../functions/core/events.js';
import { parsePortfolioJson } from '../../../functions/core/portfolio.js';
import { PDF, ROOT, START, startTestStack, type TestStack } from '../../support/people-stack.js';

const VENDOR = 'ledgerline';
const DOCUMENT = {
  kind: 'soc2-type2',
  periodStart: '2025-10-01',
  periodEnd: '2026-09-30',
  issued: '2026-11-20',
  opinion: 'unqualified',
  auditor: 'Example CPA LLP',
  categories: ['security', 'availability', 'processing-integrity'],
  regions: ['us'],
} as const;

const VOLATILE = new Set(['at', 'hash', 'prevHash', 'seq', 'messageId', 'sha256', 'size', 'key', 'uploadId']);
/** Kept by a versioned bucket only (S3, the memory store), not by the embedded s3rver. */
const BUCKET_SPECIFIC = new Set(['versionId']);

/** The event with what differs by nature masked; ids derived from the file's digest become one placeholder. */
function comparable(event: StoredEvent, ids: Map<string, string>): unknown {
  const mask = (value: unknown, key?: string): unknown => {
    if (key && VOLATILE.has(key)) return '<volatile>';
    if (typeof value === 'string') {
      if (/^up-[0-9a-f]{24}$/.test(value) || /^[0-9a-f]{32,64}$/.test(value)) {
        if (!ids.has(value)) ids.set(value, `<id${ids.size}>`);
        return ids.get(value);
      }
      return value
        .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<instant>')
        .replace(/https?:\/\/127\.0\.0\.1:\d+/g, '<base>')
        .replace(/up-[0-9a-f]{24}/g, (id) => {
          if (!ids.has(id)) ids.set(id, `<id${ids.size}>`);
          return ids.get(id)!;
        });
    }
    if (Array.isArray(value)) return value.map((v) => mask(v));
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => !BUCKET_SPECIFIC.has(k))
          .map(([k, v]) => [k, mask(v, k)]),
      );
    return value;
  };
  return mask({ type: event.type, actor: event.actor.kind, data: event.data });
}

const peoples = (events: StoredEvent[]) =>
  events.filter((e) => e.actor.kind === 'vendor-link' || e.actor.kind === 'staff');

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

describe('simulate and the people’s side', () => {
  it('record the same events for the same upload and review', async () => {
    // Over HTTP, on the local stack.
    const token = await stack.tokenFor('assurance@ledgerline.example');
    const uploaded = await stack.upload(token, { document: DOCUMENT }, PDF);
    expect(uploaded.status?.state).toBe('received');
    const documentId = (await stack.embedded.store.load(VENDOR))!.documents.find(
      (d) => d.source === 'upload',
    )!.documentId;
    const cookie = await stack.signIn('priya.raman@bank.example');
    const page = await (await stack.get(`/review/${VENDOR}/${documentId}`, cookie)).text();
    const checks = [...page.matchAll(/name="check"\s+value="([^"]+)"/g)].map((m) => m[1]!);
    const decided = await stack.postForm(
      `/review/${VENDOR}/${documentId}`,
      { decision: 'accept', check: checks },
      cookie,
    );
    expect(decided.status).toBe(303);
    await stack.idle();
    const overHttp = peoples(await stack.embedded.store.events(VENDOR));

    // Scripted in simulate, on the same day.
    let simulated: StoredEvent[] = [];
    const day = START.toISOString().slice(0, 10);
    await simulate({
      portfolio: parsePortfolioJson(readFileSync(`${ROOT}examples/portfolio.json`, 'utf8')),
      from: day,
      to: day,
      events: [{ index: 0, date: day, vendorId: VENDOR, upload: DOCUMENT as never, review: 'accept' }],
      inspect: async (s) => {
        simulated = peoples(await s.store.events(VENDOR));
      },
    });

    expect(overHttp.length).toBeGreaterThanOrEqual(4);
    const ids = new Map<string, string>();
    const httpIds = new Map<string, string>();
    expect(simulated.map((e) => comparable(e, ids))).toEqual(overHttp.map((e) => comparable(e, httpIds)));
    expect(simulated.map((e) => e.type)).toEqual(
      expect.arrayContaining(['upload-link-used', 'document-accepted']),
    );
  });
});
