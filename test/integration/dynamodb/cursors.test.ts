// Links edited by hand, on DynamoDB over the wire (dynalite). A vendor id no vendor can have (a 3 KB path
// segment) names no vendor: DynamoDB would refuse the key (over 2 KB) with a ValidationException, a 500. Page links: a cursor is handed to DynamoDB as the query's
// ExclusiveStartKey, and DynamoDB refuses one without exactly the item's key attributes, or outside the query's
// partition or sort key condition, with a ValidationException. The adapter refuses those itself, as the
// person's error (400, "start again from the first page"), never a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoEventStore } from '../../../functions/adapters/dynamodb/event-store.js';
import { Vendors } from '../../../functions/app/vendors.js';
import { NotFoundError, ValidationError } from '../../../functions/core/errors.js';
import type { RegisterQuery } from '../../../functions/core/findings.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import { TIERS, type Tier } from '../../../functions/core/portfolio.js';
import type { PortfolioQuery } from '../../../functions/core/summary.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import { testMac } from '../../support/mac.js';
import { vendor } from '../../unit/storage/fixtures.js';
import { startTestDb, type TestDb } from './helpers.js';

const TODAY = '2026-11-26';
let t: TestDb;
let store: Vendors;

beforeAll(async () => {
  t = await startTestDb();
  store = new Vendors(new DynamoEventStore({ tableName: await t.newTable(), client: t.client }), {
    clock: new FixedClock(new Date(`${TODAY}T10:00:00Z`)),
    mac: testMac(),
  });
  for (let i = 0; i < 6; i++) {
    const { documents: _documents, ...profile } = vendor(`v${i}`, { managerEmail: 'm@bank.example' });
    await store.update(
      `v${i}`,
      () => [
        { type: 'vendor-registered', data: { profile } },
        {
          type: 'finding-opened',
          data: {
            findingId: 'no-report-2026-11-01',
            code: 'no-report',
            severity: 'high',
            date: '2026-11-01',
          },
        },
      ],
      { actor: { kind: 'workflow' } },
    );
  }
});
afterAll(async () => {
  await t?.stop();
});

const cursor = (key: object) => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
const settings = Object.fromEntries(TIERS.map((tier) => [tier, DEFAULT_SETTINGS])) as Record<
  Tier,
  typeof DEFAULT_SETTINGS
>;
const portfolio = (over: Partial<PortfolioQuery>) =>
  store.portfolioPage({ today: TODAY, settings, sort: 'urgency', pageSize: 5, ...over });
const register = (over: Partial<RegisterQuery>) =>
  store.registerPage({ today: TODAY, pageSize: 5, state: 'active', ...over });

describe('a page link edited by hand is refused as the person’s error', () => {
  it('the links the pages give go on where they stopped', async () => {
    const first = await register({ pageSize: 5 });
    expect((await register({ cursor: first.cursor! })).findings).toHaveLength(1);
    const page = await portfolio({});
    expect((await portfolio({ cursor: page.cursor! })).summaries).toHaveLength(1);
    const vendorPage = await register({ vendorId: 'v1', pageSize: 5 });
    expect(vendorPage.findings).toHaveLength(1);
  });

  it('missing key attributes, extra ones, or a start outside the query’s range: ValidationError', async () => {
    const view = { pk: 'V#v1', sk: 'F#no-report-2026-11-01' };
    const forged: [string, () => Promise<unknown>][] = [
      ['register: the partition only', () => register({ cursor: cursor({ viewPk: 'REGISTER' }) })],
      ['register: no table key', () => register({ cursor: cursor({ viewPk: 'REGISTER', viewSk: 'a' }) })],
      [
        'register, overdue: past the range’s end',
        () =>
          register({
            overdue: true,
            cursor: cursor({ ...view, viewPk: 'REGISTER', viewSk: '9999-12-31#x' }),
          }),
      ],
      [
        'a vendor’s findings: not a finding item',
        () => register({ vendorId: 'v1', cursor: cursor({ pk: 'V#v1', sk: 'STATE' }) }),
      ],
      [
        'a vendor’s findings: no sort key',
        () => register({ vendorId: 'v1', cursor: cursor({ pk: 'V#v1' }) }),
      ],
      [
        'a vendor’s findings: index keys too',
        () => register({ vendorId: 'v1', cursor: cursor({ ...view, viewPk: 'x', viewSk: 'y' }) }),
      ],
      [
        'a state’s findings: no table key',
        () => register({ state: 'closed', cursor: cursor({ findingsPk: 'FINDING#closed' }) }),
      ],
      ['the portfolio: the partition only', () => portfolio({ cursor: cursor({ viewPk: 'PORTFOLIO' }) })],
      [
        'the portfolio, by status: outside the range',
        () =>
          portfolio({
            status: 'missing',
            cursor: cursor({ pk: 'V#v1', sk: 'STATE', viewPk: 'PORTFOLIO', viewSk: '~' }),
          }),
      ],
    ];
    for (const [what, read] of forged) await expect(read(), what).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('a vendor id from a URL that no vendor can have', () => {
  it('names no vendor (a key over DynamoDB’s 2 KB is never sent)', async () => {
    for (const vendorId of ['x'.repeat(3000), 'V1', '-v1', 'v1/../v2']) {
      await expect(store.load(vendorId), vendorId).resolves.toBeUndefined();
      await expect(
        store.update(
          vendorId,
          (s) => {
            if (!s) throw new NotFoundError('There is no such vendor.');
            return [];
          },
          { actor: { kind: 'workflow' } },
        ),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
    expect((await store.load('v1'))?.vendorId).toBe('v1');
  });
});
