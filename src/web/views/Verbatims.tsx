// Verbatims: open comments, searchable and filtered like the reports. Choosing a dimension puts
// leaders' and customers' comments side by side, each with that side's rating of the dimension.
// Search (full text: words, "phrases", bill*, -exclude, OR; the server marks the matched words), sort,
// perspective and dimension live in the URL with the filters; "More comments" pages on by the server's cursor.
// Each quote shows its sentiment
// (a badge that says it in words, not by colour alone) and the dimensions and touchpoints it speaks about;
// the text is redacted ("[email]", "[name]"…) by the server. Sentiment and tag filters (issue 10).
// Feedback items from other channels (issue 9: reviews, tickets, chats, interviews…) are listed with the survey
// comments, each showing its channel and source; a Channel filter narrows the list to one.
import { useEffect, useId, useState, type CSSProperties, type ReactNode } from 'react';
import { useSearch } from 'wouter';
import { useOrg, orgPath, touchpointIndex } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { parseFilters, reportQuery, useQueryUpdate } from '../lib/filters.ts';
import { isSuppressed, type GapReport, type SentimentLabel } from '../lib/types.ts';
import type { VerbatimPageView, VerbatimView } from '../../server/routes/verbatims.ts';
import { CHANNEL_OPTIONS, asChannel, channelLabel } from '../lib/channels.ts';
import { count, fixed, monthLabel } from '../../core/number-format.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { EmptyState, ErrorState, Loading, SuppressedNote } from '../components/states.tsx';
import { SelectField } from '../components/Field.tsx';

const PAGE = 20;

/** The comment with the ranges the server matched marked (text nodes only: never HTML from the comment). */
function Highlighted({ text, ranges }: { text: string; ranges: [number, number][] | undefined }) {
  if (!ranges?.length) return <>{text}</>;
  const parts: ReactNode[] = [];
  let i = 0;
  for (const [start, end] of ranges) {
    if (start < i || end > text.length) continue; // out of order or past the text: never mark a wrong span
    parts.push(text.slice(i, start), <mark key={start}>{text.slice(start, end)}</mark>);
    i = end;
  }
  parts.push(text.slice(i));
  return <>{parts}</>;
}

const SENTIMENT_TEXT: Record<SentimentLabel, string> = { negative: 'Negative', neutral: 'Neutral', positive: 'Positive' };
// Colour repeats what the word says; the word is what counts (and what a screen reader reads).
const SENTIMENT_STYLE: Record<SentimentLabel, { className: string; style?: CSSProperties }> = {
  negative: { className: 'badge' },
  neutral: { className: 'badge neutral' },
  positive: { className: 'badge', style: { background: 'var(--accent-soft)', color: 'var(--good)' } },
};

export function SentimentBadge({ s }: { s: VerbatimView['sentiment'] }) {
  const look = SENTIMENT_STYLE[s.label];
  return (
    <span className={look.className} style={look.style} title={`Sentiment score ${fixed(s.score, 2)} (−1 to +1)`}>
      <span className="sr-only">Sentiment: </span>
      {SENTIMENT_TEXT[s.label]}
    </span>
  );
}

function Quote({ v, tpLabel, dimLabel, dimensionLabel }: { v: VerbatimView; tpLabel: (k: string) => string; dimLabel: (k: string) => string; dimensionLabel?: string }) {
  const who = v.perspective === 'leader' ? 'Leader' : 'Customer';
  const feedback = v.channel !== 'survey';
  const tags = [...v.tags.dimensions.map(dimLabel), ...v.tags.touchpoints.map(tpLabel)];
  return (
    <li className={`quote ${v.perspective}`}>
      <blockquote>
        <Highlighted text={v.comment} ranges={v.highlights} />
      </blockquote>
      <div className="meta">
        <SentimentBadge s={v.sentiment} />
        {tags.length > 0 && (
          <ul className="tag-chips" aria-label="Speaks about" style={{ display: 'inline-flex', flexWrap: 'wrap', gap: 4, listStyle: 'none', margin: 0, padding: 0 }}>
            {tags.map((t) => (
              <li key={t} className="chip">
                {t}
              </li>
            ))}
          </ul>
        )}
        <span className={v.perspective === 'leader' ? 'leaders' : 'customers'} style={{ fontWeight: 650 }}>
          {who}
        </span>
        {feedback && (
          <span className="chip" data-channel={v.channel}>
            <span className="sr-only">Channel: </span>
            {channelLabel(v.channel)}
            {v.source ? ` · ${v.source}` : ''}
          </span>
        )}
        {v.submittedAt && <span>{monthLabel(v.submittedAt)}</span>}
        {v.touchpoint && <span>{tpLabel(v.touchpoint)}</span>}
        {v.excellent !== null && <span>“Excellent”: {v.excellent}/5</span>}
        {v.dimensionRating !== undefined && dimensionLabel && (
          <span className="rating-pill" title={`${v.perspective === 'leader' ? 'Predicted customers’ rating of' : 'Rating of'} ${dimensionLabel.toLowerCase()}`}>
            <span className="sr-only">{v.perspective === 'leader' ? 'Predicted customers’ rating of' : 'Rating of'} {dimensionLabel.toLowerCase()}: </span>
            {v.perspective === 'leader' ? 'predicts' : 'rates it'} {v.dimensionRating}/5
          </span>
        )}
      </div>
    </li>
  );
}

