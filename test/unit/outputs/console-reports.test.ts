// The console's forecast page and downloads, through the console's own routes on the in-memory store: the page is
// server-rendered SVG with a table alternative, and every download is the same data as the page, neutralised.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../functions/core/csv.js';
import { forecastCoverage } from '../../../functions/core/forecast.js';
import { DEFAULT_POLICY } from '../../../functions/core/policy.js';
import { logger } from '../../../functions/edge/logger.js';
import { generateVendors } from './generated-portfolio.js';
import { consoleOver } from './console-support.js';

logger.setLogLevel('SILENT');

const TODAY = '2026-11-26';
const NOW = new Date(`${TODAY}T10:00:00Z`);

describe('the coverage forecast page', () => {
  it('draws an accessible chart with a table alternative, and offers the same data as CSV and JSON', async () => {
    const vendors = generateVendors(60, TODAY);
    vendors[0] = { ...vendors[0]!, name: '=HYPERLINK("http://evil.example","x") <script>alert(1)</script>' };
    const c = await consoleOver({ vendors }, NOW);
    const page = await c.call('GET /forecast');
    expect(page.statusCode).toBe(200);
    const body = String(page.body);
    expect(body).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="chart-title chart-desc"/);
    expect(body).toContain('<title id="chart-title">');
    expect(body).toContain('<desc id="chart-desc">');
    expect(body).toContain('id="forecast-table"');
    expect(body).not.toContain('<script>alert');
    expect(body).not.toMatch(/<script(?! src=)/);

    // The same figures as the engine's forecast of the vendors as imported.
    const expected = forecastCoverage(vendors, TODAY, DEFAULT_POLICY);
    const json = await c.call('GET /forecast', { query: { format: 'json' } });
    expect(json.headers?.['content-disposition']).toMatch(
      /^attachment; filename="forecast-2026-11-26.json"$/,
    );
    expect(JSON.parse(String(json.body))).toEqual(JSON.parse(JSON.stringify(expected)));

    const csv = await c.call('GET /forecast', { query: { format: 'csv' } });
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    const changes = parseCsv(String(csv.body), 'f.csv');
    expect(changes.records).toHaveLength(expected.changes.length);
    expect(changes.header).toContain('withinDays');

    const months = parseCsv(
      String((await c.call('GET /forecast', { query: { format: 'csv', part: 'months' } })).body),
      'm.csv',
    );
    // 13 dates, each with four tiers and the whole portfolio.
    expect(months.records).toHaveLength(13 * 5);
    const all = months.records.filter((r) => r.cells[1] === 'all');
    expect(all.map((r) => Number(r.cells[months.header.indexOf('covered')]))).toEqual(
      expected.months.map((m) => m.total.current + m.total.expiring + m.total.bridged),
    );
  });

  it('refuses an unknown format or part, naming it', async () => {
    const c = await consoleOver({ vendors: generateVendors(3, TODAY) }, NOW);
    const bad = await c.call('GET /forecast', { query: { format: 'xlsx' } });
    expect(bad.statusCode).toBe(400);
    expect(String(bad.body)).toContain('xlsx is not csv or json');
    expect((await c.call('GET /forecast', { query: { format: 'csv', part: 'x' } })).statusCode).toBe(400);
  });
});

