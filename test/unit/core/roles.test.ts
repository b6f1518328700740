import { describe, expect, it } from 'vitest';
import { may, refusal, rolesOf, type StaffMember } from '../../../functions/core/roles.js';

const priya: StaffMember = { email: 'priya.raman@bank.example', name: 'Priya', roles: ['vendor-manager'] };
const tara: StaffMember = { email: 'tara.lind@bank.example', name: 'Tara', roles: ['compliance-lead'] };
const leadManager: StaffMember = {
  email: 'sam.okafor@bank.example',
  name: 'Sam',
  roles: ['vendor-manager', 'compliance-lead'],
};
const ada: StaffMember = { email: 'ada.auditor@audit.example', name: 'Ada', roles: ['auditor'] };
const nobody: StaffMember = { email: 'x@bank.example', name: 'X', roles: [] };
const priyasVendor = { managerEmail: 'Priya.Raman@bank.example' };
const samsVendor = { managerEmail: 'sam.okafor@bank.example' };

describe('staff roles (spec section 7)', () => {
  it('a vendor manager reviews and acknowledges only for the vendors they manage', () => {
    expect(may(priya, 'review-document', priyasVendor)).toBe(true);
    expect(may(priya, 'acknowledge-finding', priyasVendor)).toBe(true);
    expect(may(priya, 'record-cuec', priyasVendor)).toBe(true);
    expect(may(priya, 'review-document', samsVendor)).toBe(false);
    expect(refusal(priya, 'review-document', samsVendor)?.needs).toBe(
      'compliance-lead, or vendor-manager of this vendor',
    );
    expect(may(priya, 'assign-finding', priyasVendor)).toBe(false);
    expect(may(priya, 'accept-risk', priyasVendor)).toBe(false);
    expect(may(priya, 'edit-vendor')).toBe(false);
  });

  it('a compliance lead may do everything, but never accepts a risk on a vendor they manage', () => {
    for (const action of ['review-document', 'acknowledge-finding', 'assign-finding', 'edit-vendor'] as const)
      expect(may(tara, action, priyasVendor), action).toBe(true);
    expect(may(tara, 'accept-risk', priyasVendor)).toBe(true);
    expect(may(leadManager, 'accept-risk', priyasVendor)).toBe(true);
    const refused = refusal(leadManager, 'accept-risk', samsVendor);
    expect(refused?.needs).toBe('compliance-lead who does not manage this vendor');
    expect(refused?.name).toBe('RoleRefusedError');
  });

  it('an auditor reads and exports, and changes nothing', () => {
    expect(may(ada, 'read')).toBe(true);
    expect(may(ada, 'export')).toBe(true);
    for (const action of [
      'review-document',
      'record-upload',
      'acknowledge-finding',
      'record-cuec',
      'assign-finding',
      'accept-risk',
      'edit-vendor',
    ] as const)
      expect(may(ada, action, priyasVendor), action).toBe(false);
  });

  it('a person without a role may not even read', () => {
    expect(may(nobody, 'read')).toBe(false);
    expect(refusal(nobody, 'read')?.message).toBe('Your account has no Bridgekeeper role.');
  });

  it('groups map to roles through the deployment’s mapping; unknown groups are ignored', () => {
    const mapping = { 'tprm-managers': 'vendor-manager', 'tprm-leads': 'compliance-lead', audit: 'auditor' };
    expect(rolesOf(['audit', 'tprm-leads', 'everyone'], mapping)).toEqual(['compliance-lead', 'auditor']);
    expect(rolesOf([], mapping)).toEqual([]);
    expect(() => rolesOf(['x'], { x: 'admin' })).toThrow('unknown role "admin" for group "x"');
  });
});
