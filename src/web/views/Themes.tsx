// Themes: what customers' comments speak about, per dimension and touchpoint (GET /reports/themes): how many
// comments, their sentiment (shares with 95 % intervals, in words and numbers, not colour alone), the monthly
// trend as a table, emerging themes flagged with their test, and a few redacted quotes. Filtered like the
// reports, under their anonymity rule (the server withholds themes and months under the minimum). The
// customers' texts of every channel count (survey comments, reviews, tickets…) unless a Channel is chosen
// (`channel` in the URL, passed on to the API as is).
import { useSearch } from 'wouter';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { parseFilters, reportQuery, useQueryUpdate } from '../lib/filters.ts';
import { asChannel, CHANNEL_OPTIONS, CHANNEL_PLURAL } from '../lib/channels.ts';
import type { ThemesReportView, ThemeView } from '../../server/routes/themes.ts';
import { count, monthLabel, pct, pctInterval, pValue } from '../../core/number-format.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { EmptyState, ErrorState, Loading, SuppressedNote } from '../components/states.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { SelectField } from '../components/Field.tsx';

function ThemeCard({ t }: { t: ThemeView }) {
  const headingId = `theme-${t.kind}-${t.key}`;
  return (
    <section className="card" aria-labelledby={headingId} style={{ marginBottom: 14 }}>
      <h2 id={headingId} style={{ display: 'flex', gap: 8, alignItems: 'center', flexWrap: 'wrap' }}>
        {t.label}
        <span className="badge neutral">{t.kind === 'dimension' ? 'Dimension' : 'Touchpoint'}</span>
        {t.emerging?.emerging && <span className="badge">Emerging</span>}
      </h2>
      <p className="num">
        {count(t.comments)} {t.comments === 1 ? 'comment' : 'comments'} · {pct(t.negative.share)} negative ({pctInterval(t.negative.interval)}) ·{' '}
        {pct(t.neutral.share)} neutral · {pct(t.positive.share)} positive ({pctInterval(t.positive.interval)})
      </p>
      {t.emerging && (
        <p className="small muted num">
          {monthLabel(t.emerging.month)}: {pct(t.emerging.share)} of comments against {pct(t.emerging.historyShare)} before ·{' '}
          {t.emerging.emerging ? 'significantly more' : 'no significant rise'} (one-sided z-test, Holm-adjusted {pValue(t.emerging.pAdjusted)})
        </p>
      )}
      {t.trend && t.trend.length > 1 && (
        <details className="data-table">
          <summary>Comments by month</summary>
          <DataTable
            caption={`Comments about ${t.label} by month`}
            columns={[{ label: 'Month' }, { label: 'Comments', numeric: true }, { label: 'Share of the month’s comments', numeric: true }]}
          >
            {t.trend.map((p) => (
              <tr key={p.month}>
                <th scope="row">{monthLabel(p.month)}</th>
                <td className="num">{p.comments === null ? 'hidden' : count(p.comments)}</td>
                <td className="num">{p.share === null ? 'hidden' : pct(p.share)}</td>
              </tr>
            ))}
          </DataTable>
        </details>
      )}
      {t.quotes.length > 0 && (
        <ul className="quotes" aria-label={`Quotes about ${t.label}`}>
          {t.quotes.map((q, i) => (
            <li key={i} className="quote customer">
              <blockquote>{q}</blockquote>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export default function Themes() {
  usePageTitle('Themes');
  const { orgId } = useOrg();
  const search = useSearch();
  const update = useQueryUpdate();
  const channel = asChannel(new URLSearchParams(search).get('channel'));
  const query = new URLSearchParams(reportQuery(parseFilters(search)).slice(1));
  if (channel) query.set('channel', channel);
  const qs = query.toString();
  const res = useApi<ThemesReportView>(orgPath(orgId, `reports/themes${qs ? `?${qs}` : ''}`));
  const d = res.data;
  // Which texts the counts are made of, in words beside the filter (the select alone shows only its value).
  const counted = channel ? `${CHANNEL_PLURAL[channel]} only.` : 'Survey comments and the texts of every feedback channel (reviews, tickets, chats…).';
  const emerging = d?.themes.filter((t) => t.emerging?.emerging) ?? [];
  return (
    <div className="page">
      <div className="page-head">
        <h1>Themes</h1>
        <p>
          What customers’ comments speak about, by dimension and touchpoint, with their sentiment. A theme is <strong>emerging</strong> when its share of
          last month’s comments is significantly above its share before. Quotes have personal details removed.
        </p>
      </div>
      <div className="toolbar">
        <SelectField
          label="Channel"
          value={channel ?? ''}
          onChange={(v) => update({ channel: v || undefined })}
          options={[{ value: '', label: 'Every channel' }, ...CHANNEL_OPTIONS]}
        />
        <p className="small muted" style={{ margin: 0, paddingBottom: 8 }}>
          Counting: {counted}
        </p>
      </div>
      {res.error && !d ? (
        <ErrorState error={res.error} onRetry={res.reload} title="Themes could not be loaded" />
      ) : !d ? (
        <Loading label="themes" lines={6} height={360} />
      ) : d.suppressed ? (
        <SuppressedNote what="Themes" reason={d.suppressed} />
      ) : d.themes.length === 0 ? (
        <EmptyState title="No themes">
          {d.comments === 0 ? 'No comments match these filters.' : 'No topic is mentioned in enough comments to be shown.'}
        </EmptyState>
      ) : (
        <div aria-busy={res.loading}>
          <p className="small muted num" role="status" style={{ marginBottom: 10 }}>
            {count(d.comments)} comments
            {d.lastMonth ? ` · last month ${monthLabel(d.lastMonth)}` : ''}
            {emerging.length ? ` · emerging: ${emerging.map((t) => t.label).join(', ')}` : ''}
            {d.withheld ? ` · ${d.withheld} ${d.withheld === 1 ? 'theme' : 'themes'} with too few comments to show` : ''}
            {d.analysed < d.comments ? ` · ${count(d.comments - d.analysed)} comments not analysed yet` : ''}
          </p>
          {d.themes.map((t) => (
            <ThemeCard key={`${t.kind}:${t.key}`} t={t} />
          ))}
        </div>
      )}
    </div>
  );
}
