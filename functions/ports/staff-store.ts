// The staff records port: one record per member of staff (core/staff-record.ts), written whole with an
// optimistic lock on its version. Implemented on the vendors' table (functions/adapters/dynamodb/staff-store.ts)
// and in memory (functions/adapters/memory/staff-store.ts); test/support/staff-store-conformance.ts holds both
// to the same behaviour.
import type { StaffRecord } from '../core/staff-record.js';

export interface StaffStore {
  /** The record under `staffKey` (core/staff-record.ts staffKeyOf), or undefined. */
  readStaff(staffKey: string): Promise<StaffRecord | undefined>;
  /**
   * Stores `record` if the stored one is at `record.version - 1` (none at all for version 1); otherwise
   * ConflictError and nothing is written.
   */
  writeStaff(record: StaffRecord): Promise<void>;
}
