import { describe, expect, it } from 'vitest';
import { documentIdOf, importEvents } from '../../../functions/core/import-diff.js';
import type { NewEvent } from '../../../functions/core/events.js';
import { reduceEvents, type VendorState } from '../../../functions/core/vendor-state.js';
import type { VendorDocument } from '../../../functions/core/portfolio.js';
import { chain, vendor } from './fixtures.js';

const report: VendorDocument = {
  kind: 'soc2-type2',
  periodStart: '2025-01-01',
  periodEnd: '2025-12-31',
  opinion: 'unqualified',
};
const letter: VendorDocument = { kind: 'bridge-letter', coversFrom: '2026-01-01', coversTo: '2026-03-31' };
const portfolio = { complianceLeadEmail: 'tprm@bank.example' };

function stateAfter(events: NewEvent[]): VendorState {
  return reduceEvents('acme', chain('acme', events));
}

describe('importEvents', () => {
  it('registers a new vendor with its documents, then finds nothing to do on re-import', () => {
    const acme = vendor('acme', { documents: [report, letter, report] });
    const first = importEvents(acme, undefined, portfolio, { manageDocuments: true });
    expect(first.map((e) => e.type)).toEqual(['vendor-registered', 'document-added', 'document-added']);
    expect(importEvents(acme, stateAfter(first), portfolio, { manageDocuments: true })).toEqual([]);
  });

  it('names documents by content, whatever the key order', () => {
    expect(
      documentIdOf({
        periodEnd: '2025-12-31',
        kind: 'soc2-type2',
        opinion: 'unqualified',
        periodStart: '2025-01-01',
      }),
    ).toBe(documentIdOf(report));
    expect(documentIdOf(letter)).not.toBe(documentIdOf(report));
  });

  it('a changed field is one vendor-updated with exactly that change; a removed optional field is null', () => {
    const before = stateAfter(
      importEvents(vendor('acme', { contractRenewal: '2027-01-01' }), undefined, portfolio, {
        manageDocuments: true,
      }),
    );
    const events = importEvents(vendor('acme', { tier: 'critical' }), before, portfolio, {
      manageDocuments: true,
    });
    expect(events).toEqual([
      { type: 'vendor-updated', data: { changes: { tier: 'critical', contractRenewal: null } } },
    ]);
  });

  it('a changed document row withdraws the old document and adds the new one; uploads are left alone', () => {
    const base = importEvents(vendor('acme', { documents: [report] }), undefined, portfolio, {
      manageDocuments: true,
    });
    const upload: NewEvent = {
      type: 'document-added',
      data: { documentId: 'up-1', document: letter, source: 'upload', status: 'pending-review' },
    };
    const state = stateAfter([...base, upload]);
    const fixed = { ...report, periodEnd: '2025-12-30' } as VendorDocument;
    const events = importEvents(vendor('acme', { documents: [fixed] }), state, portfolio, {
      manageDocuments: true,
    });
    expect(events.map((e) => [e.type, (e.data as { documentId: string }).documentId])).toEqual([
      ['document-added', documentIdOf(fixed)],
      ['document-withdrawn', documentIdOf(report)],
    ]);
    // Without a documents file the documents are not the import's business.
    expect(importEvents(vendor('acme'), state, portfolio, { manageDocuments: false })).toEqual([]);
  });

  it('a withdrawn document listed again is added again', () => {
    const first = importEvents(vendor('acme', { documents: [report] }), undefined, portfolio, {
      manageDocuments: true,
    });
    const withdrawn = importEvents(vendor('acme'), stateAfter(first), portfolio, { manageDocuments: true });
    expect(withdrawn.map((e) => e.type)).toEqual(['document-withdrawn']);
    const state = stateAfter([...first, ...withdrawn]);
    const back = importEvents(vendor('acme', { documents: [report] }), state, portfolio, {
      manageDocuments: true,
    });
    expect(back.map((e) => e.type)).toEqual(['document-added']);
    const after = stateAfter([...first, ...withdrawn, ...back]);
    expect(after.documents.map((d) => d.status)).toEqual(['accepted']);
  });

  it('writes the portfolio lead into vendors without their own', () => {
    const { complianceLeadEmail: _own, ...rest } = vendor('acme');
    const [registered] = importEvents({ ...rest }, undefined, portfolio, { manageDocuments: true });
    expect(registered).toMatchObject({ data: { profile: { complianceLeadEmail: 'tprm@bank.example' } } });
  });
});