describe('the portfolio and register downloads', () => {
  it('exports every vendor with its status, and neutralises a hostile name', async () => {
    const vendors = generateVendors(20, TODAY);
    vendors[3] = { ...vendors[3]!, name: '@SUM(1+1)*cmd|" /C calc"!A0' };
    const c = await consoleOver({ vendors }, NOW);
    const csv = await c.call('GET /', { query: { format: 'csv' } });
    expect(csv.headers?.['content-disposition']).toBe('attachment; filename="portfolio-2026-11-26.csv"');
    const table = parseCsv(String(csv.body), 'p.csv');
    expect(table.records).toHaveLength(20);
    const names = table.records.map((r) => r.cells[table.header.indexOf('name')]!);
    expect(names).toContain(`'@SUM(1+1)*cmd|" /C calc"!A0`);
    // Text never leads with a formula character; numbers the engine computed (days to lapse) are numbers.
    const days = table.header.indexOf('daysToLapse');
    for (const r of table.records)
      r.cells.forEach((cell, i) => expect(cell).toMatch(i === days ? /^(-?\d+)?$/ : /^[^=+\-@]|^$/));
    const json = JSON.parse(String((await c.call('GET /', { query: { format: 'json' } })).body));
    expect(json).toHaveLength(20);
    expect(json.map((r: { vendorId: string }) => r.vendorId).sort()).toEqual(vendors.map((v) => v.id).sort());
  });

  it('exports the findings register with due dates and overdue flags', async () => {
    // A vendor the lifecycle would find stale: its finding recorded by hand here, as the Plan would.
    const c = await consoleOver({ vendors: generateVendors(5, TODAY) }, NOW);
    await c.vendors.update(
      'v00001',
      () => [{ type: 'finding-opened', data: { findingId: 'f-1', code: 'stale-report', severity: 'high' } }],
      { actor: { kind: 'workflow' } },
    );
    c.clock.set(new Date('2027-02-01T10:00:00Z'));
    const csv = await c.call('GET /', { query: { format: 'csv', part: 'findings' } });
    const table = parseCsv(String(csv.body), 'f.csv');
    const col = (name: string) => table.header.indexOf(name);
    expect(
      table.records.map((r) => [
        r.cells[col('vendorId')],
        r.cells[col('code')],
        r.cells[col('state')],
        r.cells[col('openedOn')],
        r.cells[col('dueDate')],
        r.cells[col('overdue')],
      ]),
    ).toEqual([['v00001', 'stale-report', 'open', '2026-11-26', '2027-01-25', 'true']]);
    expect(table.records[0]!.cells[col('meaning')]).toMatch(/more than 12 months after its period end/);
  });
});

describe('a vendor’s audit trail', () => {
  it('pages 50 events at a time, newest first, each explained, and exports the whole trail', async () => {
    const c = await consoleOver({ vendors: generateVendors(2, TODAY) }, NOW);
    for (let i = 0; i < 60; i++)
      await c.vendors.update(
        'v00000',
        () => [{ type: 'lifecycle-resumed', data: { reason: `check ${i}` } }],
        { actor: { kind: 'workflow' } },
      );
    const state = await c.vendors.load('v00000');
    const total = state!.seq;
    expect(total).toBeGreaterThan(60);
    const first = String((await c.call('GET /vendors/{vendorId}', { path: { vendorId: 'v00000' } })).body);
    const rows = (html: string) => [...html.matchAll(/<tr>\s*<td>(\d+)<\/td>/g)].map((m) => Number(m[1]));
    expect(rows(first)).toEqual(Array.from({ length: 50 }, (_, i) => total - i));
    expect(first).toContain('The workflow resumed: check 59.');
    expect(first).toContain(`Events ${total - 49}–${total} of ${total}`);
    expect(first).toContain('?page=2');
    const second = String(
      (await c.call('GET /vendors/{vendorId}', { path: { vendorId: 'v00000' }, query: { page: '2' } })).body,
    );
    expect(rows(second)).toEqual(Array.from({ length: total - 50 }, (_, i) => total - 50 - i));
    expect(second).toContain('The vendor was added to the portfolio as tier');

    const csv = await c.call('GET /vendors/{vendorId}', {
      path: { vendorId: 'v00000' },
      query: { format: 'csv' },
    });
    const table = parseCsv(String(csv.body), 'a.csv');
    expect(table.records.map((r) => Number(r.cells[1]))).toEqual(
      Array.from({ length: total }, (_, i) => i + 1),
    );
    const json = JSON.parse(
      String(
        (await c.call('GET /vendors/{vendorId}', { path: { vendorId: 'v00000' }, query: { format: 'json' } }))
          .body,
      ),
    );
    expect(json).toHaveLength(total);
    expect(json[0].meaning).toMatch(/^The vendor was added to the portfolio/);
    expect(
      (await c.call('GET /vendors/{vendorId}', { path: { vendorId: 'v00000' }, query: { page: '0' } }))
        .statusCode,
    ).toBe(400);
  });
});
