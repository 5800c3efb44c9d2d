// The SPSS system file format (.sav), decoded synchronously from bytes: the dictionary (variables, labels,
// missing values, value labels, long names, very long strings, encoding) and the cases, uncompressed or
// bytecode-compressed. Written from PSPP's "System File Format" documentation because the npm reader
// (sav-reader 2.0.8) awaits every 8-byte element — about 50 ms a row for Qualtrics' 2000-wide strings, so
// minutes for an ordinary export — and drops Qualtrics' long variable names. ZLIB ($FL3) is refused.
export type Missing = { values: number[]; range?: [number, number] } | { strings: string[] } | null;

export interface SavVariable {
  /** The long name when the file has one, else the short name. */
  name: string;
  label: string;
  /** 0: numeric; else the string width in bytes. */
  width: number;
  /** The print format's type code (20 DATE, 22 DATETIME …). */
  format: number;
  missing: Missing;
  /** Value labels of a numeric variable. */
  labels: Map<number, string>;
}

export interface SavFile {
  product: string;
  encoding: string;
  /** The case count the header states; −1 when unknown (Qualtrics writes −1). */
  nCases: number;
  variables: SavVariable[];
  /** One cell per variable: a number, a string (trailing spaces trimmed) or null (system-missing). */
  rows: (number | string | null)[][];
}

/** Why the bytes are not a readable .sav (the reader turns it into a SourceError). */
export class SavError extends Error {}

const SYSMIS = -Number.MAX_VALUE; // the uncompressed system-missing value (−DBL_MAX)

interface RawRecord {
  width: number; // 0 numeric, >0 string, −1 continuation
  short: string;
  label: string;
  format: number;
  missingDoubles: number[];
  missingBytes: Uint8Array[];
  nMissing: number;
}

