import { describe, expect, it } from 'vitest';
import { escapeHtml, html, raw } from '../../../functions/web/html.js';
import { uploadPage, deadLinkPage } from '../../../functions/web/vendor-pages.js';
import { reviewPage } from '../../../functions/web/review-pages.js';
import { vendorPage } from '../../../functions/web/console-pages.js';
import { previewAcceptance, reviewChecklist } from '../../../functions/core/review.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import { findingView } from '../../../functions/core/findings.js';
import { reviewRequestMail, documentRejectedMail } from '../../../functions/core/mail/people.js';
import type { SocReport, Vendor } from '../../../functions/core/portfolio.js';
import type { StoredEvent } from '../../../functions/core/events.js';

const EVIL = `<script>alert('x')</script>"><img src=x onerror=alert(1)>\`&`;

function assertInert(markup: string): void {
  expect(markup).not.toContain('<script>alert');
  expect(markup).not.toContain('<img src=x');
  expect(markup).not.toMatch(/"><img/);
}

const vendor: Vendor = {
  id: 'evil-co',
  name: EVIL,
  tier: 'high',
  managerEmail: 'm@bank.example',
  contactEmail: 'c@evil.example',
  dataRegions: ['us'],
  documents: [],
};
const report: SocReport = {
  kind: 'soc2-type2',
  periodStart: '2025-01-01',
  periodEnd: '2025-12-31',
  issued: '2026-02-01',
  opinion: 'unqualified',
  auditor: EVIL,
  categories: ['security'],
  regions: [EVIL],
  exceptions: [{ control: EVIL, description: EVIL, managementResponse: EVIL }],
};

describe('html', () => {
  it('escapes every interpolated string, and only Html passes through', () => {
    expect(escapeHtml(`<a href="x">'&\``)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#96;');
    expect(html`<p>${EVIL}</p>`.value).toBe(`<p>${escapeHtml(EVIL)}</p>`);
    expect(html`<p>${raw('<b>ok</b>')}</p>`.value).toBe('<p><b>ok</b></p>');
    expect(html`<p>${[EVIL, html`<i>${EVIL}</i>`]}</p>`.value).toBe(
      `<p>${escapeHtml(EVIL)}<i>${escapeHtml(EVIL)}</i></p>`,
    );
    expect(html`${null}${undefined}${false}${0}`.value).toBe('0');
  });
});

describe('pages and e-mails with vendor-entered text', () => {
  it('render it inert on the upload, review and vendor pages', () => {
    assertInert(
      uploadPage({
        vendorName: EVIL,
        managerEmail: 'm@bank.example',
        asking: EVIL,
        dueDate: '2026-12-26',
        sent: [{ kind: 'soc2-type2', addedAt: '2026-11-26T00:00:00Z', status: 'rejected', reason: EVIL }],
      }).value,
    );
    const record = {
      documentId: 'up-1',
      document: report,
      source: 'upload' as const,
      status: 'pending-review' as const,
      file: { key: 'uploads/evil-co/x.pdf', sha256: 'a'.repeat(64), size: 10 },
      addedAt: '2026-11-26T10:00:00Z',
      addedBy: { kind: 'vendor-link' as const, requestId: 'r1' },
    };
    const review = reviewPage(
      { name: EVIL },
      {
        vendorId: 'evil-co',
        vendorName: EVIL,
        tier: 'high',
        record,
        downloadUrl: `https://s3.example/x?y="><script>`,
        checklist: reviewChecklist(vendor, report),
        preview: previewAcceptance(vendor, report, '2026-11-26', DEFAULT_SETTINGS),
        asOf: '2026-11-26',
        mayDecide: true,
        problems: [EVIL],
      },
    ).value;
    assertInert(review);
    expect(review).not.toContain('"><script>');
    const event = {
      vendorId: 'evil-co',
      seq: 1,
      at: '2026-11-26T10:00:00Z',
      actor: { kind: 'staff', id: EVIL },
      type: 'document-rejected',
      data: { documentId: 'up-1', reason: EVIL },
      hash: 'h',
      prevHash: 'p',
    } as StoredEvent;
    const page = vendorPage(
      { name: 'Lead' },
      {
        vendorId: 'evil-co',
        name: EVIL,
        tier: 'high',
        managerEmail: EVIL,
        contactEmail: EVIL,
        asOf: '2026-11-26',
        assessment: previewAcceptance(vendor, report, '2026-11-26', DEFAULT_SETTINGS).after,
        documents: [{ ...record, status: 'rejected', reason: EVIL }],
        findings: [
          findingView(
            { vendorId: 'evil-co', vendorName: EVIL },
            {
              findingId: 'f1',
              code: 'scope-gap',
              severity: 'high',
              status: 'acknowledged',
              openedAt: '2026-11-01T09:00:00.000Z',
              note: EVIL,
            },
            '2026-11-26',
            DEFAULT_SETTINGS,
          ),
        ],
        computed: [],
        requests: [],
        events: [event],
      },
    ).value;
    assertInert(page);
    expect(page).toContain(escapeHtml(EVIL));
  });

  it('keep the dead-link page free of anything about the request', () => {
    const page = deadLinkPage().value;
    expect(page).toContain('This upload link does not work');
    expect(page).not.toMatch(/expired on|closed on|due/i);
  });

  it('render it inert in the review-request and rejection e-mails, with single-line subjects', () => {
    const review = reviewRequestMail({
      vendorName: `${EVIL}\r\nBcc: x@y`,
      kind: 'soc2-type2',
      date: '2026-11-26',
    });
    assertInert(review.html);
    expect(review.subject).not.toMatch(/[\r\n]/);
    const rejected = documentRejectedMail({ vendorName: EVIL, kind: 'bridge-letter', reason: EVIL });
    assertInert(rejected.html);
    expect(rejected.text).toContain(EVIL);
  });
});
