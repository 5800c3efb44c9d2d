// One campaign: what happened to its messages (invited, sent, delivered, opened, started, completed,
// unsubscribed, bounced), its response rate with the Wilson interval, and the non-response check — per
// attribute the chi-square test with its Holm-adjusted p, per value the response rate, the shares among
// those invited and among respondents, the under-represented flag and the post-stratification weight —
// said first in plain words ("Respondents from APAC are under-represented: …"); then the customer figures
// weighted by one of those attributes (WeightedFigures.tsx).
import { useState } from 'react';
import { Link } from 'wouter';
import { orgPath, touchpointIndex, useOrg } from '../../lib/org.tsx';
import { useApi } from '../../lib/use-api.ts';
import { count, fixed, pct, pctInterval, pValue } from '../../../core/number-format.ts';
import { nonResponseSentences, type NonResponse } from './nonresponse-words.ts';
import type { AttributeCheck } from '../../../core/nonresponse.ts';
import type { SegmentDeclaration } from '../../../core/segments.ts';
import type { CampaignStatsView, CampaignView } from '../../../server/routes/campaigns.ts';
import { usePageTitle } from '../../components/Shell.tsx';
import { Card } from '../../components/Card.tsx';
import { ReportFrame } from '../analyses-parts.tsx';
import { WeightedFigures } from './WeightedFigures.tsx';
import { DataTable } from '../../components/DataTable.tsx';

interface Detail {
  campaign: CampaignView;
  stats: CampaignStatsView;
  messages: Record<string, number>;
}

const FIGURES: { key: keyof CampaignStatsView; label: string; hint: string }[] = [
  { key: 'invited', label: 'Invited', hint: 'contacts the campaign picked' },
  { key: 'sent', label: 'Sent', hint: 'the mail server answered' },
  { key: 'delivered', label: 'Delivered', hint: 'accepted by the mail server' },
  { key: 'opened', label: 'Opened', hint: 'at least: images may be blocked' },
  { key: 'started', label: 'Started', hint: 'opened the survey' },
  { key: 'completed', label: 'Completed', hint: 'answered' },
  { key: 'unsubscribed', label: 'Unsubscribed', hint: 'will get no more mail' },
  { key: 'bounced', label: 'Bounced', hint: 'refused by the mail server' },
];

function Figures({ s }: { s: CampaignStatsView }) {
  return (
    <dl style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))', gap: 12, margin: 0 }}>
      {FIGURES.map((f) => (
        <div key={f.key} className="big-figure">
          <dt className="label">{f.label}</dt>
          <dd className="value" style={{ margin: 0, fontSize: '1.8rem' }}>
            {count(s[f.key] as number)}
          </dd>
          <dd className="sub" style={{ margin: 0 }}>
            {f.hint}
          </dd>
        </div>
      ))}
    </dl>
  );
}