/** How many comments: exact, or a lower bound when the server stopped counting. */
const howMany = (d: VerbatimPageView) =>
  `${d.totalIsApproximate ? 'About ' : d.totalIsEstimate ? 'More than ' : ''}${count(d.total)} ${d.total === 1 && !d.totalIsEstimate ? 'comment' : 'comments'}`;

interface ListProps {
  path: string;
  label: string;
  dimensionLabel?: string;
  perspective?: 'customer' | 'leader';
  emptyText: string;
}

/** One page of quotes; the first page also says how many there are and which perspectives are left out. */
function QuotePage({ path, first, onMore, ...p }: ListProps & { first: boolean; onMore?: (cursor: string) => void }) {
  const { journey, framework } = useOrg();
  const idx = touchpointIndex(journey.data?.stages);
  const tpLabel = (k: string) => idx.get(k)?.label ?? k;
  const dimLabel = (k: string) => framework.data?.dimensions.find((d) => d.key === k)?.label ?? k;
  const res = useApi<VerbatimPageView>(path);
  const d = res.data;
  // A search the server cannot run (a phrase not closed…) says why, even over the previous results.
  if (res.error) return <ErrorState error={res.error} onRetry={res.reload} title={first ? 'Comments could not be loaded' : 'More comments could not be loaded'} />;
  if (!d) return <Loading label="comments" lines={first ? 6 : 2} height={first ? 360 : 80} />;
  const hidden = Object.entries(d.suppressed) as ['customer' | 'leader' | 'feedback', string][];
  return (
    <>
      {first && (
        <>
          <p className="small muted num" role="status" style={{ marginBottom: 8 }}>
            {res.loading ? 'Searching…' : howMany(d)}
          </p>
          {hidden
            .filter(([who]) => !p.perspective || who === p.perspective || (who === 'feedback' && p.perspective === 'customer'))
            .map(([who, reason]) => (
              <div key={who} style={{ marginBottom: 8 }}>
                <SuppressedNote what={who === 'leader' ? 'Leaders’ comments' : who === 'feedback' ? 'Feedback from other channels' : 'Customers’ comments'} reason={reason} />
              </div>
            ))}
          {d.items.length === 0 && !(hidden.length && (p.perspective ? hidden.some(([who]) => who === p.perspective) : hidden.filter(([who]) => who !== 'feedback').length === 2)) && (
            <EmptyState title="No comments">{p.emptyText}</EmptyState>
          )}
        </>
      )}
      {d.items.length > 0 && (
        <ul className="quotes" aria-label={first ? p.label : `${p.label}, more`}>
          {d.items.map((v) => (
            <Quote key={v.id} v={v} tpLabel={tpLabel} dimLabel={dimLabel} dimensionLabel={p.dimensionLabel} />
          ))}
        </ul>
      )}
      {d.nextCursor && onMore && (
        <nav className="pager" aria-label={`${p.label} pages`}>
          <button type="button" className="btn small" onClick={() => onMore(d.nextCursor!)}>
            More comments
          </button>
        </nav>
      )}
    </>
  );
}

/** The first page and every page asked for with "More comments", each read by the previous page's cursor. */
function QuoteList(props: ListProps) {
  const [cursors, setCursors] = useState<string[]>([]);
  // A new query starts again at its first page.
  useEffect(() => setCursors([]), [props.path]);
  const pathAt = (cursor: string | undefined) => (cursor ? `${props.path}&cursor=${encodeURIComponent(cursor)}` : props.path);
  const pages = [undefined, ...cursors];
  return (
    <div>
      {pages.map((c, i) => (
        <QuotePage
          key={c ?? ''}
          {...props}
          path={pathAt(c)}
          first={i === 0}
          onMore={i === pages.length - 1 ? (next) => setCursors((cs) => [...cs, next]) : undefined}
        />
      ))}
    </div>
  );
}

