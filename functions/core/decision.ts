// A decided document in words: who decided, when, and what they confirmed (the checklist items they ticked, by
// their questions, not their ids) or why they rejected it. Pure: the review page and the vendor page show it.
import type { ChecklistItem } from './review.js';
import type { DocumentRecord } from './vendor-state.js';
import { actorName } from './words.js';

export interface DocumentDecision {
  decision: 'accepted' | 'rejected' | 'withdrawn';
  by: string;
  /** The calendar day (UTC) of the decision. */
  on: string;
  /** Accepted: the checklist questions the reviewer confirmed. */
  confirmed: string[];
  /** Accepted: the reviewer's note for the file. */
  note?: string;
  /** Rejected or withdrawn: why. */
  reason?: string;
}

/**
 * The reviewer's note on an acceptance as recorded (core/commands/people.ts): `checklist: <ids>` then, after
 * `. `, the person's own note. An imported document's acceptance has neither.
 */
export function acceptanceNote(recorded: string | undefined): { ticked: string[]; note?: string } {
  if (recorded === undefined || recorded === '') return { ticked: [] };
  if (!recorded.startsWith('checklist: ')) return { ticked: [], note: recorded };
  const rest = recorded.slice('checklist: '.length);
  const cut = rest.indexOf('. ');
  const ids = (cut < 0 ? rest : rest.slice(0, cut))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const note = cut < 0 ? '' : rest.slice(cut + 2).trim();
  return { ticked: ids, ...(note ? { note } : {}) };
}

export function decisionOf(
  record: DocumentRecord,
  checklist: readonly ChecklistItem[],
): DocumentDecision | undefined {
  if (record.status === 'pending-review') return undefined;
  const base = {
    decision: record.status,
    by: actorName(record.decidedBy),
    on: (record.decidedAt ?? record.addedAt).slice(0, 10),
  };
  if (record.status !== 'accepted')
    return { ...base, confirmed: [], ...(record.reason ? { reason: record.reason } : {}) };
  const { ticked, note } = acceptanceNote(record.reason);
  const labels = new Map(checklist.map((item) => [item.id, item.label]));
  return {
    ...base,
    confirmed: ticked.map((id) => labels.get(id) ?? id),
    ...(note ? { note } : {}),
  };
}
