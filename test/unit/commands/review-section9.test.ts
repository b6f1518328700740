// The deeper review's commands and records (core/commands/people.ts, core/vendor-state.ts): given events, when
// the command, then events. The accepted document with the manager's CUECs, subservices and choices; a
// subservice organisation's document sent through the vendor; the CUEC owner's confirmation; the extraction kept
// beside a pending document only; the organisation's record.
import { describe, expect, it } from 'vitest';
import {
  confirmCuecStatus,
  documentIdFor,
  recordUpload,
  requestCuecConfirmation,
  reviewDocument,
  reviewProblems,
  type ReviewDocument,
} from '../../../functions/core/commands/people.js';
import { confirmationForToken, cuecLinkMessage } from '../../../functions/core/cuec-link.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../../functions/core/errors.js';
import type { NewEvent } from '../../../functions/core/events.js';
import type { StoredExtraction } from '../../../functions/core/intake/stored.js';
import { renderMail } from '../../../functions/core/mail/render.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import { reviewChecklist } from '../../../functions/core/review.js';
import { hashToken } from '../../../functions/core/upload-link.js';
import {
  portfolioVendor,
  reduceEvents,
  subserviceOrganizationOf,
} from '../../../functions/core/vendor-state.js';
import { chain } from '../storage/fixtures.js';
import { given, report, request, types } from './support.js';

const sha = 'f'.repeat(64);
const documentId = documentIdFor(sha);
const file = { key: 'uploads/acme/u1.pdf', sha256: sha, size: 100 };
const pending = (extra: Record<string, unknown> = {}): NewEvent => ({
  type: 'document-added',
  data: {
    documentId,
    document: report('2026-09-30'),
    source: 'upload',
    status: 'pending-review',
    file,
    ...extra,
  },
});
const extraction: StoredExtraction = {
  textLayer: true,
  pageCount: 9,
  pagesRead: 9,
  truncated: false,
  fields: { periodEnd: { value: '2026-08-31', page: 3 }, opinion: { value: 'unqualified', page: 4 } },
};
const extracted: NewEvent = { type: 'document-extracted', data: { documentId, extraction } };

function command(state: ReturnType<typeof given>, over: Partial<ReviewDocument> = {}): ReviewDocument {
  const base: ReviewDocument = {
    documentId,
    decision: 'accept',
    reason: '',
    note: '',
    ticked: [],
    today: '2026-12-03',
    settings: DEFAULT_SETTINGS,
    knownOrganizations: new Set(['nimbus']),
    ...over,
  };
  const record = state.documents.find((d) => d.documentId === documentId)!;
  const ticked = reviewChecklist(portfolioVendor(state)!, record.document, null).map((i) => i.id);
  return { ...base, ticked: over.ticked ?? ticked };
}

describe('the extraction on the record', () => {
  it('is kept beside the pending document only, and dropped once it is decided', () => {
    const state = given(request(), pending(), extracted);
    expect(state.documents[0]?.extraction).toEqual(extraction);
    const after = given(request(), pending(), extracted, {
      type: 'document-rejected',
      data: { documentId, reason: 'no' },
    });
    expect(after.documents[0]?.extraction).toBeUndefined();
    // A late extraction of an already decided document is not kept either.
    const late = given(
      request(),
      pending(),
      { type: 'document-rejected', data: { documentId, reason: 'no' } },
      extracted,
    );
    expect(late.documents[0]?.extraction).toBeUndefined();
  });
});

