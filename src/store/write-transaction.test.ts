// writeTransaction on both engines: commits, rolls back, takes SQLite's write lock at BEGIN; and no
// write path opens a plain (deferred) transaction — the class of hole 8 (import "database is locked").
import { it, expect } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import SQLite from 'better-sqlite3';
import { describeEngines } from '../../test/engines.ts';
import { makeOrg } from '../../test/fixtures.ts';
import { writeTransaction, isSqliteBusy } from './write-transaction.ts';
import { getOrganisation } from './organisations.ts';

const SRC = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'web' ? [] : sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

it('no source file opens a transaction except through writeTransaction', () => {
  const offenders = sourceFiles(SRC)
    .filter((p) => !p.endsWith('write-transaction.ts') && !p.includes(`${join('store', 'migrations')}`))
    .filter((p) => /\.(transaction|startTransaction)\(\)/.test(readFileSync(p, 'utf8')))
    .map((p) => relative(SRC, p));
  expect(offenders, 'use writeTransaction(db, fn) from src/store/write-transaction.ts').toEqual([]);
});

describeEngines('writeTransaction', (ctx, engine) => {
  it('commits what the callback wrote and returns its value', async () => {
    const f = await makeOrg(ctx());
    const out = await writeTransaction(ctx().db, async (tx) => {
      await tx.updateTable('organisations').set({ name: 'Renamed' }).where('id', '=', f.org.id).execute();
      return 42;
    });
    expect(out).toBe(42);
    expect((await getOrganisation(ctx().db, f.org.id))!.name).toBe('Renamed');
  });

  it('rolls everything back when the callback throws, and the store stays usable', async () => {
    const f = await makeOrg(ctx());
    await expect(
      writeTransaction(ctx().db, async (tx) => {
        await tx.updateTable('organisations').set({ name: 'Half-done' }).where('id', '=', f.org.id).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await getOrganisation(ctx().db, f.org.id))!.name).toBe(f.org.name);
    await writeTransaction(ctx().db, async (tx) => tx.updateTable('organisations').set({ name: 'After' }).where('id', '=', f.org.id).execute());
    expect((await getOrganisation(ctx().db, f.org.id))!.name).toBe('After');
  });

  if (engine === 'sqlite')
    it('holds the write lock from BEGIN: another connection cannot write meanwhile', async () => {
      const f = await makeOrg(ctx());
      const other = new SQLite(ctx().location);
      other.pragma('busy_timeout = 0');
      try {
        let seenByOther: unknown;
        await writeTransaction(ctx().db, async (tx) => {
          // Only a read so far: a deferred BEGIN would not hold the lock yet; IMMEDIATE does.
          await tx.selectFrom('organisations').select('id').where('id', '=', f.org.id).execute();
          try {
            other.prepare('UPDATE organisations SET name = ? WHERE id = ?').run('Other', f.org.id);
          } catch (e) {
            seenByOther = e;
          }
        });
        expect(isSqliteBusy(seenByOther)).toBe(true);
        // Once committed, the other connection writes normally.
        other.prepare('UPDATE organisations SET name = ? WHERE id = ?').run('Other', f.org.id);
        expect((await getOrganisation(ctx().db, f.org.id))!.name).toBe('Other');
      } finally {
        other.close();
      }
    });
});
