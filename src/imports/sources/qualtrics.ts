// Qualtrics response exports (CSV): the current layout (3 header rows: export tag, question text,
// {"ImportId":…} JSON), the 2016–17 "Insights" layout (3 rows, the third {'ImportId': …} in Python-dict
// style) and the legacy layout (2 rows: V1…V10 and question tags, then question text). In question
// columns a negative whole number is a Qualtrics code, not a score: −99 "seen but not answered", and
// negative recode values (−1, −2 …) for "no basis for evaluation / never tried / did not participate";
// those cells become "not answered". Survey previews and spam (Status, DistributionChannel, a low reCAPTCHA
// score) are marked as left out (qualtricsLeftOut); the import keeps them only when asked. The SPSS .sav
// export is read by spss.ts, and its rows get the same marks.
import { buildTable, decode, parseRecords, SourceError, uniqueIds, type SourceTable } from './source-table.ts';

// Qualtrics' response types as its SPSS export labels them (testproject_menu.sav's value labels of Status):
// 0 IP Address, 1 Survey Preview, 2 Survey Test, 4 Imported, 8 Spam, 9 Survey Preview Spam, 12 Imported Spam,
// 16 Offline, 17 Offline Survey Preview, 32 EX, 40 EX Spam, 48 EX Offline. Tests (2) are kept: the
// QualtricsTools exports consist of generated test responses only.
const PREVIEW_CODES = new Set([1, 9, 17]);
const SPAM_CODES = new Set([8, 9, 12, 40]);
/** Qualtrics' own threshold: "a score of less than 0.5 means the respondent is likely a bot". */
const RECAPTCHA_BOT = 0.5;

/**
 * The rows of a Qualtrics export (CSV or .sav) that are no customer's answers: survey previews and spam,
 * by Status (code or text), DistributionChannel ("preview", "spam") or Q_RecaptchaScore below 0.5.
 */
export function qualtricsLeftOut(table: SourceTable): { row: number; reason: string }[] {
  const find = (re: RegExp) => table.columns.findIndex((c) => re.test(c.id));
  const status = find(/^status$/i);
  const channel = find(/^distributionchannel$/i);
  const recaptcha = find(/^q_recaptchascore$/i);
  const out: { row: number; reason: string }[] = [];
  table.rows.forEach((cells, i) => {
    const reasons: string[] = [];
    const s = status >= 0 ? cells[status]!.trim() : '';
    const code = /^\d+$/.test(s) ? Number(s) : undefined;
    const ch = channel >= 0 ? cells[channel]!.trim().toLowerCase() : '';
    if ((code !== undefined && PREVIEW_CODES.has(code)) || /preview/i.test(s) || ch === 'preview') reasons.push('survey preview');
    if ((code !== undefined && SPAM_CODES.has(code)) || /spam/i.test(s) || ch === 'spam') reasons.push('spam');
    const score = recaptcha >= 0 && cells[recaptcha]!.trim() !== '' ? Number(cells[recaptcha]) : NaN;
    if (score < RECAPTCHA_BOT) reasons.push(`likely a bot (Q_RecaptchaScore ${score} is below ${RECAPTCHA_BOT})`);
    if (reasons.length) out.push({ row: i + 1, reason: reasons.join(', ') });
  });
  return out;
}

const NA_CODE = /^-\d+$/;

export function readQualtrics(bytes: Uint8Array): SourceTable {
  const { text, encoding } = decode(bytes);
  const records = parseRecords(text);
  if (records.length < 2) throw new SourceError('not a Qualtrics export: fewer than two header rows');
  const [r1, r2, r3 = []] = records as [string[], string[], string[]?];
  let variant: string;
  let dataFrom: number;
  let questionColumn: (i: number) => boolean;
  let ids: string[];
  if (r1[0]?.trim() === 'V1') {
    variant = 'legacy, 2 header rows';
    dataFrom = 2;
    // V1…V10 are metadata whose names (ResponseID, StartDate …) are on the second row; questions keep their tags.
    ids = r1.map((tag, i) => (/^V\d+$/.test(tag.trim()) ? (r2[i] ?? tag) : tag));
    questionColumn = (i) => /^Q/.test(r1[i]?.trim() ?? '');
  } else if (/^\{\s*"ImportId"/.test(r3[0] ?? '')) {
    variant = 'current, 3 header rows';
    dataFrom = 3;
    ids = r1;
    questionColumn = (i) => /"ImportId"\s*:\s*"QID/.test(r3[i] ?? '');
  } else if (/^\{\s*'ImportId'/.test(r3[0] ?? '')) {
    variant = 'Insights, 3 header rows';
    dataFrom = 3;
    ids = r1;
    questionColumn = (i) => /'ImportId'\s*:\s*'QID/.test(r3[i] ?? '');
  } else {
    throw new SourceError('not a Qualtrics export: expected V1… (legacy) on the first row or {"ImportId": …} on the third');
  }
  // The legacy export ends every line with a comma: drop a trailing column that has neither name nor cells.
  let width = Math.max(r1.length, r2.length);
  const body = records.slice(dataFrom);
  while (width > 0 && !(r1[width - 1] ?? '').trim() && !(r2[width - 1] ?? '').trim() && body.every((r) => !(r[width - 1] ?? '').trim())) width--;
  const unique = uniqueIds(ids.slice(0, width));
  const blanked = new Array<number>(width).fill(0);
  const rows = body.map((r) =>
    r.slice(0, width).map((cell, i) => {
      if (questionColumn(i) && NA_CODE.test(cell.trim())) {
        blanked[i]!++;
        return '';
      }
      return cell;
    }),
  );
  const header = unique.map((id, i) => ({ id, question: (r2[i] ?? '').trim() || id }));
  const table = buildTable(`qualtrics (${variant})`, header, rows, [`encoding: ${encoding}`], blanked);
  return { ...table, leftOut: qualtricsLeftOut(table) };
}
