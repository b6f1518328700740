// The calendar feed (RFC 5545), parsed back with an independent parser (ical.js): every line CRLF-ended and at
// most 75 octets, text escaped so that no vendor-supplied name can add a property or an event, UIDs stable
// across runs; and the secret link: made once, shown once, revocable, the same 404 for every bad link.
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarFeed } from '../../../functions/app/calendar.js';
import { memorySessions } from '../../../functions/adapters/memory/sessions.js';
import {
  CALENDAR_FEED_LIMIT,
  calendarEntries,
  escapeText,
  foldLine,
  writeIcs,
} from '../../../functions/core/calendar.js';
import { FixedClock } from '../../../functions/ports/clock.js';
import { DEFAULT_POLICY } from '../../../functions/core/policy.js';
import { calendarRoutes } from '../../../functions/handlers/calendar.js';
import { logger } from '../../../functions/edge/logger.js';
import type { HttpEvent } from '../../../functions/edge/http.js';
import { letter, type2, vendorWith } from '../core/assess-helpers.js';
import { consoleOver } from './console-support.js';

logger.setLogLevel('SILENT');

const NOW = new Date('2026-11-26T10:00:00Z');
const HOSTILE =
  'Evil, Inc.; \\ "x"\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:pwned — ünïcødé 🚀 ' + 'long '.repeat(20);

function events(ics: string) {
  const component = new ICAL.Component(ICAL.parse(ics));
  return component.getAllSubcomponents('vevent').map((v) => ({
    uid: String(v.getFirstPropertyValue('uid')),
    summary: String(v.getFirstPropertyValue('summary')),
    description: String(v.getFirstPropertyValue('description')),
    start: (v.getFirstPropertyValue('dtstart') as ICAL.Time).toString(),
    end: (v.getFirstPropertyValue('dtend') as ICAL.Time).toString(),
    stamp: (v.getFirstPropertyValue('dtstamp') as ICAL.Time).toString(),
  }));
}

/** A page's text with its white space collapsed (the markup is wrapped by the formatter). */
const text = (r: { body?: unknown }) => String(r.body).replace(/\s+/g, ' ');

function checkLines(ics: string) {
  expect(ics.endsWith('\r\n')).toBe(true);
  expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of ics.split('\r\n').slice(0, -1))
    expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
}

describe('the iCalendar text', () => {
  const vendor = vendorWith(
    [type2('2025-12-31', { issued: '2026-02-01' }), letter('2026-01-01', '2026-12-31', '2026-11-01')],
    { id: 'evil-co', name: HOSTILE, complianceLeadEmail: 'lead@bank.example' },
  );
  const entries = calendarEntries(
    [
      {
        vendor,
        requestDue: '2026-12-31',
        findings: [{ code: 'scope-gap', severity: 'critical', state: 'open', dueDate: '2026-12-20' }],
      },
    ],
    { today: '2026-11-26', policy: DEFAULT_POLICY, baseUrl: 'https://bk.bank.example' },
  );

  it('parses back: one event per date, all-day, the text exactly as given, nothing injected', () => {
    const ics = writeIcs(entries, { name: 'Bridgekeeper: lead@bank.example', now: NOW });
    checkLines(ics);
    const parsed = events(ics);
    expect(parsed.map((e) => e.uid)).toEqual([
      'evil-co-finding-due-scope-gap-2026-12-20@bridgekeeper',
      'evil-co-lapse-2026-12-31@bridgekeeper',
      'evil-co-request-due-2026-12-31@bridgekeeper',
      'evil-co-bridge-end-2027-03-31@bridgekeeper',
    ]);
    expect(parsed.every((e) => e.summary.includes(HOSTILE.replace(/\r\n/g, '\n')))).toBe(true);
    expect(parsed.some((e) => e.summary === 'pwned')).toBe(false);
    expect(parsed[1]).toMatchObject({
      start: '2026-12-31',
      end: '2027-01-01',
      stamp: '2026-11-26T10:00:00Z',
    });
    expect(ics).toContain('URL:https://bk.bank.example/vendors/evil-co');
    // Exactly four events: the name's own END:VEVENT/BEGIN:VEVENT stayed text.
    expect(ics.match(/^BEGIN:VEVENT$/gm)).toHaveLength(4);
  });

  it('escapes , ; \\ and line breaks, and folds at 75 octets without splitting a character', () => {
    expect(escapeText('a,b;c\\d\ne\r\nf')).toBe('a\\,b\\;c\\\\d\\ne\\nf');
    const folded = foldLine(`SUMMARY:${'é'.repeat(80)}`);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(
      folded
        .split('\r\n')
        .map((l, i) => (i === 0 ? l : l.slice(1)))
        .join(''),
    ).toBe(`SUMMARY:${'é'.repeat(80)}`);
  });
});