describe('reviewDocument with the manager’s entries', () => {
  const entries = {
    takes: { periodEnd: 'entry' as const },
    cuecs: [{ id: 'C1', text: 'Review access.', owner: 'iam@bank.example', status: 'not-in-place' as const }],
    subservices: [{ id: 'nimbus', method: 'carve-out' as const }],
    newOrganizations: [],
  };

  it('refuses to accept while a disagreement with the read report is undecided', () => {
    const state = given(request(), pending(), extracted);
    const { takes: _takes, ...undecided } = entries;
    expect(reviewProblems(state, command(state, { entries: { ...undecided, takes: {} } }))).toEqual([
      "Where the report disagrees with the vendor's entry, choose which to accept (periodEnd).",
    ]);
  });

  it('records the document as accepted, with its CUECs and subservices, when it differs from the entries', () => {
    const state = given(request(), pending(), extracted);
    const events = reviewDocument(state, command(state, { entries }));
    expect(types(events)).toEqual(['document-accepted', 'email-intended']);
    expect(events[0]).toMatchObject({
      data: {
        documentId,
        document: { ...report('2026-09-30'), subservices: entries.subservices, cuecs: entries.cuecs },
      },
    });
    const after = given(request(), pending(), extracted, ...events);
    const vendor = portfolioVendor(after)!;
    expect(vendor.documents[0]).toMatchObject({ cuecs: entries.cuecs });
    // Taking the report's value replaces the entry.
    const taken = reviewDocument(
      state,
      command(state, { entries: { ...entries, takes: { periodEnd: 'report' } } }),
    );
    expect(taken[0]).toMatchObject({ data: { document: { periodEnd: '2026-08-31' } } });
  });

  it('records no document when the manager changed nothing (the entries are what was accepted)', () => {
    const state = given(request(), pending());
    const events = reviewDocument(
      state,
      command(state, { entries: { takes: {}, cuecs: [], subservices: [], newOrganizations: [] } }),
    );
    expect(events[0]).toEqual({ type: 'document-accepted', data: { documentId, note: expect.any(String) } });
  });

  it('refuses a subservice organisation that is not on record nor created, naming it', () => {
    const state = given(request(), pending());
    expect(
      reviewProblems(
        state,
        command(state, {
          entries: { ...entries, takes: {}, subservices: [{ id: 'ghost', method: 'carve-out' }] },
        }),
      ),
    ).toEqual([
      'subservices[0].id: ghost is not a subservice organisation of the portfolio (not in subserviceOrganizations)',
    ]);
  });
});

describe('a subservice organisation’s document sent through the vendor', () => {
  it('is added for review naming the organisation, and never counts for the vendor itself', () => {
    const { events } = recordUpload(given(request()), {
      requestId: 'acme-r1',
      document: report('2026-06-30'),
      organizationId: 'nimbus',
      file,
      date: '2026-12-03',
      publicBaseUrl: '',
    });
    expect(events[0]).toMatchObject({ type: 'document-added', data: { organizationId: 'nimbus' } });
    const accepted = given(request(), ...events, { type: 'document-accepted', data: { documentId } });
    expect(accepted.documents[0]).toMatchObject({ status: 'accepted', organizationId: 'nimbus' });
    expect(portfolioVendor(accepted)!.documents).toEqual([]);
  });

  it('is rejected with the link of the request it came by (the organisations’ own track)', () => {
    const state = given(
      request('acme-r2', { organizations: ['nimbus'] }),
      pending({ organizationId: 'nimbus' }),
    );
    // As the vendor's link added it (the fixture's events are the workflow's): it names its request.
    const linked = {
      ...state,
      documents: state.documents.map((d) => ({
        ...d,
        addedBy: { kind: 'vendor-link' as const, requestId: 'acme-r2' },
      })),
    };
    const events = reviewDocument(linked, command(linked, { decision: 'reject', reason: 'Unsigned.' }));
    expect(events[1]).toMatchObject({ type: 'document-rejected-notice', data: { requestId: 'acme-r2' } });
  });
});

describe('a subservice organisation’s record', () => {
  const registered: NewEvent = { type: 'organization-registered', data: { name: 'Nimbus Cloud' } };
  const doc: NewEvent = {
    type: 'document-added',
    data: { documentId: 'd1', document: report('2026-06-30'), source: 'import', status: 'accepted' },
  };

  it('holds a name and documents: the policy sees it as a subservice organisation, not a vendor', () => {
    const state = reduceEvents('nimbus', chain('nimbus', [registered, doc]));
    expect(subserviceOrganizationOf(state)).toEqual({
      id: 'nimbus',
      name: 'Nimbus Cloud',
      documents: [report('2026-06-30')],
    });
    expect(portfolioVendor(state)).toBeUndefined();
    expect(subserviceOrganizationOf(given())).toBeUndefined();
  });

  it('refuses a vendor’s events, a second registration, and registering over a vendor', () => {
    expect(() => reduceEvents('nimbus', chain('nimbus', [registered, request('r1')]))).toThrow(
      'nimbus is a subservice organisation, not a vendor',
    );
    expect(() => reduceEvents('nimbus', chain('nimbus', [registered, registered]))).toThrow(ValidationError);
    expect(() => given(registered)).toThrow('acme is a vendor');
    expect(() => reduceEvents('nimbus', chain('nimbus', [doc]))).toThrow('the vendor is not registered');
  });
});

