import { useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from './api/client';
import { QueryState } from './components/QueryState';
import { href, useHashRoute } from './hash-route';
import { JobPage } from './pages/JobPage';
import { KeysPage } from './pages/KeysPage';
import { ModelPage } from './pages/ModelPage';
import { ModelsPage } from './pages/ModelsPage';
import { OrganisationPage } from './pages/OrganisationPage';
import { SignInPage } from './pages/SignInPage';
import { TrainingPage } from './pages/TrainingPage';
import { UsagePage } from './pages/UsagePage';
import { useSession } from './session';

export function App() {
  const { token } = useSession();
  return token ? <SignedIn /> : <SignInPage />;
}

function SignedIn() {
  const { signOut } = useSession();
  const route = useHashRoute();
  const me = useQuery({ queryKey: ['me'], queryFn: async () => unwrap(await api.GET('/v1/me')) });
  const [page, name] = route;
  return (
    <div className="layout">
      <header>
        <strong>MaaS</strong>
        <nav aria-label="Main">
          <a href={href('models')} aria-current={page === 'models' || !page ? 'page' : undefined}>
            Models
          </a>
          <a href={href('keys')} aria-current={page === 'keys' ? 'page' : undefined}>
            API keys
          </a>
          <a href={href('training')} aria-current={page === 'training' ? 'page' : undefined}>
            Training
          </a>
          <a href={href('usage')} aria-current={page === 'usage' ? 'page' : undefined}>
            Usage
          </a>
          <a href={href('organisation')} aria-current={page === 'organisation' ? 'page' : undefined}>
            Organisation
          </a>
        </nav>
        <QueryState query={me}>
          {(who) => (
            <span className="muted">
              {who.user?.email} · {who.tenant.name} ({who.tenant.plan.toLowerCase()} plan{who.tenant.limits ? `, ${who.tenant.limits.requestsPerMinute.toLocaleString()} req/min` : ''})
            </span>
          )}
        </QueryState>
        <button onClick={() => void signOut()}>Log out</button>
      </header>
      <main>
        <Page page={page} name={name} me={me.data} />
      </main>
    </div>
  );
}

function Page({ page, name, me }: { page?: string; name?: string; me?: Schemas['MeResponseDto'] }) {
  if (page === 'organisation') return me ? <OrganisationPage me={me} /> : null;
  if (page === 'keys') return <KeysPage />;
  if (page === 'usage') return <UsagePage />;
  if (page === 'training') return name ? <JobPage id={name} /> : <TrainingPage />;
  if (page === 'models' && name) return <ModelPage name={name} />;
  return <ModelsPage />;
}
