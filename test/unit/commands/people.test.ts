// The people's side commands (functions/core/commands/people.ts): given events, when the command, then events.
import { describe, expect, it } from 'vitest';
import {
  documentIdFor,
  recordUpload,
  reviewDocument,
  reviewProblems,
  useLink,
  type ReviewDocument,
} from '../../../functions/core/commands/people.js';
import { ConflictError, NotFoundError, ValidationError } from '../../../functions/core/errors.js';
import type { NewEvent } from '../../../functions/core/events.js';
import { DEFAULT_SETTINGS } from '../../../functions/core/policy.js';
import { given, report, request, types } from './support.js';

const sha = 'e'.repeat(64);
const upload = (over: Partial<Parameters<typeof recordUpload>[1]> = {}) => ({
  requestId: 'acme-r1',
  document: report('2026-09-30'),
  file: { key: 'uploads/acme/u1.pdf', sha256: sha, size: 100 },
  date: '2026-12-03',
  publicBaseUrl: 'https://bk.example',
  ...over,
});
const pending = (file = { key: 'uploads/acme/u1.pdf', sha256: sha, size: 100 }): NewEvent => ({
  type: 'document-added',
  data: {
    documentId: documentIdFor(file.sha256),
    document: report('2026-09-30'),
    source: 'upload',
    status: 'pending-review',
    file,
  },
});
const closed: NewEvent = { type: 'request-closed', data: { requestId: 'acme-r1', reason: 'new-basis' } };

describe('useLink', () => {
  it('records the first use of a request’s link, and only the first', () => {
    expect(useLink(given(request()), 'acme-r1')).toEqual([
      { type: 'upload-link-used', data: { requestId: 'acme-r1' } },
    ]);
    expect(
      useLink(given(request(), { type: 'upload-link-used', data: { requestId: 'acme-r1' } }), 'acme-r1'),
    ).toEqual([]);
    expect(useLink(given(), 'acme-r9')).toEqual([]);
  });
});

describe('recordUpload', () => {
  it('an upload for an open request: the document for review, document-received and the review request', () => {
    const { events, result } = recordUpload(given(request()), upload());
    const documentId = documentIdFor(sha);
    expect(result).toEqual({ outcome: 'received', documentId });
    expect(types(events)).toEqual([
      'document-added',
      'document-received',
      'review-request',
      'email-intended',
    ]);
    expect(events[1]).toEqual({
      type: 'document-received',
      data: { date: '2026-12-03', to: 'manager@bank.example', requestId: 'acme-r1', documentId },
    });
    expect(events[3]).toMatchObject({
      data: {
        key: `acme/review-request/${documentId}`,
        kind: 'review-request',
        to: 'manager@bank.example',
        facts: { reviewUrl: `https://bk.example/review/acme/${documentId}` },
      },
    });
  });

  it('a request closed before the file arrived: nothing recorded', () => {
    expect(recordUpload(given(request(), closed), upload())).toEqual({
      events: [],
      result: { outcome: 'closed' },
    });
    expect(recordUpload(undefined, upload()).result).toEqual({ outcome: 'closed' });
  });

  it('the same upload delivered twice: the second changes nothing', () => {
    const { result, events } = recordUpload(given(request(), pending()), upload());
    expect(events).toEqual([]);
    expect(result).toEqual({ outcome: 'redelivered', documentId: documentIdFor(sha) });
  });

  it('the same file sent again in another upload: a duplicate, with the first one’s fate', () => {
    const rejected: NewEvent = {
      type: 'document-rejected',
      data: { documentId: documentIdFor(sha), reason: 'unsigned' },
    };
    const { result } = recordUpload(
      given(request(), pending(), rejected),
      upload({ file: { key: 'uploads/acme/u2.pdf', sha256: sha, size: 100 } }),
    );
    expect(result).toEqual({
      outcome: 'duplicate',
      documentId: documentIdFor(sha),
      earlier: { status: 'rejected', reason: 'unsigned' },
    });
  });

  it('recorded by staff (no link): taken whether or not a request is open, noted on the open one', () => {
    const { requestId: _none, ...staff } = upload();
    expect(recordUpload(given(), staff).result.outcome).toBe('received');
    const onOpen = recordUpload(given(request()), staff).events;
    expect(onOpen[1]).toMatchObject({ data: { requestId: 'acme-r1' } });
  });
});

describe('reviewDocument', () => {
  const state = given(request(), pending());
  const documentId = documentIdFor(sha);
  const review = (over: Partial<ReviewDocument> = {}): ReviewDocument => ({
    documentId,
    decision: 'accept',
    reason: '',
    note: '',
    ticked: ['type-period', 'opinion', 'exceptions', 'cuecs', 'subservice', 'scope', 'auditor'],
    today: '2026-12-04',
    settings: DEFAULT_SETTINGS,
    ...over,
  });

  it('accepts with every checklist item ticked, and tells the vendor', () => {
    const events = reviewDocument(state, review({ note: 'Read it all.' }));
    expect(types(events)).toEqual(['document-accepted', 'email-intended']);
    expect(events[0]).toEqual({
      type: 'document-accepted',
      data: {
        documentId,
        note: 'checklist: type-period, opinion, exceptions, cuecs, subservice, scope, auditor. Read it all.',
      },
    });
    expect(events[1]).toMatchObject({ data: { kind: 'document-accepted', to: 'security@acme.example' } });
  });

  it('rejects with a reason: the vendor is told why, on the still open request (its link in the mail)', () => {
    const events = reviewDocument(state, review({ decision: 'reject', reason: ' Not signed. ', ticked: [] }));
    expect(types(events)).toEqual(['document-rejected', 'document-rejected-notice', 'email-intended']);
    expect(events[0]).toEqual({ type: 'document-rejected', data: { documentId, reason: 'Not signed.' } });
    expect(events[2]).toMatchObject({
      data: { kind: 'document-rejected', facts: { reason: 'Not signed.', requestId: 'acme-r1' } },
    });
  });

  it('refuses an acceptance with open checklist items, a rejection without reason, and overlong text, naming each', () => {
    expect(reviewProblems(state, review({ ticked: ['opinion'] }))).toEqual([
      'Tick every checklist item before accepting (6 open).',
    ]);
    expect(reviewProblems(state, review({ decision: 'reject', ticked: [] }))).toEqual([
      'Give the vendor a reason when you reject.',
    ]);
    expect(reviewProblems(state, review({ decision: null }))).toEqual(['Choose Accept or Reject.']);
    expect(reviewProblems(state, review({ note: 'x'.repeat(2001) }))).toEqual([
      'Keep the reason and the note under 2000 characters.',
    ]);
    expect(() => reviewDocument(state, review({ ticked: [] }))).toThrow(ValidationError);
  });

  it('a document already decided is a conflict; an unknown one is not found', () => {
    const decided = given(request(), pending(), { type: 'document-accepted', data: { documentId } });
    expect(() => reviewDocument(decided, review())).toThrow(ConflictError);
    expect(() => reviewDocument(state, review({ documentId: 'up-nope' }))).toThrow(NotFoundError);
    expect(() => reviewDocument(undefined, review())).toThrow(NotFoundError);
  });
});
