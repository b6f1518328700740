// The local stack's staff (who the embedded OpenID provider signs in, with their groups) and the group-to-role
// mapping the sign-in applies, as a deployment's settings do for the bank's identity provider.
import { readFileSync } from 'node:fs';
import { parseRoleMapping, type RoleMapping } from '../../functions/core/staff-sign-in.js';

export interface LocalStaff {
  email: string;
  name: string;
  groups: string[];
}

export interface LocalStaffConfig {
  staff: LocalStaff[];
  roleMapping: RoleMapping;
}

export const STAFF_FILE = new URL('./staff.json', import.meta.url);

export function loadStaff(file: URL | string = STAFF_FILE): LocalStaffConfig {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { staff?: unknown; roleMapping?: unknown };
  if (!Array.isArray(parsed.staff)) throw new Error(`${String(file)}: expected {"staff": [...]}`);
  const staff = parsed.staff.map((s, i) => {
    const m = s as Partial<LocalStaff>;
    if (typeof m.email !== 'string' || typeof m.name !== 'string')
      throw new Error(`${String(file)}: staff[${i}] needs an email and a name`);
    const groups = Array.isArray(m.groups) ? m.groups.filter((g): g is string => typeof g === 'string') : [];
    return { email: m.email.toLowerCase(), name: m.name, groups };
  });
  let roleMapping: RoleMapping;
  try {
    roleMapping = parseRoleMapping(parsed.roleMapping);
  } catch (error) {
    throw new Error(`${String(file)}: roleMapping: ${(error as Error).message}`, { cause: error });
  }
  return { staff, roleMapping };
}
