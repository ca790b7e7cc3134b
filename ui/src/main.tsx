// The app's entry: routes the path to a page inside the layout. Paths are the contract's deep
// links (/incidents/ID, /services/NAME, /traces/TRACEID, /logs, /map, /deployments, /checks, /slos).
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import { Layout } from './components/layout';
import { onLinkClick, useRoute } from './router';
import { Home } from './pages/home';
import { IncidentPage } from './pages/incident';
import { ChecksPage, DeploymentsPage, IncidentsPage, ServicesPage, SlosPage } from './pages/lists';
import { LogsPage } from './pages/logs';
import { MapPage } from './pages/map';
import { ServicePage } from './pages/service';
import { TracePage } from './pages/trace';
import './styles.css';

function Page({ path, query }: { path: string; query: URLSearchParams }) {
  const m = (re: RegExp): string | undefined => {
    const hit = re.exec(path)?.[1];
    return hit === undefined ? undefined : decodeURIComponent(hit);
  };
  const incident = m(/^\/incidents\/([^/]+)\/?$/);
  if (incident) return <IncidentPage id={incident} key={incident} />;
  const service = m(/^\/services\/([^/]+)\/?$/);
  if (service) return <ServicePage name={service} query={query} key={service} />;
  const trace = m(/^\/traces\/([^/]+)\/?$/);
  if (trace) return <TracePage traceId={trace} selected={query.get('span')} key={trace} />;
  switch (path.replace(/\/$/, '') || '/') {
    case '/':
      return <Home />;
    case '/incidents':
      return <IncidentsPage query={query} />;
    case '/services':
      return <ServicesPage />;
    case '/logs':
      return <LogsPage query={query} />;
    case '/map':
      return <MapPage query={query} />;
    case '/deployments':
      return <DeploymentsPage query={query} />;
    case '/checks':
      return <ChecksPage />;
    case '/slos':
      return <SlosPage />;
    default:
      return <p>No page at {path}.</p>;
  }
}

const titles: Array<[RegExp, string]> = [[/^\/incidents\/(.+)/, 'Incident #$1'], [/^\/services\/(.+)/, 'Service $1'], [/^\/traces\/(.{8})/, 'Trace $1…'], [/^\/logs/, 'Logs'], [/^\/map/, 'Service map'], [/^\/deployments/, 'Deployments'], [/^\/checks/, 'Checks'], [/^\/slos/, 'SLOs'], [/^\/incidents/, 'Incidents'], [/^\/services/, 'Services']];

function App() {
  const route = useRoute();
  useEffect(() => {
    const hit = titles.find(([re]) => re.test(route.path));
    document.title = hit ? `${decodeURIComponent(route.path.replace(hit[0], hit[1]))} · Vigil` : 'Vigil';
  }, [route.path]);
  return (
    <Layout path={route.path}>
      <Page path={route.path} query={route.query} />
    </Layout>
  );
}

document.addEventListener('click', onLinkClick);
render(<App />, document.getElementById('app') as HTMLElement);
