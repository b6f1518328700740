// Report text is untrusted input. The injection report (test/support/reports) puts script, event-handler
// attributes, markup and template syntax in the auditor's signature, the CUECs and an exception; the rules must
// return them as literal text (nothing stripped, decoded, evaluated or interpreted), the project's HTML
// rendering must escape them, and every value must stay within its bound, however large the input.
import { describe, expect, it } from 'vitest';
import { extractReport } from '../../../functions/adapters/pdf/extract-report.js';
import { extractReportFields } from '../../../functions/core/intake/extract.js';
import { EXTRACT_LIMITS, type ExtractedFields } from '../../../functions/core/intake/fields.js';
import { html } from '../../../functions/web/html.js';
import { testReport } from '../../support/reports/reports.js';

async function injectionFields(): Promise<ExtractedFields> {
  const extraction = await extractReport(testReport('harborview-injection.pdf'));
  if (!extraction.textLayer) throw new Error('the injection report has a text layer');
  return extraction.fields;
}

/** Every string anywhere in a value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

describe('the injection report', () => {
  it('returns the markup, script and template syntax as the literal text the report prints', async () => {
    const fields = await injectionFields();
    expect(fields.auditor).toEqual({ value: '<script>alert(1)</script> Assurance LLP', page: 4 });
    expect(fields.cuecs?.value[0]?.text).toBe(
      'User entities are responsible for <img src=x onerror=alert(1)> reviewing wire templates before approval.',
    );
    // Template syntax is not evaluated (no interpolation, no substitution): the characters come back as printed.
    expect(fields.cuecs?.value[1]?.text).toBe(
      'User entities are responsible for ${process.exit(1)} and {{constructor.constructor("alert(1)")()}} dual approval.',
    );
    expect(fields.exceptions?.value[0]).toEqual({
      control: 'CC6.1',
      description:
        'For 1 of 25 wires sampled, the second approver was <b onmouseover=alert(1)>missing</b> "><iframe src=javascript:alert(1)>.',
      managementResponse:
        '</textarea><svg onload=alert(1)> The approval rule now blocks a release without a second approver.',
    });
    // The rest of the report is read as usual: the hostile text changes nothing else.
    expect(fields).toMatchObject({
      kind: { value: 'soc2-type2', page: 1 },
      periodStart: { value: '2025-03-01', page: 3 },
      periodEnd: { value: '2026-02-28', page: 3 },
      issued: { value: '2026-04-02', page: 4 },
      opinion: { value: 'unqualified', page: 4 },
      categories: { value: ['security', 'confidentiality'], page: 3 },
      subservices: { value: [{ name: 'Cumulus Hosting, Inc.', method: 'carve-out' }], page: 3 },
    });
  });

  it('is plain data: strings, numbers and arrays only, the same after a JSON round trip', async () => {
    const fields = await injectionFields();
    expect(JSON.parse(JSON.stringify(fields))).toEqual(fields);
    const prototypes = new Set<unknown>();
    const walk = (v: unknown) => {
      if (v && typeof v === 'object') {
        prototypes.add(Object.getPrototypeOf(v));
        Object.values(v).forEach(walk);
      } else expect(['string', 'number']).toContain(typeof v);
    };
    walk(fields);
    expect([...prototypes].every((p) => p === Object.prototype || p === Array.prototype)).toBe(true);
  });

  it("renders inert through the project's HTML tag", async () => {
    const fields = await injectionFields();
    const page = html`<dl>
      <dt>Auditor</dt>
      <dd>${fields.auditor?.value}</dd>
      ${fields.cuecs?.value.map((c) => html`<dd>${c.text}</dd>`)}
      <dd>${fields.exceptions?.value[0]?.description}</dd>
      <dd>${fields.exceptions?.value[0]?.managementResponse}</dd>
    </dl>`.value;
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Assurance LLP');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    for (const tag of ['<script', '<img', '<svg', '<iframe', '<b ', '</textarea'])
      expect(page).not.toContain(tag);
  });

  it('bounds every value: the 2,400-character CUEC is cut to the text limit and says so', async () => {
    const fields = await injectionFields();
    const long = fields.cuecs?.value[2]?.text ?? '';
    expect(long.length).toBeLessThanOrEqual(EXTRACT_LIMITS.text);
    expect(long.length).toBeGreaterThan(EXTRACT_LIMITS.text * 0.8);
    expect(long.endsWith('\u2026')).toBe(true);
    for (const s of strings(fields)) expect(s.length).toBeLessThanOrEqual(EXTRACT_LIMITS.basis);
  });
});

describe('hostile page texts, straight to the rules', () => {
  it('caps every list and every string whatever the input holds', () => {
    const script = '<script>alert(1)</script>';
    const cuecs = Array.from({ length: 500 }, (_, i) => `\u2022 User entities ${script} control ${i}.`).join(
      '\n',
    );
    // 400 exceptions of 1,000-odd characters each, 40 to a page.
    const exceptions = Array.from({ length: 10 }, (_, p) =>
      Array.from(
        { length: 40 },
        (_, i) => `CC6.${i % 9} Control.\nException noted. ${script.repeat(40)} ${p * 40 + i}`,
      ).join('\n'),
    );
    const subservices = Array.from(
      { length: 120 },
      (_, i) =>
        `Example uses a subservice organization, Host${i} Inc., and uses the carve-out method for Host${i} Inc.`,
    ).join(' ');
    const fields = extractReportFields([
      'SOC 2 Type 2',
      `Independent Service Auditor's Report\nIn our opinion, except for ${'the matter '.repeat(1000)}, in all material respects, fine.\nBasis for Qualified Opinion\n${'The auditor found a problem. '.repeat(800)}\nOpinion\n${'A'.repeat(10_000)} LLP\nBoston, Massachusetts\nMay 1, 2026`,
      `Complementary User Entity Controls\n${cuecs}`,
      ...exceptions,
      subservices,
    ]);
    expect(fields.opinion?.value).toBe('qualified');
    expect(fields.opinionBasis?.value.length).toBeLessThanOrEqual(EXTRACT_LIMITS.basis);
    // A 10,000-character "firm name" is no firm's name: left out, not cut.
    expect(fields.auditor).toBeUndefined();
    expect(fields.cuecs?.value.length).toBe(EXTRACT_LIMITS.cuecs);
    expect(fields.cuecs?.value[0]?.text).toBe(`User entities ${script} control 0.`);
    expect(fields.exceptions?.value.length).toBe(EXTRACT_LIMITS.exceptions);
    expect(fields.exceptions?.value[0]?.description?.length).toBeLessThanOrEqual(EXTRACT_LIMITS.text);
    expect(fields.subservices?.value.length).toBe(EXTRACT_LIMITS.subservices);
    for (const s of strings(fields)) expect(s.length).toBeLessThanOrEqual(EXTRACT_LIMITS.basis);
  });

  it('drops control characters, bidi overrides and zero-width characters that could hide or reorder text', () => {
    const fields = extractReportFields([
      'SOC 2 Type 2',
      "Independent Service Auditor's Report\nIn our opinion, in all material respects, fine.\nEvil\u202e PLL\u200b\u0000C Audit LLP\nDenver, Colorado\nMay 1, 2026",
    ]);
    expect(fields.auditor?.value).toBe('Evil PLLC Audit LLP');
  });
});
