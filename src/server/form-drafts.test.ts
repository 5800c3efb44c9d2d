// The refused-form drafts behind the survey page's Post/Redirect/Get: unguessable ids, bound to their
// survey, expiring, bounded in number and bytes (oldest first) and dropped when their form is sent.
import { it, expect, describe } from 'vitest';
import { FormDrafts } from './form-drafts.ts';

describe('form drafts', () => {
  it('keeps a draft for its survey only, until it expires', () => {
    let t = 0;
    const d = new FormDrafts<string>(10, 1000, 1e6, () => t);
    const id = d.put('s1', 'tok', 'answers', 7);
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(d.get('s1', id)).toBe('answers');
    expect(d.get('s2', id)).toBeUndefined();
    expect(d.get('s1', 'nope')).toBeUndefined();
    expect(d.get('s1', ['x'])).toBeUndefined();
    t = 999;
    expect(d.get('s1', id)).toBe('answers');
    t = 1000;
    expect(d.get('s1', id)).toBeUndefined();
    expect(d.size).toBe(0);
  });

  it('holds one draft per form, at most `max` in all, and forgets a sent form', () => {
    const d = new FormDrafts<number>(3, 60_000, 1e6, () => 0);
    const first = d.put('s', 'a', 1, 1);
    const again = d.put('s', 'a', 2, 1); // the same form refused twice: the second replaces the first
    expect(d.get('s', first)).toBeUndefined();
    expect(d.get('s', again)).toBe(2);
    const b = d.put('s', 'b', 3, 1);
    d.put('s', 'c', 4, 1);
    d.put('s', 'd', 5, 1); // over the bound: the oldest goes
    expect(d.size).toBe(3);
    expect(d.get('s', again)).toBeUndefined();
    expect(d.get('s', b)).toBe(3);
    d.forget('b');
    expect(d.get('s', b)).toBeUndefined();
    expect(d.size).toBe(2);
  });

  it('holds at most `maxBytes` of drafts, dropping the oldest', () => {
    const d = new FormDrafts<number>(100, 60_000, 100, () => 0);
    const a = d.put('s', 'a', 1, 40);
    const b = d.put('s', 'b', 2, 40);
    const c = d.put('s', 'c', 3, 40); // 120 > 100: the oldest goes
    expect([d.get('s', a), d.get('s', b), d.get('s', c)]).toEqual([undefined, 2, 3]);
    d.forget('b');
    d.put('s', 'd', 4, 60); // 40 + 60 fits
    expect(d.size).toBe(2);
  });

  it('sweeps expired drafts when a new one is put', () => {
    let t = 0;
    const d = new FormDrafts<number>(100, 10, 1e6, () => t);
    for (let i = 0; i < 5; i++) d.put('s', `t${i}`, i, 1);
    t = 20;
    d.put('s', 'new', 9, 1);
    expect(d.size).toBe(1);
  });
});
