// The finding routes of the console as an attacker calls them, on the in-memory store: hand-made ids and forms get a
// clear answer (404 or 400 naming the field) and leave the vendor's log as it was.
import { describe, expect, it } from 'vitest';
import { FINDING_CODES } from '../../../functions/core/assess.js';
import { addDays } from '../../../functions/core/dates.js';
import { logger } from '../../../functions/edge/logger.js';
import { generateVendors } from './generated-portfolio.js';
import { consoleOver } from './console-support.js';

logger.setLogLevel('SILENT');

const TODAY = '2026-11-26';
const NOW = new Date(`${TODAY}T10:00:00Z`);

describe('a finding named by hand in the URL', () => {
  it('an id that is a member of every object (constructor, __proto__) is no finding: 404, nothing written', async () => {
    const vendors = generateVendors(3, TODAY);
    const c = await consoleOver({ vendors }, NOW);
    const vendorId = vendors[0]!.id;
    const before = await c.vendors.events(vendorId);
    for (const findingId of ['constructor', '__proto__', 'toString']) {
      const path = { vendorId, findingId };
      const page = await c.call('GET /vendors/{vendorId}/findings/{findingId}', { path });
      expect(page.statusCode, findingId).toBe(404);
      expect(String(page.body)).toContain('There is no such finding on this vendor.');
      for (const body of [
        'action=acknowledge&note=seen',
        'action=assign&owner=priya%40bank.example&dueDate=2027-01-15&note=x',
        'action=accept-risk&reason=fine&expiresOn=2027-01-15',
      ]) {
        const post = await c.call('POST /vendors/{vendorId}/findings/{findingId}', { path, body });
        expect(post.statusCode, `${findingId} ${body}`).toBe(404);
      }
    }
    expect(await c.vendors.events(vendorId)).toEqual(before);
  });
});

describe('a risk acceptance sent twice', () => {
  it('the retry records nothing more, answers as the first did, and wakes the lifecycle again', async () => {
    const vendors = generateVendors(3, TODAY);
    const c = await consoleOver({ vendors }, NOW);
    const vendorId = vendors[1]!.id;
    const findingId = 'scope-gap-2026-11-26';
    await c.vendors.update(
      vendorId,
      () => [
        {
          type: 'finding-opened',
          data: { findingId, code: 'scope-gap', severity: 'high', date: TODAY, dueDate: '2027-01-25' },
        },
      ],
      { actor: { kind: 'workflow' } },
    );
    const woken: string[] = [];
    c.deps.wake = async (state, reason) => {
      woken.push(`${state.vendorId}: ${reason}`);
    };
    const accept = () =>
      c.call('POST /vendors/{vendorId}/findings/{findingId}', {
        path: { vendorId, findingId },
        body: 'action=accept-risk&reason=Encrypted+client-side&expiresOn=2027-03-31',
      });
    const first = await accept();
    expect(first.statusCode).toBe(303);
    const events = await c.vendors.events(vendorId);
    // The first answer was lost (or the lifecycle was not woken): the person sends it again.
    const retry = await accept();
    expect(retry.statusCode).toBe(303);
    expect(retry.headers?.location).toBe(first.headers?.location);
    expect(await c.vendors.events(vendorId)).toEqual(events);
    expect(events.filter((e) => e.type === 'finding-risk-accepted')).toHaveLength(1);
    expect(woken).toEqual([`${vendorId}: risk accepted`, `${vendorId}: risk accepted`]);
  });
});

describe('a closed finding the vendor’s record no longer keeps', () => {
  it('opens from the register however many closed findings come before it', async () => {
    const vendors = generateVendors(2, TODAY);
    const c = await consoleOver({ vendors }, NOW);
    const vendorId = vendors[0]!.id;
    // 120 findings opened and closed on 120 days: the record keeps the last ten, the register all of them.
    const ids = Array.from({ length: 120 }, (_, n) => `scope-gap-2025-${addDays('2025-01-01', n).slice(5)}`);
    for (const [n, findingId] of ids.entries())
      await c.vendors.update(
        vendorId,
        () => [
          {
            type: 'finding-opened',
            data: { findingId, code: 'scope-gap', severity: 'high', date: addDays('2025-01-01', n) },
          },
          { type: 'finding-closed', data: { findingId, reason: 'cleared' } },
        ],
        { actor: { kind: 'workflow' } },
      );
    const findingId = ids[104]!;
    expect((await c.vendors.load(vendorId))!.findings[findingId]).toBeUndefined();
    const page = await c.call('GET /vendors/{vendorId}/findings/{findingId}', {
      path: { vendorId, findingId },
    });
    expect(page.statusCode).toBe(200);
    expect(String(page.body)).toContain(addDays('2025-01-01', 104));
  });
});

describe('many findings closed at once', () => {
  it('every one leaves the register’s active view, though the record keeps only ten closed', async () => {
    const vendors = generateVendors(2, TODAY);
    const c = await consoleOver({ vendors }, NOW);
    const vendorId = vendors[0]!.id;
    const codes = FINDING_CODES.slice(0, 12);
    const workflow = { actor: { kind: 'workflow' as const } };
    await c.vendors.update(
      vendorId,
      () =>
        codes.map((code, n) => ({
          type: 'finding-opened' as const,
          data: {
            findingId: `${code}-${addDays('2026-11-01', n)}`,
            code,
            severity: 'high',
            date: addDays('2026-11-01', n),
          },
        })),
      workflow,
    );
    const active = () => c.vendors.registerPage({ vendorId, state: 'active', today: TODAY, pageSize: 50 });
    expect((await active()).findings).toHaveLength(12);
    // Opened on twelve days; a new report cures them all: one plan, one commit.
    await c.vendors.update(
      vendorId,
      () =>
        codes.map((code, n) => ({
          type: 'finding-closed' as const,
          data: {
            findingId: `${code}-${addDays('2026-11-01', n)}`,
            reason: 'the assessment no longer raises it',
          },
        })),
      workflow,
    );
    expect((await active()).findings).toEqual([]);
    const closed = await c.vendors.registerPage({ vendorId, state: 'closed', today: TODAY, pageSize: 50 });
    expect(closed.findings).toHaveLength(12);
  });
});
