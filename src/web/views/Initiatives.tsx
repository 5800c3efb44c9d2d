// Initiatives (issue 13, the outer loop): the organisation's initiatives, a form for a new one (admins and
// analysts), and a page per initiative with its measured effect (views/initiatives/*): the target before
// and after, the difference-in-differences against untouched touchpoints, and the leaders' belief.
import { Link, Route, Switch, useLocation } from 'wouter';
import { orgPath, useOrg } from '../lib/org.tsx';
import { useApi, type Resource } from '../lib/use-api.ts';
import { usePageTitle } from '../components/Shell.tsx';
import { Card } from '../components/Card.tsx';
import { EmptyState, ErrorState, Loading } from '../components/states.tsx';
import { NewInitiative } from './initiatives/NewInitiative.tsx';
import { InitiativePage } from './initiatives/InitiativePage.tsx';
import { goalText, STATUS_LABELS, targetText, type InitiativeView } from './initiatives/model.ts';
import { DataTable } from '../components/DataTable.tsx';

function InitiativeList({ list }: { list: Resource<{ initiatives: InitiativeView[] }> }) {
  const { journey, framework } = useOrg();
  return (
    <Card id="ini-list" title="Initiatives">
      {list.error && !list.data ? (
        <ErrorState error={list.error} onRetry={list.reload} title="The initiatives could not be loaded" />
      ) : !list.data ? (
        <Loading label="initiatives" height={120} />
      ) : list.data.initiatives.length === 0 ? (
        <EmptyState title="No initiatives yet">An initiative names who owns an improvement, what it should move and by how much; Parallax then measures whether it did.</EmptyState>
      ) : (
        <DataTable
          caption="Initiatives, newest start first"
          scroll={false}
          columns={[{ label: 'Initiative' }, { label: 'Target' }, { label: 'Goal' }, { label: 'Owner' }, { label: 'Start' }, { label: 'Status' }]}
        >
          {list.data.initiatives.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                <Link href={`/${encodeURIComponent(i.id)}`}>{i.title}</Link>
              </th>
              <td>{targetText(i, journey.data?.stages, framework.data?.dimensions)}</td>
              <td>{goalText(i)}</td>
              <td>{i.owner.name ?? i.owner.email ?? 'former member'}</td>
              <td>{i.start}</td>
              <td>{STATUS_LABELS[i.status]}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

function InitiativesHome() {
  usePageTitle('Initiatives');
  const { orgId, membership } = useOrg();
  const [, navigate] = useLocation();
  const list = useApi<{ initiatives: InitiativeView[] }>(orgPath(orgId, 'initiatives'));
  return (
    <div className="page">
      <div className="page-head">
        <h1>Initiatives</h1>
        <p>Who owns each improvement, what it should move, and whether it did: the target before and after its start, against touchpoints it did not touch.</p>
      </div>
      <div className="grid">
        <InitiativeList list={list} />
        {membership.canSetup && (
          <NewInitiative
            onCreated={(i) => {
              list.reload();
              navigate(`/${encodeURIComponent(i.id)}`);
            }}
          />
        )}
      </div>
    </div>
  );
}

export default function Initiatives() {
  return (
    <Switch>
      <Route path="/" component={InitiativesHome} />
      <Route path="/:id">{(p: { id: string }) => <InitiativePage id={decodeURIComponent(p.id)} />}</Route>
    </Switch>
  );
}
