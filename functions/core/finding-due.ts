// When a finding is due (spec section 8): the day it opened plus `findingDueDays` by severity. Until the findings
// register keeps owners and due dates on its records, the exports, the calendar and the digest compute the due
// date here from the open date; a finding not closed by then is overdue.
import { addDays, type CalendarDate } from './dates.js';

export const DEFAULT_FINDING_DUE_DAYS: Readonly<Record<string, number>> = Object.freeze({
  critical: 30,
  high: 60,
  medium: 90,
  low: 180,
});

/** The due date of a finding of `severity` opened on `openedOn` (an unknown severity gets the shortest). */
export function findingDueDate(
  openedOn: CalendarDate,
  severity: string,
  dueDays: Readonly<Record<string, number>> = DEFAULT_FINDING_DUE_DAYS,
): CalendarDate {
  return addDays(openedOn, dueDays[severity] ?? Math.min(...Object.values(dueDays)));
}

/** Overdue: still not closed (nor its risk accepted) after its due date. */
export function isOverdue(state: string, dueDate: CalendarDate, today: CalendarDate): boolean {
  return state !== 'closed' && state !== 'risk-accepted' && today > dueDate;
}
