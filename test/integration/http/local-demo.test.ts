// The local demo tells the truth: the clock runs between jumps (what a person does carries its own instant),
// "Jump to the next due event" goes to the next instant a vendor is actually due, and the mailbox page shows the
// simulated send time and opens links in a new tab (the upload page still refuses to be framed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START, startTestStack, type TestStack } from '../../support/people-stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function earliestNextAction(after: Date): Promise<Date> {
  const [next] = await stack.embedded.store.dueVendors(new Date('9999-12-31T00:00:00Z'), { after, limit: 1 });
  return new Date(next!.nextActionAt);
}

describe('the local clock', () => {
  it('runs between jumps: two things a person does carry distinct instants', async () => {
    const cookie = await stack.signIn('tprm@bank.example');
    const open = await stack.embedded.store.findingsByStatus('open');
    expect(open.length).toBeGreaterThanOrEqual(2);
    const recorded: string[] = [];
    for (const f of open.slice(0, 2)) {
      const answer = await stack.postForm(
        `/vendors/${f.vendorId}/findings/${f.findingId}`,
        { action: 'acknowledge', note: 'Looked at it.' },
        cookie,
      );
      expect(answer.status).toBe(303);
      const state = await stack.embedded.store.load(f.vendorId);
      recorded.push(state!.findings[f.findingId]!.acknowledgedAt!);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(recorded[1]! > recorded[0]!).toBe(true);
    expect(Date.parse(recorded[0]!)).toBeGreaterThan(START.getTime());
    // A person's minutes on the first day, not a jump.
    expect(recorded[1]!.slice(0, 10)).toBe(START.toISOString().slice(0, 10));
  });

  it('jumps to the next instant a vendor is due, not merely to the next day', async () => {
    const cookie = await stack.signIn('tprm@bank.example');
    const now = stack.embedded.clock.now();
    const expected = await earliestNextAction(now);
    const answer = await fetch(`${stack.url}/_local/clock`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        origin: stack.url,
        cookie,
      },
      body: 'next=1',
    });
    expect(answer.status).toBe(200);
    const moved = new Date(((await answer.json()) as { now: string }).now);
    expect(moved.getTime()).toBeGreaterThanOrEqual(expected.getTime());
    expect(moved.getTime() - expected.getTime()).toBeLessThan(60_000);
    // Something was due then: the vendor whose next action it was has moved on.
    expect((await earliestNextAction(new Date(expected.getTime() - 1))).getTime()).toBeGreaterThan(
      expected.getTime(),
    );
  });
});

describe('the mailbox page', () => {
  it('shows each message with its simulated send time and opens its links in a new tab', async () => {
    const page = await (await stack.get('/_local/mailbox')).text();
    expect(page).toContain('SOC 2 report needed from Ledgerline Core Banking');
    // The first day's request went out on the first simulated day, not at today's real date.
    expect(page).toMatch(/<dd class="sent-at">2026-11-26 \d\d:\d\d<\/dd>/);
    expect(page).not.toContain('(real time)');
    const link =
      /<a href="(http:\/\/127\.0\.0\.1:\d+\/u\/[A-Za-z0-9_-]{43})" target="_blank" rel="noopener noreferrer">/.exec(
        page,
      );
    expect(link).not.toBeNull();
    const upload = await fetch(link![1]!);
    expect(upload.status).toBe(200);
    expect(upload.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(upload.headers.get('x-frame-options')).toBe('DENY');
  });
});
