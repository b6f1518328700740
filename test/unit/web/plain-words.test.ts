// The console in plain words: every finding code and status shown with its one line, decided documents with their
// decision (who, when, what was confirmed) instead of a preview, the vendor's own page without internal codes;
// and the new pages keep vendor- and staff-typed text inert.
import { describe, expect, it } from 'vitest';
import { FINDING_CODES, STATUSES } from '../../../functions/core/assess.js';
import { acceptanceNote, decisionOf } from '../../../functions/core/decision.js';
import { findingView, type FindingView } from '../../../functions/core/findings.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import type { SocReport, Vendor } from '../../../functions/core/portfolio.js';
import { previewAcceptance, reviewChecklist } from '../../../functions/core/review.js';
import type { VendorSummary } from '../../../functions/core/summary.js';
import { FINDING_STATUSES, type DocumentRecord } from '../../../functions/core/vendor-state.js';
import { FINDING_STATUS_WORDS, FINDING_WORDS, STATUS_WORDS } from '../../../functions/core/words.js';
import { escapeHtml } from '../../../functions/web/html.js';
import { portfolioPage } from '../../../functions/web/portfolio-pages.js';
import { findingPage, registerPage } from '../../../functions/web/register-pages.js';
import { reviewPage } from '../../../functions/web/review-pages.js';
import { uploadPage } from '../../../functions/web/vendor-pages.js';

const EVIL = `<script>alert('x')</script>"><img src=x onerror=alert(1)>`;
const inert = (markup: string) => {
  expect(markup).not.toContain('<script>alert');
  expect(markup).not.toContain('<img src=x');
};

const vendor: Vendor = {
  id: 'acme',
  name: 'Acme',
  tier: 'high',
  managerEmail: 'm@bank.example',
  contactEmail: 'c@acme.example',
  documents: [],
};
const report: SocReport = {
  kind: 'soc2-type2',
  periodStart: '2025-10-01',
  periodEnd: '2026-09-30',
  issued: '2026-11-01',
  opinion: 'unqualified',
};
const checklist = reviewChecklist(vendor, report);
const record = (over: Partial<DocumentRecord>): DocumentRecord => ({
  documentId: 'up-1',
  document: report,
  source: 'upload',
  status: 'pending-review',
  addedAt: '2026-11-20T10:00:00Z',
  addedBy: { kind: 'vendor-link', requestId: 'r1' },
  ...over,
});
const review = (r: DocumentRecord) =>
  reviewPage(
    { name: 'Priya' },
    {
      vendorId: 'acme',
      vendorName: 'Acme',
      tier: 'high',
      record: r,
      downloadUrl: undefined,
      mayDecide: true,
      checklist,
      preview: previewAcceptance(vendor, report, '2026-11-26', DEFAULT_SETTINGS),
      asOf: '2026-11-26',
    },
  ).value;
const text = (markup: string) => markup.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('a decided document shows its decision, not a preview', () => {
  const ids = checklist.map((i) => i.id);
  const accepted = record({
    status: 'accepted',
    decidedAt: '2026-11-25T14:00:00Z',
    decidedBy: { kind: 'staff', id: 'priya.raman@bank.example' },
    reason: `checklist: ${ids.join(', ')}. CUECs assigned.`,
  });
  const rejected = record({
    status: 'rejected',
    decidedAt: '2026-11-25T14:00:00Z',
    decidedBy: { kind: 'staff', id: 'omar.haddad@bank.example' },
    reason: 'The report is not signed by the auditor.',
  });

  it('reads the recorded acceptance note back as the items confirmed and the person’s note', () => {
    expect(acceptanceNote(`checklist: a, b-c. Looks fine. Really.`)).toEqual({
      ticked: ['a', 'b-c'],
      note: 'Looks fine. Really.',
    });
    expect(acceptanceNote('checklist: a')).toEqual({ ticked: ['a'] });
    expect(acceptanceNote(undefined)).toEqual({ ticked: [] });
    expect(decisionOf(accepted, checklist)).toEqual({
      decision: 'accepted',
      by: 'priya.raman@bank.example',
      on: '2026-11-25',
      confirmed: checklist.map((i) => i.label),
      note: 'CUECs assigned.',
    });
    expect(decisionOf(record({}), checklist)).toBeUndefined();
  });

  it('an accepted one: who and when, the checklist in words (no ids, no empty boxes), no preview', () => {
    const page = review(accepted);
    const words = text(page);
    expect(words).toContain('This document was accepted on 2026-11-25 by priya.raman@bank.example.');
    for (const item of checklist) expect(page).toContain(escapeHtml(item.label));
    expect(words).not.toContain(`checklist: ${ids[0]}`);
    expect(words).toContain('CUECs assigned.');
    expect(page).not.toContain('With this document accepted');
    expect(page).not.toContain('If you accept it');
    expect(page).toMatch(/<form\s+id="decision-form"[^>]*hidden/);
  });

  it('a rejected one: the decision and the reason given, never "With this document accepted"', () => {
    const page = review(rejected);
    expect(text(page)).toContain('This document was rejected on 2026-11-25 by omar.haddad@bank.example.');
    expect(text(page)).toContain('Reason given to the vendor The report is not signed by the auditor.');
    expect(page).not.toContain('With this document accepted');
    expect(page).not.toMatch(/Next reminder/);
  });

  it('a document waiting for review still shows what accepting it would do, and no past reminder date', () => {
    const page = review(record({}));
    expect(page).toContain('If you accept it (as of 2026-11-26)');
    const late = reviewPage(
      { name: 'Priya' },
      {
        vendorId: 'acme',
        vendorName: 'Acme',
        tier: 'high',
        record: record({}),
        downloadUrl: undefined,
        mayDecide: true,
        checklist,
        preview: {
          ...previewAcceptance(vendor, report, '2026-11-26', DEFAULT_SETTINGS),
          nextReminder: '2026-10-01',
        },
        asOf: '2026-11-26',
      },
    ).value;
    expect(text(late)).toContain('Next reminder at once (its date, 2026-10-01, has passed)');
  });

  it('the vendor reads “received, waiting for review”, never the internal status or the file note', () => {
    const page = uploadPage({
      vendorName: 'Acme',
      managerEmail: 'm@bank.example',
      asking: 'your report',
      dueDate: '2026-12-26',
      sent: [
        { kind: 'soc2-type2', addedAt: '2026-11-20T00:00:00Z', status: 'pending-review' },
        {
          kind: 'soc2-type2',
          addedAt: '2026-11-19T00:00:00Z',
          status: 'accepted',
          reason: 'checklist: period',
        },
      ],
    }).value;
    expect(page).toContain('received, waiting for review');
    expect(text(page)).not.toContain('pending-review');
    expect(page).not.toContain('checklist: period');
  });
});

