// The dashboard's copy of who may do what agrees with the server's (src/core/access.ts).
import { describe, it, expect } from 'vitest';
import { roleAllows as serverAllows, ROLES } from '../../core/access.ts';
import { roleAllows } from './roles.ts';

describe('web roles', () => {
  it('allows each role exactly what the server allows', () => {
    for (const role of ROLES) for (const level of ['read', 'setup', 'admin'] as const) expect(roleAllows(role, level), `${role} ${level}`).toBe(serverAllows(role, level));
  });
});
