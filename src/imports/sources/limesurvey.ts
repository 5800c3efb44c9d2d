// LimeSurvey's "R" export: a data CSV (UTF-8 with BOM, every field quoted, header = question texts) and
// an R syntax file that names each column's code (`names(data)[n] <- "code"`), label and, for closed
// questions, its answer codes and texts (`factor(…, levels=c(…), labels=c(…))`). With the syntax file,
// columns take their LimeSurvey codes as ids and coded answers become their texts — except numeric codes
// (1…7 scales, 0/1 multi-select), which stay numbers so a scale keeps its values. Without it the header
// texts are the ids and the cells stay codes. The survey's structure (.lss, or the TSV structure export) can stand
// in for the syntax file, and a .lsr response archive for the data file (limesurvey-structure.ts, limesurvey-xml.ts).
import { isNotApplicableLabel, verbalScaleOf } from '../../core/import-mapping.ts';
import { buildTable, decode, parseRecords, SourceError, uniqueIds, type ColumnKind, type SourceTable } from './source-table.ts';
import { matchColumns, recodeRaw, syntaxOf, type LsStructure } from './limesurvey-structure.ts';
import { limeSurveyDocType, looksLikeXml, readLsr, readLss } from './limesurvey-xml.ts';
import { isLimeSurveyTsv, readLimeSurveyTsv } from './limesurvey-tsv.ts';

export interface LimeSurveySyntax {
  codes: Map<number, string>;
  labels: Map<number, string>;
  /** Column (1-based) → answer code → answer text. */
  levels: Map<number, Map<string, string>>;
}

/** An R string literal's or number's list inside c(…): "a", "b\"c", 1, 0. */
function rList(s: string): string[] | undefined {
  const out: string[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?))\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  while (re.lastIndex < s.length && (m = re.exec(s))) {
    out.push(m[1] !== undefined ? unescapeR(m[1]) : m[2]!);
    if (m[3] === '') break;
  }
  return out.length ? out : undefined;
}
const unescapeR = (s: string) => s.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));

export function parseLimeSurveySyntax(text: string): LimeSurveySyntax {
  const codes = new Map<number, string>();
  const labels = new Map<number, string>();
  const levels = new Map<number, Map<string, string>>();
  for (const line of text.split(/\r?\n/)) {
    let m = /^names\(data\)\[(\d+)\] <- "((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (m) {
      codes.set(Number(m[1]), unescapeR(m[2]!));
      continue;
    }
    m = /^attributes\(data\)\$variable\.labels\[(\d+)\] <- "((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (m) {
      labels.set(Number(m[1]), unescapeR(m[2]!));
      continue;
    }
    m = /^data\[, (\d+)\] <- factor\(data\[, \d+\], levels=c\((.*)\),labels=c\((.*)\)\)\s*$/.exec(line);
    if (m) {
      const lv = rList(m[2]!);
      const lb = rList(m[3]!);
      if (lv && lb && lv.length === lb.length) levels.set(Number(m[1]), new Map(lv.map((v, i) => [v, lb[i]!])));
    }
  }
  if (!codes.size) throw new SourceError('the R syntax file names no columns (expected lines like names(data)[1] <- "id")');
  return { codes, labels, levels };
}

/** The survey structure when a "syntax" text is a .lss or the TSV structure export; undefined for an R syntax file. */
export function limeSurveyStructure(text: string): LsStructure | undefined {
  const docType = limeSurveyDocType(text);
  if (docType === 'Survey' || (!docType && looksLikeXml(text))) return readLss(text);
  if (docType) throw new SourceError(`the syntax file is a LimeSurvey "${docType}" document; give the R syntax file or the survey structure (.lss, <LimeSurveyDocType>Survey)`);
  return isLimeSurveyTsv(text) ? readLimeSurveyTsv(text) : undefined;
}

