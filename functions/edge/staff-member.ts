// Who a signed-in person is, with their roles (spec section 7). The sign-in will supply the roles from the
// identity provider's groups (core/roles.ts `rolesOf`); until it does, this one function derives them from the
// portfolio, so that the commands already take a StaffMember and replacing it is the only change: the compliance
// lead of any vendor is a compliance lead, the manager of any vendor a vendor manager (both, or neither).
import type { Vendors } from '../app/vendors.js';
import { STAFF_ROLES, type StaffMember, type StaffRole } from '../core/roles.js';
import { staffIdentity, type HttpEvent } from './http.js';

export async function staffMemberOf(
  event: HttpEvent,
  vendors: Pick<Vendors, 'portfolioStanding'>,
): Promise<StaffMember> {
  const identity = staffIdentity(event);
  const email = identity.id.trim().toLowerCase();
  const standing = await vendors.portfolioStanding(email);
  const roles = new Set<StaffRole>();
  if (standing.leads) roles.add('compliance-lead');
  if (standing.manages) roles.add('vendor-manager');
  return { email, name: identity.name, roles: STAFF_ROLES.filter((r) => roles.has(r)) };
}