export default function Verbatims() {
  usePageTitle('Verbatims');
  const { orgId, framework, journey, membership } = useOrg();
  const search = useSearch();
  const filters = parseFilters(search);
  const base = reportQuery(filters);
  const sp = new URLSearchParams(search);
  const q = sp.get('q') ?? undefined;
  const perspective = sp.get('perspective') ?? undefined;
  const dimension = sp.get('dimension') ?? undefined;
  const sentiment = sp.get('sentiment') ?? undefined;
  const tag = sp.get('tag') ?? undefined;
  const channel = asChannel(sp.get('channel'));
  // Admins may read the unredacted text; the server refuses anyone else and audits every view.
  const original = membership.canAdmin && sp.get('original') === 'true';
  const sort = q && sp.get('sort') === 'newest' ? 'newest' : undefined; // relevance is the server's default with q
  const update = useQueryUpdate();
  const setQ = (v: string | undefined, replace?: boolean) => update({ q: v, ...(v ? {} : { sort: undefined }) }, replace);
  const setPerspective = (v: string | undefined) => update({ perspective: v });
  const setDimension = (v: string | undefined) => update({ dimension: v });
  const setSentiment = (v: string | undefined) => update({ sentiment: v });
  const setTag = (v: string | undefined) => update({ tag: v });
  const setChannel = (v: string | undefined) => update({ channel: v });
  const [draft, setDraft] = useState(q ?? '');
  const id = useId();

  // Search as you type, a moment after the last key; the URL is replaced, not pushed, per keystroke.
  useEffect(() => {
    if ((q ?? '') === draft) return;
    const t = setTimeout(() => setQ(draft || undefined, true), 300);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft, q]);
  useEffect(() => setDraft(q ?? ''), [q]);

  const dims = framework.data?.dimensions ?? [];
  const touchpoints = (journey.data?.stages ?? []).flatMap((st) => st.touchpoints);
  const dim = dims.find((d) => d.key === dimension);
  const params = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams(base.slice(1));
    if (q) p.set('q', q);
    if (sort) p.set('sort', sort);
    if (sentiment) p.set('sentiment', sentiment);
    if (tag) p.set('tag', tag);
    if (channel) p.set('channel', channel);
    if (original) p.set('original', 'true');
    for (const [k, v] of Object.entries(extra)) if (v !== undefined) p.set(k, v);
    p.set('limit', String(PAGE));
    return `?${p.toString()}`;
  };
  const report = useApi<GapReport>(dim ? orgPath(orgId, `reports/gap${base}`) : null);
  const dimRow = report.data?.dimensions.find((d) => d.key === dim?.key);

  const persp = perspective === 'customer' || perspective === 'leader' ? perspective : undefined;
  const emptyText = q ? `Nothing matches “${q}” with these filters.` : 'No one has left a comment that matches these filters.';

  return (
    <div className="page">
      <div className="page-head">
        <h1>Verbatims</h1>
        <p>
          What customers and leaders wrote, in their own words — in the surveys, and in reviews, tickets, chats and other channels. Quotes show the month
          only, never who wrote them; personal details such as names, e-mail addresses and phone numbers are replaced by [name], [email], [phone].
        </p>
      </div>
      <div className="toolbar">
        <div className="field grow">
          <label htmlFor={`${id}-q`}>Search comments</label>
          <input
            id={`${id}-q`}
            type="search"
            value={draft}
            placeholder='e.g. billing -refund, "app crashed"'
            aria-describedby={`${id}-q-hint`}
            maxLength={200}
            onChange={(e) => setDraft(e.target.value)}
          />
          <span id={`${id}-q-hint`} className="small muted">
            All words must appear (billing also finds billed). &quot;exact phrase&quot;, bill* for word starts, -refund to leave out, crash OR froze.
          </span>
        </div>
        {q && (
          <SelectField
            label="Order"
            value={sort ?? 'relevance'}
            onChange={(v) => update({ sort: v === 'newest' ? 'newest' : undefined })}
            options={[
              { value: 'relevance', label: 'Best match' },
              { value: 'newest', label: 'Newest month first' },
            ]}
          />
        )}
        {!dim && (
          <div className="field">
            <span className="label" id={`${id}-p`}>
              Who
            </span>
            <div className="segmented" role="group" aria-labelledby={`${id}-p`}>
              {[
                [undefined, 'Everyone'],
                ['customer', 'Customers'],
                ['leader', 'Leaders'],
              ].map(([v, l]) => (
                <button key={l} type="button" aria-pressed={persp === v} onClick={() => setPerspective(v)}>
                  {l}
                </button>
              ))}
            </div>
          </div>
        )}
        <SelectField
          label="Compare on a dimension"
          value={dimension ?? ''}
          onChange={(v) => setDimension(v || undefined)}
          options={[{ value: '', label: 'No — one list' }, ...dims.map((d) => ({ value: d.key, label: d.label }))]}
        />
        {!dim && (
          <SelectField
            label="Channel"
            value={channel ?? ''}
            onChange={(v) => setChannel(v || undefined)}
            options={[{ value: '', label: 'Every channel' }, ...CHANNEL_OPTIONS]}
          />
        )}
        <SelectField
          label="Sentiment"
          value={sentiment ?? ''}
          onChange={(v) => setSentiment(v || undefined)}
          options={[{ value: '', label: 'Any' }, ...(['negative', 'neutral', 'positive'] as const).map((l) => ({ value: l, label: SENTIMENT_TEXT[l] }))]}
        />
        <div className="field">
          <label htmlFor={`${id}-tag`}>Speaks about</label>
          <select id={`${id}-tag`} value={tag ?? ''} onChange={(e) => setTag(e.target.value || undefined)}>
            <option value="">Anything</option>
            <optgroup label="Dimensions">
              {dims
                .filter((d) => d.customerItem !== null)
                .map((d) => (
                  <option key={d.key} value={d.key}>
                    {d.label}
                  </option>
                ))}
            </optgroup>
            <optgroup label="Touchpoints">
              {touchpoints.map((t) => (
                <option key={t.key} value={t.key}>
                  {t.label}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        {membership.canAdmin && (
          <div className="field">
            <label style={{ display: 'flex', gap: 6, alignItems: 'center', minHeight: 36 }}>
              <input type="checkbox" checked={original} onChange={(e) => update({ original: e.target.checked ? 'true' : undefined })} />
              Original text (admins; audited)
            </label>
          </div>
        )}
      </div>
      {filters.touchpoint || filters.stage || Object.keys(filters.segments).length ? (
        <p className="banner info small" style={{ marginBottom: 14 }}>
          Touchpoint, stage and segment filters apply to customers. Leaders answer about the whole experience, so only the period applies to them.
        </p>
      ) : null}
      {dim ? (
        <div className="side-by-side">
          {(['leader', 'customer'] as const).map((p) => {
            const stat = p === 'leader' ? dimRow?.leaders : dimRow?.customers;
            return (
              <section key={p} className="card" aria-labelledby={`${id}-${p}`}>
                <h2 id={`${id}-${p}`}>
                  <span className={`swatch ${p === 'leader' ? 'leaders' : 'customers'}`} aria-hidden="true" />
                  {p === 'leader' ? 'Leaders' : 'Customers'} on {dim.label.toLowerCase()}
                </h2>
                <p className="small muted num" style={{ marginBottom: 10, minHeight: '1.5em' }}>
                  {p === 'customer' && dim.customerItem === null
                    ? 'Customers are not asked about this dimension.'
                    : stat && !isSuppressed(stat)
                      ? `${p === 'leader' ? 'Predicted' : 'Rated'} ${fixed(stat.mean, 2)} of 5 on average (n = ${count(stat.n)})`
                      : stat && isSuppressed(stat)
                        ? `Average hidden: ${stat.reason}`
                        : '\u00a0'}
                </p>
                {p === 'customer' && dim.customerItem === null ? null : (
                  <QuoteList
                    path={orgPath(orgId, `verbatims${params({ perspective: p, dimension: dim.key })}`)}
                    label={`${p === 'leader' ? 'Leaders’' : 'Customers’'} comments`}
                    dimensionLabel={dim.label}
                    perspective={p}
                    emptyText={emptyText}
                  />
                )}
              </section>
            );
          })}
        </div>
      ) : (
        <QuoteList
          path={orgPath(orgId, `verbatims${params({ perspective: persp })}`)}
          label="Comments"
          perspective={persp}
          emptyText={emptyText}
        />
      )}
    </div>
  );
}
