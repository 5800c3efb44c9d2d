// Verbatims: open comments, searchable and filtered like the reports. Choosing a dimension puts
// leaders' and customers' comments side by side, each with that side's rating of the dimension.
// Search, perspective, dimension and page live in the URL with the filters. Each quote shows its sentiment
// (a badge that says it in words, not by colour alone) and the dimensions and touchpoints it speaks about;
// the text is redacted ("[email]", "[name]"…) by the server. Sentiment and tag filters (issue 10).
import { useEffect, useId, useState, type CSSProperties, type ReactNode } from 'react';
import { useSearch } from 'wouter';
import { useOrg, orgPath, touchpointIndex } from '../lib/org.tsx';
import { useApi } from '../lib/use-api.ts';
import { parseFilters, reportQuery, useQueryUpdate } from '../lib/filters.ts';
import { isSuppressed, type GapReport, type SentimentLabel, type Verbatim, type VerbatimPage } from '../lib/types.ts';
import { count, fixed, monthLabel } from '../lib/format.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { EmptyState, ErrorState, Loading, SuppressedNote } from '../components/states.tsx';

const PAGE = 20;

/** The comment with every occurrence of the search words marked. */
function Highlighted({ text, q }: { text: string; q: string | undefined }) {
  const words = (q ?? '').trim();
  if (!words) return <>{text}</>;
  const parts: ReactNode[] = [];
  const lower = text.toLowerCase();
  const needle = words.toLowerCase();
  let i = 0;
  for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) {
    parts.push(text.slice(i, at), <mark key={at}>{text.slice(at, at + needle.length)}</mark>);
    i = at + needle.length;
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

export function SentimentBadge({ s }: { s: Verbatim['sentiment'] }) {
  const look = SENTIMENT_STYLE[s.label];
  return (
    <span className={look.className} style={look.style} title={`Sentiment score ${fixed(s.score, 2)} (−1 to +1)`}>
      <span className="sr-only">Sentiment: </span>
      {SENTIMENT_TEXT[s.label]}
    </span>
  );
}

function Quote({ v, q, tpLabel, dimLabel, dimensionLabel }: { v: Verbatim; q?: string; tpLabel: (k: string) => string; dimLabel: (k: string) => string; dimensionLabel?: string }) {
  const who = v.perspective === 'leader' ? 'Leader' : 'Customer';
  const tags = [...v.tags.dimensions.map(dimLabel), ...v.tags.touchpoints.map(tpLabel)];
  return (
    <li className={`quote ${v.perspective}`}>
      <blockquote>
        <Highlighted text={v.comment} q={q} />
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

function Pager({ total, offset, onPage, label }: { total: number; offset: number; onPage: (offset: number) => void; label: string }) {
  if (total <= PAGE) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" className="btn small" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - PAGE))}>
        ← Newer
      </button>
      <span className="num">
        {count(offset + 1)}–{count(Math.min(total, offset + PAGE))} of {count(total)}
      </span>
      <button type="button" className="btn small" disabled={offset + PAGE >= total} onClick={() => onPage(offset + PAGE)}>
        Older →
      </button>
    </nav>
  );
}

function QuoteList({
  path,
  q,
  label,
  offset,
  onPage,
  dimensionLabel,
  perspective,
  emptyText,
}: {
  path: string;
  q?: string;
  label: string;
  offset: number;
  onPage: (o: number) => void;
  dimensionLabel?: string;
  perspective?: 'customer' | 'leader';
  emptyText: string;
}) {
  const { journey, framework } = useOrg();
  const idx = touchpointIndex(journey.data?.stages);
  const tpLabel = (k: string) => idx.get(k)?.label ?? k;
  const dimLabel = (k: string) => framework.data?.dimensions.find((d) => d.key === k)?.label ?? k;
  const res = useApi<VerbatimPage>(path);
  const d = res.data;
  if (res.error && !d) return <ErrorState error={res.error} onRetry={res.reload} title="Comments could not be loaded" />;
  if (!d) return <Loading label="comments" lines={6} height={360} />;
  const hidden = Object.entries(d.suppressed) as ['customer' | 'leader', string][];
  return (
    <div aria-busy={res.loading}>
      <p className="small muted num" role="status" style={{ marginBottom: 8 }}>
        {res.loading ? 'Searching…' : `${count(d.total)} ${d.total === 1 ? 'comment' : 'comments'}`}
      </p>
      {hidden
        .filter(([p]) => !perspective || p === perspective)
        .map(([p, reason]) => (
          <div key={p} style={{ marginBottom: 8 }}>
            <SuppressedNote what={p === 'leader' ? 'Leaders’ comments' : 'Customers’ comments'} reason={reason} />
          </div>
        ))}
      {d.items.length === 0 ? (
        hidden.length && (perspective ? hidden.some(([p]) => p === perspective) : hidden.length === 2) ? null : (
          <EmptyState title="No comments">{emptyText}</EmptyState>
        )
      ) : (
        <ul className="quotes" aria-label={label}>
          {d.items.map((v) => (
            <Quote key={v.id} v={v} q={q} tpLabel={tpLabel} dimLabel={dimLabel} dimensionLabel={dimensionLabel} />
          ))}
        </ul>
      )}
      <Pager total={d.total} offset={offset} onPage={onPage} label={label} />
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
  // Admins may read the unredacted text; the server refuses anyone else and audits every view.
  const original = membership.canAdmin && sp.get('original') === 'true';
  const page = sp.get('offset') ?? undefined;
  const pageL = sp.get('loffset') ?? undefined;
  const update = useQueryUpdate();
  // A new search, perspective or dimension starts again at the first page.
  const setQ = (v: string | undefined, replace?: boolean) => update({ q: v, offset: undefined, loffset: undefined }, replace);
  const setPerspective = (v: string | undefined) => update({ perspective: v, offset: undefined, loffset: undefined });
  const setDimension = (v: string | undefined) => update({ dimension: v, offset: undefined, loffset: undefined });
  const setSentiment = (v: string | undefined) => update({ sentiment: v, offset: undefined, loffset: undefined });
  const setTag = (v: string | undefined) => update({ tag: v, offset: undefined, loffset: undefined });
  const setPage = (v: string | undefined) => update({ offset: v });
  const setPageL = (v: string | undefined) => update({ loffset: v });
  const [draft, setDraft] = useState(q ?? '');
  const id = useId();
  const offset = Number(page ?? 0) || 0;
  const offsetL = Number(pageL ?? 0) || 0;

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
    if (sentiment) p.set('sentiment', sentiment);
    if (tag) p.set('tag', tag);
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
          What customers and leaders wrote, in their own words. Quotes show the month only, never who wrote them; personal details such as names, e-mail
          addresses and phone numbers are replaced by [name], [email], [phone].
        </p>
      </div>
      <div className="toolbar">
        <div className="field grow">
          <label htmlFor={`${id}-q`}>Search comments</label>
          <input id={`${id}-q`} type="search" value={draft} placeholder="e.g. billing, refund, app" onChange={(e) => setDraft(e.target.value)} />
        </div>
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
        <div className="field">
          <label htmlFor={`${id}-dim`}>Compare on a dimension</label>
          <select id={`${id}-dim`} value={dimension ?? ''} onChange={(e) => setDimension(e.target.value || undefined)}>
            <option value="">No — one list</option>
            {dims.map((d) => (
              <option key={d.key} value={d.key}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sent`}>Sentiment</label>
          <select id={`${id}-sent`} value={sentiment ?? ''} onChange={(e) => setSentiment(e.target.value || undefined)}>
            <option value="">Any</option>
            <option value="negative">Negative</option>
            <option value="neutral">Neutral</option>
            <option value="positive">Positive</option>
          </select>
        </div>
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
                    path={orgPath(orgId, `verbatims${params({ perspective: p, dimension: dim.key, offset: String(p === 'leader' ? offsetL : offset) })}`)}
                    q={q}
                    label={`${p === 'leader' ? 'Leaders’' : 'Customers’'} comments`}
                    offset={p === 'leader' ? offsetL : offset}
                    onPage={(o) => (p === 'leader' ? setPageL(o ? String(o) : undefined) : setPage(o ? String(o) : undefined))}
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
          path={orgPath(orgId, `verbatims${params({ perspective: persp, offset: String(offset) })}`)}
          q={q}
          label="Comments"
          offset={offset}
          onPage={(o) => setPage(o ? String(o) : undefined)}
          perspective={persp}
          emptyText={emptyText}
        />
      )}
    </div>
  );
}
