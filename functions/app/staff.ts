// The staff records as the application uses them: load, decide, write with the version as the lock, retry on a
// lost race (as the vendors' commit loop, functions/app/vendors.ts, for a record that keeps no event log).
import { ConflictError } from '../core/errors.js';
import { emptyStaffRecord, staffKeyOf, type StaffRecord } from '../core/staff-record.js';
import type { Clock } from '../ports/clock.js';
import type { StaffStore } from '../ports/staff-store.js';

/** Decides the next record from the current one (an empty one when none is stored); undefined: no change. */
export type DecideStaff = (record: StaffRecord, at: string) => StaffRecord | undefined;

export class StaffRecords {
  constructor(
    readonly store: StaffStore,
    private readonly clock: Clock,
  ) {}

  /** The record of `email`, or an empty one (version 0) when none is stored. */
  async load(email: string): Promise<StaffRecord> {
    return (await this.store.readStaff(staffKeyOf(email))) ?? emptyStaffRecord(email);
  }

  /** The record whose key a feed's token names, or undefined. */
  byKey(staffKey: string): Promise<StaffRecord | undefined> {
    return this.store.readStaff(staffKey);
  }

  /** Re-reads and re-decides after a lost race (at most `maxAttempts` times); returns the record as stored. */
  async update(email: string, decide: DecideStaff, maxAttempts = 10): Promise<StaffRecord> {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const current = await this.load(email);
      const at = this.clock.now().toISOString();
      const next = decide(structuredClone(current), at);
      if (next === undefined) return current;
      const written = { ...next, version: current.version + 1, updatedAt: at };
      try {
        await this.store.writeStaff(written);
        return written;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt === maxAttempts) throw error;
      }
    }
    throw new ConflictError(`staff record of ${email}: still contended after ${maxAttempts} attempts`);
  }
}
