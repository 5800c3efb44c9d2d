// Hole 8: `parallax import` on SQLite stopped with "SqliteError: database is locked", a stack trace and
// exit 2 while the server took submissions. Its transaction began DEFERRED: it read (idempotency keys)
// under a snapshot, a submission committed, and the upgrade to a writer then failed at once. Replayed
// here with a real server on a loopback port, two clients posting while the import runs as a
// subprocess: both must succeed, and every response must be stored exactly once.
import { it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { describeEngines } from '../engines.ts';
import { cli } from '../cli.ts';
import { makeOrg, type OrgFixture } from '../fixtures.ts';
import { listen } from './public-server.ts';
import { countResponses } from '../../src/store/responses.ts';

const ROWS = 4000;

function csv(): string {
  const lines = ['perspective,respondent_id,submitted_at,touchpoint,nps,excellent,comment'];
  for (let i = 0; i < ROWS; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(`customer,imp-${i},2025-03-${day}T10:00:00Z,,${i % 11},${1 + (i % 5)},imported ${i}`);
  }
  return lines.join('\n') + '\n';
}

describeEngines('attack: import while the server takes submissions', (ctx) => {
  let app: FastifyInstance;
  let base: string;
  let f: OrgFixture;
  beforeAll(async () => {
    f = await makeOrg(ctx());
    // Both clients come from 127.0.0.1: the per-address limit (a different hole) is off for this scenario.
    ({ app, base } = await listen(ctx(), { rateLimits: { surveyPerAddressPerMinute: 0 } }));
  });
  const dir = mkdtempSync(join(tmpdir(), 'parallax-import-lock-'));
  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the import and concurrent submissions both succeed, each response stored once', async () => {
    const file = join(dir, `import-${Date.now()}.csv`);
    writeFileSync(file, csv());
    let importDone = false;
    const importing = cli(ctx().location, ['import', file, '--org', f.org.id]).finally(() => (importDone = true));
    const statuses: number[] = [];
    // Two clients, each posting one response after another for as long as the import runs (and at least
    // a few times, so submissions surround the import's transaction).
    const client = async (name: string) => {
      for (let i = 0; (!importDone || i < 5) && i < 200; i++) {
        const r = await fetch(`${base}/api/v1/surveys/${f.customerSurvey}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `${name}-${i}` },
          body: JSON.stringify({ answers: { excellent: 1 + (i % 5), nps: i % 11 } }),
        });
        statuses.push(r.status);
        await r.arrayBuffer();
      }
    };
    const [result] = await Promise.all([importing, client('a'), client('b')]);
    // It waited for the lock (BEGIN IMMEDIATE + busy timeout): no failed attempt, no retry, no trace.
    expect(result.stderr).not.toMatch(/busy|locked|SqliteError|\n\s+at /);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Imported ${ROWS} responses`);
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
    expect(await countResponses(ctx().db, f.org.id)).toEqual({ customer: ROWS + statuses.length, leader: 0 });
  });
});