const summary = (over: Partial<VendorSummary> = {}): VendorSummary => ({
  vendorId: 'acme',
  name: EVIL,
  tier: 'high',
  managerEmail: 'm@bank.example',
  lapseDate: '2026-12-31',
  bridgedUntil: null,
  coverageEnd: '2026-12-31',
  upcoming: [{ date: '2026-12-01', what: 'vendor-request' }],
  openFindings: { critical: 0, high: 2, medium: 0, low: 0 },
  riskAccepted: 0,
  findingCodes: ['scope-gap'],
  findingsDue: '2027-01-25',
  pendingReviews: 0,
  openRequest: false,
  ...over,
});

const rows: FindingView[] = FINDING_CODES.map((code, i) =>
  findingView(
    { vendorId: 'acme', vendorName: EVIL },
    {
      findingId: `${code}-2026-11-26`,
      code,
      severity: 'high',
      status: FINDING_STATUSES[i % FINDING_STATUSES.length]!,
      openedAt: '2026-09-01T09:00:00.000Z',
      openedOn: '2026-09-01',
      dueDate: '2026-10-31',
      owner: EVIL,
      note: EVIL,
    },
    '2026-11-26',
    DEFAULT_SETTINGS,
  ),
);

describe('the portfolio, the register and a finding, in words', () => {
  it('the portfolio explains every status, and its counts link to their filtered views', () => {
    const page = portfolioPage(
      { name: EVIL },
      {
        asOf: '2026-11-26',
        counts: { current: 5, expiring: 2, bridged: 1, stale: 2, missing: 2 },
        rows: [{ summary: summary(), status: 'expiring' }],
        filter: { sort: 'urgency', descending: false, q: EVIL, manager: EVIL },
        me: 'tara@bank.example',
        nextCursor: 'abc',
        pageSize: 50,
      },
    ).value;
    inert(page);
    for (const status of STATUSES) {
      expect(page).toContain(escapeHtml(STATUS_WORDS[status]));
      expect(page).toContain(`href="/?status=${status}"`);
    }
    expect(page).toContain('href="/?manager=tara%40bank.example"');
    expect(text(page)).toContain('2026-12-01 the vendor is asked for its new report');
    expect(page).toMatch(/href="\/\?[^"]*after=abc"/);
  });

  it('the register explains every finding code and state, and shows what is overdue', () => {
    const page = registerPage(
      { name: 'Tara' },
      { asOf: '2026-11-26', rows, filter: { state: 'active', owner: EVIL }, nextCursor: null, pageSize: 50 },
    ).value;
    inert(page);
    for (const code of FINDING_CODES) expect(page).toContain(escapeHtml(FINDING_WORDS[code]));
    for (const status of FINDING_STATUSES) expect(page).toContain(escapeHtml(FINDING_STATUS_WORDS[status]));
    // Overdue: past its due date and neither closed nor risk-accepted.
    expect(
      rows
        .filter((r) => r.overdue)
        .map((r) => r.status)
        .sort(),
    ).toEqual(
      rows
        .filter((r) => r.status !== 'closed' && r.status !== 'risk-accepted')
        .map((r) => r.status)
        .sort(),
    );
    expect(text(page)).toContain('overdue 26 d');
  });

  it('a finding page offers only the actions allowed, and names the role for the others', () => {
    const view = rows.find((r) => r.status === 'open')!;
    const page = (may: Parameters<typeof findingPage>[1]['may']) =>
      findingPage(
        { name: 'Omar' },
        {
          asOf: '2026-11-26',
          view,
          history: [{ seq: 3, at: '2026-11-26T09:00:00Z', by: EVIL, what: 'opened', note: EVIL }],
          may,
          latestExpiry: '2027-11-26',
        },
      ).value;
    const manager = page({ acknowledge: true, assign: 'compliance-lead', acceptRisk: 'compliance-lead' });
    inert(manager);
    expect(manager).toContain('id="acknowledge-form"');
    expect(manager).not.toContain('id="assign-form"');
    expect(manager).not.toContain('id="accept-form"');
    expect(text(manager)).toContain('Accept the risk: needs the role compliance-lead.');
    const lead = page({ acknowledge: true, assign: true, acceptRisk: true });
    expect(lead).toContain('id="assign-form"');
    expect(lead).toContain('max="2027-11-26"');
    expect(lead).not.toContain('id="not-allowed"');
  });
});
