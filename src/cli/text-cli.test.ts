import { execFile } from 'node:child_process';
import { cliCommand } from '../../test/cli-bundle.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { scoreCsv, TextCliError } from './text-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'parallax-text-'));
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
async function score(path: string, column = 'comment', baseline = false) {
  let out = '';
  await scoreCsv(path, { column, baseline }, (c) => void (out += c));
  return parse(out, { columns: true }) as Record<string, string>[];
}

describe('scoreCsv (parallax text score)', () => {
  it('scores, tags and redacts each row; blank text gives blank cells; spreadsheet-safe', async () => {
    const p = file(
      'a.csv',
      'id,comment\n' +
        '1,"Brilliant engineer, thank you! Call me on 07700 900123"\n' +
        '2,""\n' +
        '3,"=HYPERLINK(""x"") awful billing, charged twice and nobody called back"\n',
    );
    const rows = await score(p, 'comment', true);
    expect(rows.map((r) => r.row)).toEqual(['2', '3', '4']);
    expect(rows[0]).toMatchObject({ label: 'positive', pii: 'phone', redacted_text: 'Brilliant engineer, thank you! Call me on [phone]', lexicon_label: 'positive' });
    expect(rows[0]!.touchpoints.split(';')).toEqual(expect.arrayContaining(['welcome', 'contact_centre']));
    expect(Number(rows[0]!.score)).toBeCloseTo(Number(rows[0]!.p_positive) - Number(rows[0]!.p_negative), 3);
    expect(rows[1]).toMatchObject({ label: '', score: '', redacted_text: '' });
    expect(rows[2]).toMatchObject({ label: 'negative' });
    expect(rows[2]!.touchpoints.split(';')).toContain('billing');
    expect(rows[2]!.redacted_text.startsWith("'=HYPERLINK")).toBe(true);
  });

  it('names the missing column, the row of an over-long text, and a malformed line', async () => {
    await expect(score(file('b.csv', 'id,text\n1,hi\n'))).rejects.toThrow('column "comment" not found; the header has: id, text');
    await expect(score(file('c.csv', `comment\nok\n${'x'.repeat(100_001)}\n`))).rejects.toThrow('row 3, column comment: text longer than 100000 characters');
    await expect(score(file('d.csv', 'comment\n"ok\n'))).rejects.toThrow(/^row 2/);
    await expect(score(file('e.csv', 'comment\n'))).rejects.toThrow(/no data rows/);
    await expect(score(join(dir, 'missing.csv'))).rejects.toThrow(TextCliError);
  });

  it('runs as `parallax text score` and exits 1 with a one-line message on bad input', async () => {
    const run = promisify(execFile);
    const ok = await run(process.execPath, [...cliCommand(), 'text', 'score', file('f.csv', 'comment\nTerrible service\n'), '--column', 'comment']);
    expect(ok.stdout.split('\n')[0]).toBe('row,label,score,p_negative,p_neutral,p_positive,dimensions,touchpoints,pii,redacted_text');
    expect(ok.stdout.split('\n')[1]).toMatch(/^2,negative,/);
    const bad = await run(process.execPath, [...cliCommand(), 'text', 'score', file('g.csv', 'a\n1\n'), '--column', 'comment']).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim()).toBe('parallax: column "comment" not found; the header has: a');
  });
});
