import { describe, expect, it } from 'vitest';
import {
  parseRoleMapping,
  safeNextPath,
  staffMemberOf,
  storedMember,
} from '../../../functions/core/staff-sign-in.js';
import { linkWindow, secondsLeft } from '../../../functions/core/link-limits.js';

const mapping = parseRoleMapping({
  'tprm-leads': 'compliance-lead',
  'vendor-managers': 'vendor-manager',
  audit: 'auditor',
});
const settings = { groupsClaim: 'groups', roleMapping: mapping };

describe('who an ID token names', () => {
  it('takes the e-mail (lower case), the name and the roles its groups map to', () => {
    expect(
      staffMemberOf(
        {
          email: ' Priya.Raman@Bank.Example ',
          name: 'Priya Raman',
          groups: ['vendor-managers', 'all-staff'],
        },
        settings,
      ),
    ).toEqual({ email: 'priya.raman@bank.example', name: 'Priya Raman', roles: ['vendor-manager'] });
  });

  it('reads the groups from the configured claim, as a list or a single name', () => {
    const cognito = { groupsClaim: 'cognito:groups', roleMapping: mapping };
    expect(staffMemberOf({ email: 'a@b.example', 'cognito:groups': 'audit' }, cognito)?.roles).toEqual([
      'auditor',
    ]);
    expect(staffMemberOf({ email: 'a@b.example', groups: ['audit'] }, cognito)?.roles).toEqual([]);
    expect(staffMemberOf({ email: 'a@b.example', groups: { audit: true } }, settings)?.roles).toEqual([]);
  });

  it('gives a person with no mapped group no role, and the e-mail as the name', () => {
    expect(staffMemberOf({ email: 'visitor@bank.example', groups: ['all-staff'] }, settings)).toEqual({
      email: 'visitor@bank.example',
      name: 'visitor@bank.example',
      roles: [],
    });
  });

  it('names nobody without a usable e-mail address', () => {
    expect(staffMemberOf({ sub: '123', groups: ['tprm-leads'] }, settings)).toBeUndefined();
    expect(staffMemberOf({ email: 'not an address', groups: ['tprm-leads'] }, settings)).toBeUndefined();
    expect(staffMemberOf({ email: 42 }, settings)).toBeUndefined();
  });
});

describe('the group-to-role mapping setting', () => {
  it('accepts an object or its JSON text', () => {
    expect(parseRoleMapping('{"g": "auditor"}')).toEqual({ g: 'auditor' });
  });

  it('names every problem: an unknown role, an empty group, no group at all, not JSON', () => {
    expect(() => parseRoleMapping({ admins: 'superuser', '': 'auditor' })).toThrow(
      /group "admins" maps to "superuser", not one of vendor-manager, compliance-lead, auditor; a group name is empty/,
    );
    expect(() => parseRoleMapping({})).toThrow(/maps no group/);
    expect(() => parseRoleMapping('{')).toThrow(/not JSON/);
    expect(() => parseRoleMapping(['auditor'])).toThrow(/must be an object/);
  });
});

describe('where sign-in returns to', () => {
  it('keeps a path on this site', () => {
    expect(safeNextPath('/review/acme/up-1?x=1')).toBe('/review/acme/up-1?x=1');
  });

  it('sends anything else to the portfolio: other sites, schemes, backslashes, control characters, loops', () => {
    for (const bad of [
      undefined,
      '',
      'https://evil.example/',
      '//evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      '/a\nb',
      '/a\u0001b',
      '/signin?next=/x',
      '/callback?code=1',
      '/signout',
      `/${'a'.repeat(2001)}`,
    ])
      expect(safeNextPath(bad), String(bad)).toBe('/');
    expect(safeNextPath('/signing-policy')).toBe('/signing-policy');
  });
});

describe('a stored member', () => {
  it('keeps only known roles', () => {
    expect(storedMember({ email: 'a@b', name: 'A', roles: ['auditor', 'root'] })).toEqual({
      email: 'a@b',
      name: 'A',
      roles: ['auditor'],
    });
    expect(storedMember({ email: 'a@b' })).toBeUndefined();
    expect(storedMember(null)).toBeUndefined();
  });
});

describe('per-link windows', () => {
  it('align every link to the same windows and say how long is left', () => {
    const now = new Date('2026-11-26T10:03:20Z');
    const window = linkWindow(now, 300);
    expect(window.start).toBe('2026-11-26T10:00:00.000Z');
    expect(window.endsAt.toISOString()).toBe('2026-11-26T10:05:00.000Z');
    expect(secondsLeft(window, now)).toBe(100);
    expect(secondsLeft(window, window.endsAt)).toBe(1);
  });
});
