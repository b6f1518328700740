// The StaffStore contract, run against every adapter (memory in the unit suite, DynamoDB in the integration
// suite): a record is written whole, only over the version before it.
import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../functions/core/errors.js';
import { emptyStaffRecord, withCalendarFeed } from '../../functions/core/staff-record.js';
import type { StaffStore } from '../../functions/ports/staff-store.js';

const SECRET = 'A'.repeat(43);

export function staffStoreConformance(name: string, open: () => Promise<StaffStore>): void {
  describe(`StaffStore conformance: ${name}`, () => {
    it('stores version 1 only when nothing is stored, and each next version only over the one before', async () => {
      const store = await open();
      const empty = emptyStaffRecord('Lead@Bank.example');
      expect(await store.readStaff(empty.staffKey)).toBeUndefined();
      const v1 = { ...withCalendarFeed(empty, SECRET, '2026-11-26T10:00:00.000Z'), version: 1 };
      await store.writeStaff(v1);
      expect(await store.readStaff(empty.staffKey)).toEqual(v1);
      await expect(store.writeStaff(v1)).rejects.toBeInstanceOf(ConflictError);
      const v2 = { ...v1, version: 2, calendar: null };
      await store.writeStaff(v2);
      await expect(store.writeStaff({ ...v1, version: 2 })).rejects.toBeInstanceOf(ConflictError);
      await expect(store.writeStaff({ ...v1, version: 4 })).rejects.toBeInstanceOf(ConflictError);
      expect(await store.readStaff(empty.staffKey)).toEqual(v2);
      expect(await store.readStaff(emptyStaffRecord('other@bank.example').staffKey)).toBeUndefined();
    });

    it('lets exactly one of two racing writers of the same version win', async () => {
      const store = await open();
      const base = { ...emptyStaffRecord('race@bank.example'), version: 1 };
      await store.writeStaff(base);
      const results = await Promise.allSettled([
        store.writeStaff({ ...base, version: 2, updatedAt: 'a' }),
        store.writeStaff({ ...base, version: 2, updatedAt: 'b' }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')?.reason).toBeInstanceOf(ConflictError);
    });
  });
}
