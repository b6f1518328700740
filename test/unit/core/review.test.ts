import { describe, expect, it } from 'vitest';
import { previewAcceptance, reviewChecklist } from '../../../functions/core/review.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import type { SocReport, Vendor } from '../../../functions/core/portfolio.js';

const vendor: Vendor = {
  id: 'acme-pay',
  name: 'Acme Payments',
  tier: 'critical',
  managerEmail: 'jane@bank.example',
  contactEmail: 'security@acme.example',
  dataRegions: ['us', 'eu'],
  requiredCategories: ['availability'],
  documents: [
    {
      kind: 'soc2-type2',
      periodStart: '2024-10-01',
      periodEnd: '2025-09-30',
      issued: '2025-11-01',
      opinion: 'unqualified',
      auditor: 'Old CPA',
      categories: ['security', 'availability'],
    },
  ],
};

const report: SocReport = {
  kind: 'soc2-type2',
  periodStart: '2025-10-01',
  periodEnd: '2026-09-30',
  issued: '2026-11-20',
  opinion: 'qualified',
  auditor: 'Example CPA',
  categories: ['security'],
  regions: ['us'],
  exceptions: [{ control: 'CC6.1', managementResponse: '' }],
};

describe('review', () => {
  it('flags what the entries show against the vendor and leaves the rest to the reader', () => {
    const items = Object.fromEntries(reviewChecklist(vendor, report).map((i) => [i.id, i]));
    expect(items.opinion?.tone).toBe('concern');
    expect(items.scope?.tone).toBe('concern');
    expect(items.scope?.detail.join(' ')).toContain('Missing categories: availability');
    expect(items.scope?.detail.join(' ')).toContain('Regions not covered: eu');
    expect(items.exceptions?.tone).toBe('concern');
    expect(items.cuecs?.tone).toBe('manual');
    expect(items.subservice?.tone).toBe('manual');
    expect(items['type-period']?.tone).toBe('ok');
  });

  it('checks that the new document follows the current report without a gap', () => {
    const follows = reviewChecklist(vendor, report, '2025-09-30').find((i) => i.id === 'type-period')!;
    expect(follows.tone).toBe('ok');
    expect(follows.detail.join(' ')).toContain('follows on without a gap');
    const late = reviewChecklist(vendor, { ...report, periodStart: '2025-12-01' }, '2025-09-30').find(
      (i) => i.id === 'type-period',
    )!;
    expect(late.tone).toBe('concern');
    expect(late.detail.join(' ')).toContain('61 days are covered by neither');
    const letter = { kind: 'bridge-letter' as const, coversFrom: '2025-10-01', coversTo: '2026-01-31' };
    expect(reviewChecklist(vendor, letter, '2025-09-30')[0]!.tone).toBe('ok');
    expect(reviewChecklist(vendor, { ...letter, coversFrom: '2025-10-15' }, '2025-09-30')[0]!.tone).toBe(
      'concern',
    );
    expect(reviewChecklist(vendor, letter, null)[0]!.detail.join(' ')).toContain(
      'cannot establish coverage alone',
    );
  });

  it('previews the new lapse date and the findings acceptance would raise and clear', () => {
    const preview = previewAcceptance(vendor, report, '2026-11-26', DEFAULT_SETTINGS);
    expect(preview.before.status).toBe('stale');
    expect(preview.before.lapseDate).toBe('2026-09-30');
    expect(preview.after.lapseDate).toBe('2027-09-30');
    expect(preview.after.status).toBe('current');
    expect(preview.cleared.map((f) => f.code)).toContain('stale-report');
    expect(preview.raised.map((f) => f.code)).toEqual(
      expect.arrayContaining([
        'qualified-opinion',
        'category-gap',
        'scope-gap',
        'exception-without-response',
      ]),
    );
    expect(preview.nextReminder).toBe('2027-08-01');
  });
});