function AttributeTable({ a, label, valueLabel }: { a: AttributeCheck; label: string; valueLabel: (v: string) => string }) {
  const test =
    a.chiSquare === null
      ? 'not testable (one value only, or everyone or no one answered)'
      : `χ² = ${fixed(a.chiSquare, 2)}, df = ${a.df}, ${pValue(a.pValue)}; Holm-adjusted ${pValue(a.holm)}`;
  return (
    <div className="stack" style={{ gap: 6 }}>
      <h3 style={{ margin: 0 }}>
        {label} <span className="muted small">· {test}</span>
      </h3>
      <DataTable
        caption={`Response by ${label.toLowerCase()}: ${test}`}
        label={`Response by ${label.toLowerCase()}`}
        columns={[{ label }, { label: 'Delivered', numeric: true }, { label: 'Answered', numeric: true }, { label: 'Response rate (95% CI)', numeric: true }, { label: 'Share of invited', numeric: true }, { label: 'Share of respondents', numeric: true }, { label: 'Under-represented' }, { label: 'Weight', numeric: true }]}
      >
        {a.values.map((v) => (
          <tr key={v.value}>
            <th scope="row">{valueLabel(v.value)}</th>
            <td className="num">{count(v.invited)}</td>
            <td className="num">{count(v.responded)}</td>
            <td className="num">
              {pct(v.responseRate)} ({pctInterval(v.responseRateInterval)})
            </td>
            <td className="num">{pct(v.shareInvited)}</td>
            <td className="num">{pct(v.shareRespondents)}</td>
            <td>{v.underRepresented ? <strong>Yes</strong> : 'No'}</td>
            <td className="num">{v.weight === null ? '—' : fixed(v.weight, 2)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

export function CampaignPage({ id }: { id: string }) {
  const { orgId, journey } = useOrg();
  const detail = useApi<Detail>(orgPath(orgId, `campaigns/${encodeURIComponent(id)}`));
  const nr = useApi<NonResponse>(orgPath(orgId, `campaigns/${encodeURIComponent(id)}/nonresponse`));
  const declared = useApi<{ segments: SegmentDeclaration[] }>(orgPath(orgId, 'segments'));
  usePageTitle(detail.data ? `Campaign: ${detail.data.campaign.name}` : 'Campaign');
  const tps = touchpointIndex(journey.data?.stages);
  const decl = (k: string) => declared.data?.segments.find((d) => d.key === k);
  const labelOf = (attribute: string) => (attribute === 'touchpoint' ? 'Touchpoint' : (decl(attribute)?.label ?? attribute));
  const valueLabel = (attribute: string, value: string) => {
    if (value === '(none)') return 'no value';
    if (attribute === 'touchpoint') return tps.get(value)?.label ?? value;
    const d = decl(attribute);
    return (d?.kind === 'values' ? d.values.find((v) => v.value === value)?.label : undefined) ?? value;
  };
  const [refreshes, setRefreshes] = useState(0);
  const reload = () => {
    detail.reload();
    nr.reload();
    setRefreshes((n) => n + 1);
  };
  return (
    <div className="page">
      <p className="small">
        <Link href="/">← All campaigns</Link>
      </p>
      <div className="page-head">
        <h1>{detail.data ? detail.data.campaign.name : 'Campaign'}</h1>
        {detail.data && (
          <p>
            {detail.data.campaign.perspective === 'leader' ? 'Leaders, mirror survey' : 'Customers, customer survey'} · {new Date(detail.data.campaign.sendAt) > new Date() ? 'goes out' : 'sent from'}{' '}
            {new Date(detail.data.campaign.sendAt).toLocaleString()}
            {detail.data.campaign.maxReminders > 0 ? ` · up to ${detail.data.campaign.maxReminders} reminder(s) after ${detail.data.campaign.reminderDays} days` : ''}
          </p>
        )}
        <button type="button" className="btn small" onClick={reload} disabled={detail.loading || nr.loading}>
          Refresh
        </button>
        <span className="updating" aria-live="polite">
          {detail.loading && detail.data ? 'Updating…' : ''}
        </span>
      </div>
      <ReportFrame res={detail} what="campaign" height={200}>
        {(d) => (
          <>
            <Card id="cmp-figures" title="Messages and answers" hint="opened is a lower bound: many mail clients block the image that counts it">
              <Figures s={d.stats} />
              <p style={{ margin: '16px 0 0' }}>
                {d.stats.responseRate === null || d.stats.responseRateInterval === null ? (
                  'No response rate yet: nothing has been delivered.'
                ) : (
                  <>
                    Response rate <strong>{pct(d.stats.responseRate)}</strong> (95% CI {pctInterval(d.stats.responseRateInterval)}): {count(d.stats.completed)} answered of {count(d.stats.delivered)}{' '}
                    delivered.
                  </>
                )}
                {Object.keys(d.messages).length > 0 && (
                  <span className="muted small">
                    {' '}
                    Messages: {Object.entries(d.messages).map(([k, n]) => `${k} ${count(n)}`).join(' · ')}.
                  </span>
                )}
              </p>
            </Card>
          </>
        )}
      </ReportFrame>
      <div style={{ height: 16 }} />
      <ReportFrame res={nr} what="non-response check" height={240}>
        {(n) => (
          <Card id="cmp-nonresponse" title="Do the respondents look like those invited?" hint={`${count(n.responded)} answered of ${count(n.delivered)} delivered`}>
            <div className="stack" id="nonresponse-summary">
              {nonResponseSentences(n, labelOf, valueLabel).map((s, i) => (
                <p key={i} style={{ margin: 0 }}>
                  {s}
                </p>
              ))}
            </div>
            <div className="stack" style={{ marginTop: 16 }}>
              {n.attributes.map((a) => (
                <AttributeTable key={a.attribute} a={a} label={labelOf(a.attribute)} valueLabel={(v) => valueLabel(a.attribute, v)} />
              ))}
            </div>
            <p className="muted small" style={{ marginBottom: 0 }}>
              Per attribute, a chi-square test of value × answered over the delivered invitations, its p adjusted across attributes with Holm. A value is under-represented when its adjusted
              residual is below −1.96 in an attribute significant after Holm. Its weight (share of invited ÷ share of respondents) makes the respondents’ mix match those invited.
            </p>
          </Card>
        )}
      </ReportFrame>
      {detail.data?.campaign.perspective === 'customer' && nr.data && nr.data.attributes.length > 0 && (
        <>
          <div style={{ height: 16 }} />
          <WeightedFigures campaignId={id} attributes={nr.data.attributes.map((a) => a.attribute)} labelOf={labelOf} valueLabel={valueLabel} refreshes={refreshes} />
        </>
      )}
    </div>
  );
}
