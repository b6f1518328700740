import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../../functions/core/events.js';
import { ValidationError } from '../../../functions/core/errors.js';
import {
  emailSent,
  findingsWithStatus,
  notified,
  openRequest,
  portfolioVendor,
  reduceEvents,
} from '../../../functions/core/vendor-state.js';
import { chain, registered } from './fixtures.js';

const report = {
  kind: 'soc2-type2',
  periodStart: '2025-01-01',
  periodEnd: '2025-12-31',
  opinion: 'unqualified',
} as const;

const history: NewEvent[] = [
  registered('acme'),
  {
    type: 'document-added',
    data: { documentId: 'd1', document: report, source: 'import', status: 'accepted' },
  },
  {
    type: 'request-opened',
    data: {
      requestId: 'r1',
      cycle: 1,
      date: '2026-11-26',
      lapseDate: '2026-12-31',
      dueDate: '2026-12-31',
      nonce: 'c'.repeat(32),
      tokenHash: 'a'.repeat(64),
      expiresAt: '2027-02-01T00:00:00.000Z',
    },
  },
  {
    type: 'document-added',
    data: {
      documentId: 'd2',
      document: { ...report, periodStart: '2026-01-01', periodEnd: '2026-12-31' },
      source: 'upload',
      status: 'pending-review',
      file: { key: 'k', sha256: 'b'.repeat(64), size: 10 },
    },
  },
  { type: 'upload-link-used', data: { requestId: 'r1' } },
  { type: 'finding-opened', data: { findingId: 'f1', code: 'stale-report', severity: 'high' } },
  { type: 'finding-acknowledged', data: { findingId: 'f1', note: 'vendor chasing auditor' } },
  {
    type: 'email-intended',
    data: {
      key: 'e1',
      kind: 'vendor-request',
      to: 'x@y.example',
      subject: 's',
      date: '2026-12-01',
      facts: {
        vendorName: 'Acme',
        vendorId: 'acme',
        date: '2026-12-01',
        lapseDate: '2026-12-31',
        periodEnd: '2025-12-31',
        bridgedUntil: null,
        requestId: 'r1',
      },
    },
  },
  { type: 'email-sent', data: { key: 'e1', messageId: 'm1' } },
  { type: 'vendor-request', data: { date: '2026-12-01', to: 'x@y.example', requestId: 'r1' } },
  { type: 'lifecycle-started', data: { execution: 'arn:exec', cycle: 1 } },
  {
    type: 'lifecycle-waiting',
    data: { taskToken: 'tok', wakeAt: '2026-12-08T09:00:00.000Z', waitingFor: 'review' },
  },
];

describe('the vendor-state reducer', () => {
  it('projects documents, the open request, findings, e-mails and the lifecycle', () => {
    const state = reduceEvents('acme', chain('acme', history));
    expect(state.seq).toBe(history.length);
    expect(state.documents.map((d) => [d.documentId, d.status])).toEqual([
      ['d1', 'accepted'],
      ['d2', 'pending-review'],
    ]);
    expect(openRequest(state)?.requestId).toBe('r1');
    expect(openRequest(state)?.linkUsedAt).toBeDefined();
    expect(findingsWithStatus(state, 'acknowledged').map((f) => f.findingId)).toEqual(['f1']);
    expect(emailSent(state, 'e1')).toBe(true);
    expect(emailSent(state, 'e2')).toBe(false);
    expect(notified(state, 'vendor-request', '2026-12-01')).toBe(true);
    expect(state.lifecycle.taskToken).toBe('tok');
    expect(state.nextActionAt).toBe('2026-12-08T09:00:00.000Z');
    // The policy engine sees only accepted documents.
    expect(portfolioVendor(state)?.documents).toEqual([report]);
  });

  it('accepting the upload and closing the request and finding', () => {
    const more: NewEvent[] = [
      ...history,
      { type: 'document-accepted', data: { documentId: 'd2' } },
      { type: 'request-closed', data: { requestId: 'r1', reason: 'basis accepted' } },
      { type: 'finding-closed', data: { findingId: 'f1', reason: 'cured' } },
      { type: 'vendor-updated', data: { changes: { name: 'Acme Inc', contractRenewal: null } } },
    ];
    const state = reduceEvents('acme', chain('acme', more));
    expect(portfolioVendor(state)?.documents).toHaveLength(2);
    expect(openRequest(state)).toBeUndefined();
    expect(state.requests.r1?.open).toBe(false);
    expect(findingsWithStatus(state, 'closed')).toHaveLength(1);
    expect(state.profile?.name).toBe('Acme Inc');
    expect('contractRenewal' in (state.profile ?? {})).toBe(false);
  });

  it.each<[string, NewEvent[]]>([
    [
      'an event before registration',
      [{ type: 'finding-opened', data: { findingId: 'f', code: 'x', severity: 'low' } }],
    ],
    ['registering twice', [registered('acme'), registered('acme')]],
    [
      'accepting an unknown document',
      [registered('acme'), { type: 'document-accepted', data: { documentId: 'nope' } }],
    ],
    [
      'sending an e-mail never intended',
      [registered('acme'), { type: 'email-sent', data: { key: 'k', messageId: 'm' } }],
    ],
    [
      'a second open request',
      [
        registered('acme'),
        history[2]!,
        { ...history[2]!, data: { ...(history[2]!.data as object), requestId: 'r2' } } as NewEvent,
      ],
    ],
  ])('refuses %s', (_name, events) => {
    expect(() => reduceEvents('acme', chain('acme', events))).toThrow(ValidationError);
  });

  it('refuses a gap in seq', () => {
    const events = chain('acme', [registered('acme'), history[1]!]);
    expect(() => reduceEvents('acme', [events[1]!])).toThrow(/expected seq 1/);
  });
});
