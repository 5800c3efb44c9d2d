// Roles, access levels, the owner's touchpoint narrowing and the account rules.
import { describe, it, expect } from 'vitest';
import { narrowTouchpoints, ownedTouchpoints, passwordProblem, roleAllows, ROLES, Email } from './access.ts';

describe('roles', () => {
  it('let every role read, admin and analyst set up, only admin administer', () => {
    const table = Object.fromEntries(ROLES.map((r) => [r, (['read', 'setup', 'admin'] as const).filter((l) => roleAllows(r, l))]));
    expect(table).toEqual({ admin: ['read', 'setup', 'admin'], analyst: ['read', 'setup'], owner: ['read'], viewer: ['read'] });
  });
});

describe('owner touchpoints', () => {
  const tps = [
    { key: 'help_centre', department: 'Support' },
    { key: 'contact_centre', department: ' support ' },
    { key: 'app', department: 'Product' },
  ];
  it('are those their department owns, compared without case or spaces', () => {
    expect(ownedTouchpoints(tps, 'Support')).toEqual(['help_centre', 'contact_centre']);
    expect(ownedTouchpoints(tps, 'Legal')).toEqual([]);
    expect(ownedTouchpoints(tps, null)).toEqual([]);
    expect(ownedTouchpoints(tps, '  ')).toEqual([]);
  });
  it('narrow a requested filter and never widen it', () => {
    expect(narrowTouchpoints(undefined, null)).toBeUndefined();
    expect(narrowTouchpoints(['app'], null)).toEqual(['app']);
    expect(narrowTouchpoints(undefined, ['help_centre'])).toEqual(['help_centre']);
    expect(narrowTouchpoints(['app', 'help_centre'], ['help_centre'])).toEqual(['help_centre']);
    expect(narrowTouchpoints(['app'], ['help_centre'])).toEqual([]);
    expect(narrowTouchpoints(undefined, [])).toEqual([]);
  });
});

describe('account rules', () => {
  it('need passwords of 10 to 256 characters', () => {
    expect(passwordProblem('123456789')).toBe('must be at least 10 characters');
    expect(passwordProblem('1234567890')).toBeNull();
    expect(passwordProblem('x'.repeat(257))).toBe('must be at most 256 characters');
  });
  it('lower-case and check e-mail addresses', () => {
    expect(Email.parse('  Ann@Example.ORG ')).toBe('ann@example.org');
    expect(Email.safeParse('ann@').success).toBe(false);
  });
});