export function parseSav(bytes: Uint8Array, maxRows = Infinity): SavFile {
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic === '$FL3') throw new SavError('ZLIB-compressed .sav ($FL3) is not supported; save it uncompressed or with standard compression');
  if (magic !== '$FL2') throw new SavError('not an SPSS .sav file (it does not start with "$FL2" or "$FL3")');
  if (bytes.length < 176) throw new SavError('the file ends inside its header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = [2, 3].includes(view.getInt32(64, true));
  let p = 0;
  const need = (n: number) => {
    if (n < 0 || p + n > bytes.length) throw new SavError('the file ends inside its dictionary');
  };
  const int = () => (need(4), (p += 4), view.getInt32(p - 4, le));
  const dbl = () => (need(8), (p += 8), view.getFloat64(p - 8, le));
  const raw = (n: number) => (need(n), (p += n), bytes.subarray(p - n, p));
  const latin1 = (b: Uint8Array) => String.fromCharCode(...b);

  const product = latin1(bytes.subarray(4, 64)).replace(/^@\(#\)\s*/, '').trim();
  const compression = view.getInt32(72, le);
  const nCases = view.getInt32(80, le);
  const bias = view.getFloat64(84, le);
  if (compression !== 0 && compression !== 1) throw new SavError(`unknown compression ${compression}`);
  p = 176;

  const records: RawRecord[] = [];
  const labelSets: { labels: [Uint8Array, Uint8Array][]; vars: number[] }[] = [];
  const longNames = new Map<string, string>();
  const veryLong = new Map<string, number>();
  let encoding = '';
  let labelBytes: Uint8Array[] = [];
  for (;;) {
    const type = int();
    if (type === 2) {
      const [width, hasLabel, nMissing, print] = [int(), int(), int(), int()];
      int(); // write format
      const short = latin1(raw(8)).replace(/[\0\s]+$/, '');
      let label: Uint8Array = new Uint8Array();
      if (hasLabel) {
        const len = int();
        label = raw(len);
        raw((4 - (len % 4)) % 4);
      }
      const missingDoubles: number[] = [];
      const missingBytes: Uint8Array[] = [];
      for (let i = 0; i < Math.abs(nMissing); i++) {
        missingBytes.push(bytes.subarray(p, p + 8));
        missingDoubles.push(dbl());
      }
      labelBytes.push(label);
      records.push({ width, short, label: '', format: (print >> 16) & 0xff, missingDoubles, missingBytes, nMissing });
    } else if (type === 3) {
      const count = int();
      const labels: [Uint8Array, Uint8Array][] = [];
      for (let i = 0; i < count; i++) {
        const value = raw(8);
        need(1);
        const len = bytes[p]!;
        p += 1;
        labels.push([value, raw(len)]);
        raw((8 - ((len + 1) % 8)) % 8);
      }
      if (int() !== 4) throw new SavError('a value label record is not followed by its variables');
      const n = int();
      const vars = Array.from({ length: n }, () => int() - 1);
      labelSets.push({ labels, vars });
    } else if (type === 6) {
      raw(int() * 80);
    } else if (type === 7) {
      const [subtype, size, count] = [int(), int(), int()];
      const data = raw(size * count);
      const text = () => new TextDecoder('utf-8').decode(data);
      if (subtype === 13) {
        for (const pair of text().split('\t')) {
          const eq = pair.indexOf('=');
          if (eq > 0) longNames.set(pair.slice(0, eq).replace(/[\0\s]+$/, ''), pair.slice(eq + 1).replace(/[\0\s]+$/, ''));
        }
      } else if (subtype === 14) {
        for (const pair of text().split(/\0?\t/)) {
          const eq = pair.indexOf('=');
          if (eq > 0) veryLong.set(pair.slice(0, eq).replace(/[\0\s]+$/, ''), Number(pair.slice(eq + 1).replace(/\0/g, '')));
        }
      } else if (subtype === 20) encoding = text().replace(/\0/g, '').trim();
    } else if (type === 999) {
      int();
      break;
    } else throw new SavError(`unknown dictionary record type ${type}`);
  }

  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding || 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  const str = (b: Uint8Array) => decoder.decode(b);
  records.forEach((r, i) => (r.label = str(labelBytes[i]!)));
  labelBytes = [];

  // Variables: a string spans its record and continuation records; a very long string spans several
  // string variables (segments of 255 bytes, each in 256 bytes' worth of elements).
  interface Var {
    v: SavVariable;
    /** Per segment: first element index and byte width. */
    segments: { at: number; width: number }[];
  }
  const vars: Var[] = [];
  const byElement = new Map<number, SavVariable>();
  for (let i = 0; i < records.length; ) {
    const r = records[i]!;
    if (r.width < 0) throw new SavError(`variable record ${i + 1} continues no string`);
    const total = veryLong.get(r.short);
    const nSegments = total !== undefined && r.width > 0 ? Math.floor((total + 251) / 252) : 1;
    const segments: { at: number; width: number }[] = [];
    let j = i;
    for (let s = 0; s < nSegments; s++) {
      if (j >= records.length) throw new SavError(`very long string ${r.short} lacks its segments`);
      segments.push({ at: j, width: records[j]!.width });
      j += 1;
      while (j < records.length && records[j]!.width === -1) j++;
    }
    const missing: Missing =
      r.nMissing === 0
        ? null
        : r.width > 0
          ? { strings: r.missingBytes.map((b) => str(b).trimEnd()) }
          : r.nMissing < 0
            ? { values: r.missingDoubles.slice(2), range: [r.missingDoubles[0]!, r.missingDoubles[1]!] }
            : { values: r.missingDoubles };
    const v: SavVariable = { name: longNames.get(r.short) ?? r.short, label: r.label.replace(/\s+$/, ''), width: total ?? Math.max(r.width, 0), format: r.format, missing, labels: new Map() };
    byElement.set(i, v);
    vars.push({ v, segments });
    i = j;
  }
  for (const set of labelSets) {
    for (const index of set.vars) {
      const v = byElement.get(index);
      if (!v || v.width > 0) continue; // string value labels are not used
      for (const [value, label] of set.labels) v.labels.set(new DataView(value.buffer, value.byteOffset, 8).getFloat64(0, le), str(label).trim());
    }
  }

  // The cases: one 8-byte element per variable record.
  const width = records.length;
  const rows: (number | string | null)[][] = [];
  const SPACES = new Uint8Array(8).fill(0x20);
  let commands: Uint8Array = new Uint8Array();
  let ci = 8;
  type Element = number | Uint8Array | null | 'eof';
  const next = (): Element => {
    if (compression === 0) {
      if (p + 8 > bytes.length) return 'eof';
      p += 8;
      return bytes.subarray(p - 8, p);
    }
    for (;;) {
      if (ci >= 8) {
        if (p + 8 > bytes.length) return 'eof';
        commands = bytes.subarray(p, p + 8);
        p += 8;
        ci = 0;
      }
      const c = commands[ci++]!;
      if (c === 0) continue;
      if (c === 252) return 'eof';
      if (c === 253) {
        if (p + 8 > bytes.length) return 'eof';
        p += 8;
        return bytes.subarray(p - 8, p);
      }
      if (c === 254) return SPACES;
      if (c === 255) return null;
      return c - bias;
    }
  };
  const asNumber = (e: number | Uint8Array | null): number | null => {
    if (e === null || typeof e === 'number') return e;
    const d = new DataView(e.buffer, e.byteOffset, 8).getFloat64(0, le);
    return d === SYSMIS || Number.isNaN(d) ? null : d;
  };
  while (nCases < 0 || rows.length < nCases) {
    const elements: (number | Uint8Array | null)[] = [];
    for (let k = 0; k < width; k++) {
      const e = next();
      if (e === 'eof') {
        if (k === 0) break;
        throw new SavError(`the file ends inside row ${rows.length + 1}`);
      }
      elements.push(e);
    }
    if (elements.length < width) break;
    rows.push(
      vars.map(({ v, segments }) => {
        if (v.width === 0) return asNumber(elements[segments[0]!.at]!);
        // Joined as bytes, then decoded once: a UTF-8 character may straddle two segments.
        const out = new Uint8Array(segments.reduce((n, s) => n + Math.min(s.width, 255), 0));
        let at = 0;
        for (const s of segments) {
          const take = Math.min(s.width, 255);
          for (let k = 0; k * 8 < take; k++) {
            const e = elements[s.at + k];
            const chunk = (e instanceof Uint8Array ? e : SPACES).subarray(0, Math.min(8, take - k * 8));
            out.set(chunk, at);
            at += chunk.length;
          }
        }
        return str(out).trimEnd();
      }),
    );
    if (rows.length > maxRows) break;
  }
  if (nCases >= 0 && rows.length < nCases) throw new SavError(`the file ends after ${rows.length} of the ${nCases} rows its header announces`);
  return { product, encoding: encoding || 'unstated (read as UTF-8)', nCases, variables: vars.map((x) => x.v), rows };
}