describe('the CUEC owner’s confirmation', () => {
  const accepted = (cuecs: unknown[]): NewEvent[] => [
    {
      type: 'document-added',
      data: {
        documentId: 'd1',
        document: report('2026-09-30', { cuecs }),
        source: 'import',
        status: 'accepted',
      },
    },
  ];
  const link = {
    confirmationId: 'cc-1',
    nonce: 'a'.repeat(32),
    tokenHash: hashToken('T'.repeat(43)),
    expiresAt: '2027-01-02T09:00:00.000Z',
  };
  const cuecs = [
    { id: 'C1', text: 'Review access <b>quarterly</b>.', owner: 'iam@bank.example' },
    { id: 'C2', text: 'Rotate keys.' },
  ];

  it('records the request and an e-mail to the owner quoting the CUEC (escaped in HTML)', () => {
    const events = requestCuecConfirmation(given(...accepted(cuecs)), {
      documentId: 'd1',
      cuecId: 'C1',
      today: '2026-12-03',
      link,
    });
    expect(types(events)).toEqual(['cuec-confirmation-requested', 'email-intended']);
    expect(events[0]).toMatchObject({
      data: { cuecId: 'C1', owner: 'iam@bank.example', tokenHash: link.tokenHash },
    });
    const mail = events[1] as Extract<NewEvent, { type: 'email-intended' }>;
    expect(mail.data).toMatchObject({ kind: 'cuec-confirmation', to: 'iam@bank.example' });
    const rendered = renderMail('cuec-confirmation', {
      ...mail.data.facts,
      confirmUrl: 'https://bk.example/c/acme/x',
    });
    expect(rendered.text).toContain('C1: Review access <b>quarterly</b>.');
    expect(rendered.html).toContain('Review access &lt;b&gt;quarterly&lt;/b&gt;.');
    expect(rendered.text).toContain('https://bk.example/c/acme/x');
  });

  it('refuses a CUEC without an owner, an unknown CUEC, and a document not accepted', () => {
    const state = given(...accepted(cuecs));
    const ask = (cuecId: string, documentIdAsked = 'd1') =>
      requestCuecConfirmation(state, { documentId: documentIdAsked, cuecId, today: '2026-12-03', link });
    expect(() => ask('C2')).toThrow('this CUEC has no owner to ask');
    expect(() => ask('C9')).toThrow(NotFoundError);
    expect(() => ask('C1', 'nope')).toThrow(NotFoundError);
  });

  it('the owner’s answer sets the CUEC’s status (so cuec-not-in-place follows it); the link then dies', () => {
    const asked = given(
      ...accepted(cuecs),
      ...requestCuecConfirmation(given(...accepted(cuecs)), {
        documentId: 'd1',
        cuecId: 'C1',
        today: '2026-12-03',
        link,
      }),
    );
    const now = new Date('2026-12-04T10:00:00Z');
    expect(confirmationForToken(asked.cuecConfirmations, 'T'.repeat(43), now)?.confirmationId).toBe('cc-1');
    expect(confirmationForToken(asked.cuecConfirmations, 'U'.repeat(43), now)).toBeUndefined();
    expect(() =>
      confirmCuecStatus(asked, { confirmationId: 'cc-1', status: 'sometimes', note: '', now }),
    ).toThrow(ValidationError);
    const answer = confirmCuecStatus(asked, {
      confirmationId: 'cc-1',
      status: 'not-in-place',
      note: ' Not yet. ',
      now,
    });
    expect(answer).toEqual([
      {
        type: 'cuec-status-confirmed',
        data: {
          confirmationId: 'cc-1',
          documentId: 'd1',
          cuecId: 'C1',
          status: 'not-in-place',
          note: 'Not yet.',
        },
      },
    ]);
    const after = given(
      ...accepted(cuecs),
      ...requestCuecConfirmation(given(...accepted(cuecs)), {
        documentId: 'd1',
        cuecId: 'C1',
        today: '2026-12-03',
        link,
      }),
      ...answer,
    );
    expect(portfolioVendor(after)!.documents[0]).toMatchObject({
      cuecs: [{ id: 'C1', status: 'not-in-place' }, { id: 'C2' }],
    });
    expect(confirmationForToken(after.cuecConfirmations, 'T'.repeat(43), now)).toBeUndefined();
    expect(() =>
      confirmCuecStatus(after, { confirmationId: 'cc-1', status: 'in-place', note: '', now }),
    ).toThrow(ForbiddenError);
    // Expired, unanswered: dead too.
    expect(() =>
      confirmCuecStatus(asked, {
        confirmationId: 'cc-1',
        status: 'in-place',
        note: '',
        now: new Date('2027-01-02T09:00:00Z'),
      }),
    ).toThrow(ForbiddenError);
  });

  it('mints its token over a versioned message of its own', () => {
    expect(cuecLinkMessage('acme', 'cc-1', 'a'.repeat(32))).toBe(
      `bridgekeeper/cuec-link/v1/acme/cc-1/${'a'.repeat(32)}`,
    );
    expect(() => cuecLinkMessage('acme', 'cc-1', 'nope')).toThrow(TypeError);
  });
});