export function readLimeSurvey(bytes: Uint8Array, syntaxText?: string): SourceTable {
  const { text, encoding } = decode(bytes);
  const notes = [`encoding: ${encoding}`];
  const structure = syntaxText === undefined ? undefined : limeSurveyStructure(syntaxText);
  if (looksLikeXml(text)) return readResponseArchive(text, structure, syntaxText, notes);
  const records = parseRecords(text);
  if (!records.length) throw new SourceError('the file is empty');
  const head = records[0]!;
  if (structure) {
    const m = matchColumns(head, structure, 'data file');
    // A CSV cannot tell a box seen but not ticked from one never shown (both empty): empty stays "not answered".
    const rows = m.raw ? records.slice(1).map((r) => r.map((cell, i) => recodeRaw(m.at.get(i + 1), cell, false))) : records.slice(1);
    return withSyntax(`limesurvey (${m.raw ? 'CSV with question codes' : 'R data file'} + ${structure.source})`, head, rows, syntaxOf(m.at), [...notes, ...m.notes]);
  }
  if (!syntaxText) {
    notes.push('no R syntax file: header texts are the column ids and answer codes are kept');
    const ids = uniqueIds(head);
    return buildTable('limesurvey (R data file, no syntax file)', ids.map((id) => ({ id, question: id })), records.slice(1), notes);
  }
  const syntax = parseLimeSurveySyntax(syntaxText);
  const maxColumn = Math.max(...syntax.codes.keys());
  if (maxColumn > head.length) throw new SourceError(`the R syntax file names column ${maxColumn} but the data file has ${head.length}: are they from the same export?`);
  // A syntax file may stop early (998192's ends at column 51 of 71): the rest keep their header texts.
  if (syntax.codes.size < head.length) notes.push(`the R syntax file describes ${syntax.codes.size} of the ${head.length} columns; the others keep their header texts as ids and their cells as exported`);
  notes.push(`R syntax file: ${syntax.codes.size} column codes, ${syntax.levels.size} coded answer lists`);
  return withSyntax('limesurvey (R data file + syntax file)', head, records.slice(1), syntax, notes);
}

/** A .lsr: columns named by SGQA, cells as stored; with the .lss they take their codes, labels and the R export's values. */
function readResponseArchive(text: string, structure: LsStructure | undefined, syntaxText: string | undefined, notes: string[]): SourceTable {
  if (syntaxText !== undefined && !structure) throw new SourceError('a .lsr response archive names its columns by SGQA (998192X1X2): give the survey structure (.lss) with it, not the R syntax file');
  const { head, rows } = readLsr(text);
  if (!structure) {
    notes.push('no survey structure (.lss): field names (SGQA) are the column ids and answers are kept as stored');
    const ids = uniqueIds(head);
    return buildTable('limesurvey (.lsr response archive)', ids.map((id) => ({ id, question: id })), rows.map((r) => r.cells), notes);
  }
  const m = matchColumns(head, structure, '.lsr');
  const cells = rows.map((r) => r.cells.map((cell, i) => recodeRaw(m.at.get(i + 1), cell, r.present[i])));
  return withSyntax(`limesurvey (.lsr response archive + ${structure.source})`, head, cells, syntaxOf(m.at), [...notes, ...m.notes]);
}

/** The table of a data file whose columns (1-based) the syntax describes: codes as ids, answer codes as texts. */
function withSyntax(format: string, head: string[], body: string[][], syntax: LimeSurveySyntax, notes: string[]): SourceTable {
  const ids = uniqueIds(head.map((h, i) => syntax.codes.get(i + 1) ?? h));
  const header = ids.map((id, i) => ({ id, question: (syntax.labels.get(i + 1) ?? head[i] ?? id).replace(/\s+/g, ' ').trim() }));
  // Coded answers → texts, unless every code is a number (then the number is the answer, e.g. 1–7).
  const translate = head.map((_, i) => {
    const lv = syntax.levels.get(i + 1);
    return lv && ![...lv.keys()].every((k) => /^-?\d+$/.test(k)) ? lv : undefined;
  });
  // Numeric codes whose text says "not applicable" (100001: 0 = "(not applicable)") are not scores.
  const naCodes = head.map((_, i) => new Set([...(syntax.levels.get(i + 1) ?? new Map<string, string>())].filter(([, label]) => isNotApplicableLabel(label)).map(([code]) => code)));
  const blanked = new Array<number>(head.length).fill(0);
  const rows = body.map((r) =>
    r.map((cell, i) => {
      if (!translate[i] && naCodes[i]!.has(cell.trim())) {
        blanked[i]!++;
        return '';
      }
      return translate[i]?.get(cell.trim()) ?? cell;
    }),
  );
  // A closed question's kind is its answer list, not what a handful of cells happen to show: numeric codes
  // give the scale's full range (a 1–7 item answered only with 3s is still 1–7), texts are options or a verbal scale.
  const stated = head.map((_, i): ColumnKind | undefined => {
    const lv = syntax.levels.get(i + 1);
    if (!lv) return undefined;
    const real = [...lv].filter(([code, label]) => !naCodes[i]!.has(code) && !isNotApplicableLabel(label));
    if (!translate[i]) {
      const nums = real.map(([code]) => Number(code));
      return nums.length ? { kind: 'numeric', min: Math.min(...nums), max: Math.max(...nums), integer: true } : undefined;
    }
    const labels = real.map(([, label]) => label);
    return verbalScaleOf(labels) ?? { kind: 'categorical', values: [...lv.values()] };
  });
  return buildTable(format, header, rows, notes, blanked, stated);
}
