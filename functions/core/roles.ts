// Who may do what (staff roles and segregation of duties): one pure rule for every page, handler and command.
// The identity provider says who a person is and which groups they are in; the deployment maps groups to these
// roles; this module decides. A refusal names the role the action needs, so the 403 page can say it.
import { DomainError } from './errors.js';

export const STAFF_ROLES = ['vendor-manager', 'compliance-lead', 'auditor'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** A signed-in person: `email` is their identity (lower case), `roles` what their groups map to (maybe none). */
export interface StaffMember {
  email: string;
  name: string;
  roles: readonly StaffRole[];
}

/** Everything a person can do on the staff side. Reading is open to every role; the rest is below. */
export type StaffAction =
  | 'read'
  | 'export'
  | 'review-document'
  | 'record-upload'
  | 'acknowledge-finding'
  | 'record-cuec'
  | 'assign-finding'
  | 'accept-risk'
  | 'edit-vendor';

/** The vendor an action is on, as far as the rule cares: whose vendor it is. */
export interface VendorOwnership {
  managerEmail: string;
}

/** Refused by the role rules. `needs` is the role that would allow it (for the 403 page and the log). */
export class RoleRefusedError extends DomainError {
  override readonly name = 'RoleRefusedError';
  readonly code = 'role-refused';
  constructor(
    readonly action: StaffAction,
    readonly needs: string,
    message: string,
  ) {
    super(message);
  }
}

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Why `member` may not do `action` on `vendor`, or undefined when they may. */
export function refusal(
  member: StaffMember,
  action: StaffAction,
  vendor?: VendorOwnership,
): RoleRefusedError | undefined {
  const has = (role: StaffRole) => member.roles.includes(role);
  const lead = has('compliance-lead');
  const managesIt = vendor !== undefined && same(vendor.managerEmail, member.email);
  const refuse = (needs: string, message: string) => new RoleRefusedError(action, needs, message);
  if (member.roles.length === 0)
    return refuse('vendor-manager, compliance-lead or auditor', 'Your account has no Bridgekeeper role.');
  switch (action) {
    case 'read':
    case 'export':
      return undefined;
    case 'review-document':
    case 'record-upload':
    case 'acknowledge-finding':
    case 'record-cuec':
      if (lead || (has('vendor-manager') && managesIt)) return undefined;
      return refuse(
        'compliance-lead, or vendor-manager of this vendor',
        has('vendor-manager')
          ? 'Only the vendor’s own manager or a compliance lead may do this.'
          : 'This needs the vendor-manager or compliance-lead role.',
      );
    case 'assign-finding':
    case 'edit-vendor':
      return lead ? undefined : refuse('compliance-lead', 'This needs the compliance-lead role.');
    case 'accept-risk':
      if (!lead) return refuse('compliance-lead', 'Accepting a risk needs the compliance-lead role.');
      // Segregation of duties: whoever manages the vendor does not accept its risks, whatever else they are.
      if (managesIt)
        return refuse(
          'compliance-lead who does not manage this vendor',
          'You manage this vendor, so another compliance lead must accept this risk.',
        );
      return undefined;
  }
}

/** Throws the refusal, if any: the commands call this before deciding anything. */
export function authorize(member: StaffMember, action: StaffAction, vendor?: VendorOwnership): void {
  const refused = refusal(member, action, vendor);
  if (refused) throw refused;
}

/** May `member` do `action` on `vendor`? (The pages show only the actions this allows.) */
export function may(member: StaffMember, action: StaffAction, vendor?: VendorOwnership): boolean {
  return refusal(member, action, vendor) === undefined;
}

/**
 * The roles a person's groups map to, with `mapping` from the deployment's settings (group name → role). Groups
 * that map to nothing are ignored; an unknown role in the mapping is a configuration error, caught at start-up.
 */
export function rolesOf(groups: readonly string[], mapping: Readonly<Record<string, string>>): StaffRole[] {
  const roles = new Set<StaffRole>();
  for (const group of groups) {
    const role = mapping[group];
    if (role === undefined) continue;
    if (!(STAFF_ROLES as readonly string[]).includes(role))
      throw new RangeError(`the group mapping names an unknown role "${role}" for group "${group}"`);
    roles.add(role as StaffRole);
  }
  return STAFF_ROLES.filter((r) => roles.has(r));
}
