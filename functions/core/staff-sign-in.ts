// Staff sign-in, the rules the handlers share: how long a session and a sign-in attempt live, who a person is
// from their identity provider's ID token (e-mail, name, groups mapped to roles by the deployment's settings),
// and where a person may be sent back to after signing in (a path on this site only).
import { rolesOf, STAFF_ROLES, type StaffMember, type StaffRole } from './roles.js';

/** A session lasts one working day at most: then the person signs in again (docs/people.md "Sessions"). */
export const SESSION_HOURS = 8;

/** Between leaving for the identity provider and coming back: enough to type a password and a second factor. */
export const SIGN_IN_MINUTES = 10;

/** Group name (as the identity provider sends it) -> role. */
export type RoleMapping = Readonly<Record<string, StaffRole>>;

/**
 * Reads the deployment's group-to-role mapping (a JSON object, e.g. `{"tprm-leads": "compliance-lead"}`); throws
 * an Error naming every problem, so a bad setting stops the deployment or the function, not a sign-in.
 */
export function parseRoleMapping(value: unknown): RoleMapping {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error('the group-to-role mapping is not JSON');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('the group-to-role mapping must be an object {"group": "role"}');
  const problems: string[] = [];
  const mapping: Record<string, StaffRole> = {};
  for (const [group, role] of Object.entries(parsed)) {
    if (group.trim() === '') problems.push('a group name is empty');
    else if (typeof role !== 'string' || !(STAFF_ROLES as readonly string[]).includes(role))
      problems.push(`group "${group}" maps to ${JSON.stringify(role)}, not one of ${STAFF_ROLES.join(', ')}`);
    else mapping[group] = role as StaffRole;
  }
  if (Object.keys(parsed).length === 0) problems.push('it maps no group: nobody could sign in');
  if (problems.length) throw new Error(`the group-to-role mapping: ${problems.join('; ')}`);
  return mapping;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** The groups in a claim: a list of names (Entra ID, Okta, Cognito), or one name. Anything else is no group. */
function groupsIn(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string' && g !== '');
  return [];
}

/**
 * The person an ID token names, or undefined when it names nobody Bridgekeeper can use (no e-mail address: the
 * e-mail is how vendors name their manager). Roles follow from the groups claim and the mapping; none is possible
 * (such a person is refused, with a 403 that names the roles).
 */
export function staffMemberOf(
  claims: Readonly<Record<string, unknown>>,
  settings: { groupsClaim: string; roleMapping: RoleMapping },
): StaffMember | undefined {
  const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : '';
  if (!EMAIL.test(email)) return undefined;
  const name = typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim() : email;
  return {
    email,
    name: name.slice(0, 200),
    roles: rolesOf(groupsIn(claims[settings.groupsClaim]), settings.roleMapping),
  };
}

/** Where to return after sign-in: a path on this site, or the portfolio. Never another site, never a loop. */
export function safeNextPath(value: string | null | undefined): string {
  if (!value || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\s]/.test(value)) return '/';
  if ([...value].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/';
  if (/^\/(signin|callback|signout)(\/|\?|$)/.test(value)) return '/';
  return value;
}

/** A stored member read back: only known roles survive (a stored value is never trusted blindly). */
export function storedMember(value: unknown): StaffMember | undefined {
  const m = value as Partial<StaffMember> | null;
  if (!m || typeof m.email !== 'string' || typeof m.name !== 'string' || !Array.isArray(m.roles))
    return undefined;
  return {
    email: m.email,
    name: m.name,
    roles: STAFF_ROLES.filter((r) => (m.roles as unknown[]).includes(r)),
  };
}
