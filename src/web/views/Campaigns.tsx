// Campaigns (issue 12): the organisation's contacts (counts, CSV upload with its dry run), a form for a new
// campaign, the list of campaigns, and a page per campaign with its figures and the non-response check
// (views/campaigns/*). Admins and analysts only, as the campaigns and contacts API (access "setup").
import { Link, Route, Switch, useLocation } from 'wouter';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useApi, type Resource } from '../lib/use-api.ts';
import { count } from '../../core/number-format.ts';
import type { CampaignView } from '../../server/routes/campaigns.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { Card } from '../components/Card.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { ContactsCard, type ContactCounts } from './campaigns/ContactsCard.tsx';
import { NewCampaign } from './campaigns/NewCampaign.tsx';
import { CampaignPage } from './campaigns/CampaignPage.tsx';
import { DataTable } from '../components/DataTable.tsx';

function CampaignList({ list }: { list: Resource<{ campaigns: CampaignView[] }> }) {
  return (
    <Card id="cmp-list" title="Campaigns">
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} title="The campaigns could not be loaded" />
      ) : !list.data ? (
        <Loading label="campaigns" height={120} />
      ) : list.data.campaigns.length === 0 ? (
        <EmptyState title="No campaigns yet">Upload contacts, then create a campaign below.</EmptyState>
      ) : (
        <DataTable
          caption="Campaigns, newest first"
          scroll={false}
          columns={[{ label: 'Name' }, { label: 'To' }, { label: 'Sends' }, { label: 'Reminders', numeric: true }]}
        >
          {list.data.campaigns.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <Link href={`/${encodeURIComponent(c.id)}`}>{c.name}</Link>
              </th>
              <td>{c.perspective === 'leader' ? 'Leaders' : 'Customers'}</td>
              <td>{new Date(c.sendAt).toLocaleString()}</td>
              <td className="num">{c.maxReminders ? `${count(c.maxReminders)} after ${c.reminderDays} d` : '—'}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

function CampaignsHome() {
  usePageTitle('Campaigns');
  const { orgId } = useOrg();
  const [, navigate] = useLocation();
  const counts = useApi<ContactCounts>(orgPath(orgId, 'contact-counts'));
  const list = useApi<{ campaigns: CampaignView[] }>(orgPath(orgId, 'campaigns'));
  return (
    <div className="page">
      <div className="page-head">
        <h1>Campaigns</h1>
        <p>Invite your customers and leaders by e-mail, remind those who have not answered, and see whether those who answered look like those you asked.</p>
      </div>
      <div className="grid">
        <CampaignList list={list} />
        <ContactsCard counts={counts} />
        <NewCampaign
          onCreated={(c) => {
            list.reload();
            counts.reload();
            navigate(`/${encodeURIComponent(c.id)}`);
          }}
        />
      </div>
    </div>
  );
}

export default function Campaigns() {
  const { membership } = useOrg();
  if (!membership.canSetup)
    return (
      <div className="page">
        <EmptyState title="Campaigns">Only admins and analysts can see contacts and send campaigns.</EmptyState>
      </div>
    );
  return (
    <Switch>
      <Route path="/" component={CampaignsHome} />
      <Route path="/:id">{(p: { id: string }) => <CampaignPage id={decodeURIComponent(p.id)} />}</Route>
    </Switch>
  );
}