describe('the feed of a member of staff', () => {
  const portfolio = {
    vendors: [
      vendorWith([type2('2025-12-31', { issued: '2026-02-01' })], {
        id: 'acme-pay',
        managerEmail: 'jane.doe@bank.example',
        complianceLeadEmail: 'lead@bank.example',
      }),
      vendorWith([type2('2026-03-31', { issued: '2026-05-01' })], {
        id: 'beta',
        name: 'Beta, Ltd; "quoted"',
        managerEmail: 'marcus.lee@bank.example',
        complianceLeadEmail: 'lead@bank.example',
      }),
    ],
  };

  it('holds the vendors that concern them, with the same UIDs on every run', async () => {
    const c = await consoleOver(portfolio, NOW);
    const options = { timeZone: 'UTC', policy: DEFAULT_POLICY, publicBaseUrl: '' };
    const lead1 = await calendarFeed(c.vendors, 'lead@bank.example', { ...options, now: NOW });
    const lead2 = await calendarFeed(c.vendors, 'LEAD@bank.example', {
      ...options,
      now: new Date('2026-11-27T08:00:00Z'),
    });
    checkLines(lead1);
    const uids = (ics: string) => events(ics).map((e) => e.uid);
    expect(uids(lead1)).toEqual([
      'acme-pay-lapse-2026-12-31@bridgekeeper',
      'beta-lapse-2027-03-31@bridgekeeper',
    ]);
    expect(uids(lead2)).toEqual(uids(lead1));
    // Only DTSTAMP differs between the runs.
    expect(lead2.replace(/DTSTAMP:\S+/g, '')).toBe(lead1.replace(/DTSTAMP:\S+/g, ''));
    const jane = await calendarFeed(c.vendors, 'jane.doe@bank.example', { ...options, now: NOW });
    expect(uids(jane)).toEqual(['acme-pay-lapse-2026-12-31@bridgekeeper']);
    expect(uids(await calendarFeed(c.vendors, 'nobody@bank.example', { ...options, now: NOW }))).toEqual([]);
  });

  it('is behind a secret link that is shown once, can be replaced and revoked, and 404s alike when bad', async () => {
    const c = await consoleOver(portfolio, NOW);
    const requestClock = new FixedClock(new Date('2026-11-26T10:00:00Z'));
    const links = memorySessions(`calendar-${Math.random()}`);
    const feed = calendarRoutes(() => ({
      vendors: c.vendors,
      staff: c.deps.staff,
      links,
      clock: c.clock,
      requestClock,
      config: c.deps.config,
    }));
    const get = (token: string) =>
      feed({
        routeKey: 'GET /calendar/{token}',
        pathParameters: { token },
        headers: {},
      } as unknown as HttpEvent);
    const make = async () => {
      const page = String(
        (await c.call('POST /calendar', { body: 'action=create', email: 'lead@bank.example' })).body,
      );
      const url = /value="(https:\/\/bk\.bank\.example\/calendar\/([^"]+))"/.exec(page);
      expect(url).not.toBeNull();
      return url![2]!;
    };
    expect(text(await c.call('GET /calendar', { email: 'lead@bank.example' }))).toContain(
      'You have no live link',
    );

    const first = await make();
    expect(first).toMatch(/^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}\.ics$/);
    const ok = await get(first);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers?.['content-type']).toBe('text/calendar; charset=utf-8');
    expect(events(String(ok.body))).toHaveLength(2);
    // The page no longer shows the link, only that one is live.
    const status = text(await c.call('GET /calendar', { email: 'lead@bank.example' }));
    expect(status).toContain('is live');
    expect(status).not.toContain(first.split('.')[1]!);

    const second = await make();
    expect((await get(first)).statusCode).toBe(404);
    expect((await get(second)).statusCode).toBe(200);
    const [key, secret] = second.split('.');
    const flipped = `${key}.${secret!.slice(0, -1)}${secret!.endsWith('A') ? 'B' : 'A'}.ics`;
    const bad = [
      flipped,
      `${key}.${secret}`,
      `${'0'.repeat(32)}.${secret}.ics`,
      'x.ics',
      '../etc/passwd.ics',
    ];
    const answers = await Promise.all(bad.map(get));
    expect(answers.map((a) => a.statusCode)).toEqual(bad.map(() => 404));
    expect(new Set(answers.map((a) => a.body)).size).toBe(1);

    // Each link has its own budget per hour: a calendar polling like mad is held to it, then served again.
    const served = [];
    for (let i = 0; i < CALENDAR_FEED_LIMIT.requests + 1; i++) served.push((await get(second)).statusCode);
    expect(served.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await get(second);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers?.['retry-after'])).toBeGreaterThan(0);
    requestClock.set(new Date('2026-11-26T11:00:01Z'));
    expect((await get(second)).statusCode).toBe(200);

    await c.call('POST /calendar', { body: 'action=revoke', email: 'lead@bank.example' });
    expect((await get(second)).statusCode).toBe(404);
    expect(text(await c.call('GET /calendar', { email: 'lead@bank.example' }))).toContain(
      'revoked on 2026-11-26',
    );
    expect(
      (await c.call('POST /calendar', { body: 'action=steal', email: 'lead@bank.example' })).statusCode,
    ).toBe(400);
  });
});
