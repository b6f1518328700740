// The local stack's configuration: who may sign in as bank staff (on AWS the identity provider decides).
import { readFileSync } from 'node:fs';

export interface StaffMember {
  email: string;
  name: string;
  role: string;
}

export const STAFF_FILE = new URL('./staff.json', import.meta.url);

export function loadStaff(file: URL | string = STAFF_FILE): StaffMember[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { staff?: unknown };
  if (!Array.isArray(parsed.staff)) throw new Error(`${String(file)}: expected {"staff": [...]}`);
  return parsed.staff.map((s, i) => {
    const m = s as Partial<StaffMember>;
    if (typeof m.email !== 'string' || typeof m.name !== 'string')
      throw new Error(`${String(file)}: staff[${i}] needs an email and a name`);
    return { email: m.email, name: m.name, role: typeof m.role === 'string' ? m.role : 'staff' };
  });
}
