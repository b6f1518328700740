// The StaffStore port in this process (`simulate`, unit tests): the same optimistic lock as the DynamoDB adapter.
import { ConflictError } from '../../core/errors.js';
import type { StaffRecord } from '../../core/staff-record.js';
import type { StaffStore } from '../../ports/staff-store.js';

export class MemoryStaffStore implements StaffStore {
  private readonly records = new Map<string, string>();

  async readStaff(staffKey: string): Promise<StaffRecord | undefined> {
    const json = this.records.get(staffKey);
    return json === undefined ? undefined : (JSON.parse(json) as StaffRecord);
  }

  async writeStaff(record: StaffRecord): Promise<void> {
    const stored = this.records.get(record.staffKey);
    const version = stored === undefined ? 0 : (JSON.parse(stored) as StaffRecord).version;
    if (record.version !== version + 1)
      throw new ConflictError(
        `staff record at version ${version}, not ${record.version - 1}: someone else changed it first`,
      );
    this.records.set(record.staffKey, JSON.stringify(record));
  }
}

const shared = new Map<string, MemoryStaffStore>();

/** The process-wide store behind a table name (every handler of one process sees the same records). */
export function memoryStaffStore(tableName: string): MemoryStaffStore {
  let store = shared.get(tableName);
  if (!store) shared.set(tableName, (store = new MemoryStaffStore()));
  return store;
}
