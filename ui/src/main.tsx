// The app's entry: routes the path to a page inside the layout. Paths are the contract's deep
// links (/incidents/ID, /services/NAME, /traces/TRACEID, /logs, /map, /deployments, /checks, /slos).
import { render, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { prefetch } from './api';
import { Layout } from './components/layout';
import { Loading } from './components/ui';
import { firstReads } from './pages/first-reads';
import { onLinkClick, useRoute } from './router';
import './styles.css';

// Each page is its own chunk: a deep link to an incident runs the incident page's code, not the
// charts, map and log view of the others (the entry stays small, so the page paints sooner).
type Loader = () => Promise<Record<string, unknown>>;
const pages = {
  home: () => import('./pages/home'),
  incident: () => import('./pages/incident'),
  lists: () => import('./pages/lists'),
  logs: () => import('./pages/logs'),
  map: () => import('./pages/map'),
  service: () => import('./pages/service'),
  trace: () => import('./pages/trace'),
} satisfies Record<string, Loader>;
const loaded = new Map<Loader, Record<string, unknown>>();

function Lazy({ load, name, props }: { load: Loader; name: string; props: Record<string, unknown> }) {
  const [, setLoads] = useState(0);
  const [error, setError] = useState<Error>();
  const mod = loaded.get(load);
  useEffect(() => {
    if (loaded.has(load)) return undefined;
    let live = true;
    load().then(
      (m) => {
        loaded.set(load, m);
        if (live) setLoads((n) => n + 1);
      },
      (e: Error) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (error)
    return (
      <p class="error" role="alert">
        This page could not load ({error.message}); reload to try again.
      </p>
    );
  const Component = mod?.[name] as ComponentType<Record<string, unknown>> | undefined;
  return Component ? <Component {...props} /> : <Loading what="the page" />;
}

function Page({ path, query }: { path: string; query: URLSearchParams }) {
  const m = (re: RegExp): string | undefined => {
    const hit = re.exec(path)?.[1];
    return hit === undefined ? undefined : decodeURIComponent(hit);
  };
  const incident = m(/^\/incidents\/([^/]+)\/?$/);
  if (incident) return <Lazy load={pages.incident} name="IncidentPage" props={{ id: incident }} key={incident} />;
  const service = m(/^\/services\/([^/]+)\/?$/);
  if (service) return <Lazy load={pages.service} name="ServicePage" props={{ name: service, query }} key={service} />;
  const trace = m(/^\/traces\/([^/]+)\/?$/);
  if (trace) return <Lazy load={pages.trace} name="TracePage" props={{ traceId: trace, selected: query.get('span') }} key={trace} />;
  switch (path.replace(/\/$/, '') || '/') {
    case '/':
      return <Lazy load={pages.home} name="Home" props={{}} />;
    case '/incidents':
      return <Lazy load={pages.lists} name="IncidentsPage" props={{ query }} />;
    case '/services':
      return <Lazy load={pages.lists} name="ServicesPage" props={{}} />;
    case '/logs':
      return <Lazy load={pages.logs} name="LogsPage" props={{ query }} />;
    case '/map':
      return <Lazy load={pages.map} name="MapPage" props={{ query }} />;
    case '/deployments':
      return <Lazy load={pages.lists} name="DeploymentsPage" props={{ query }} />;
    case '/checks':
      return <Lazy load={pages.lists} name="ChecksPage" props={{}} />;
    case '/slos':
      return <Lazy load={pages.lists} name="SlosPage" props={{}} />;
    default:
      return <p>No page at {path}.</p>;
  }
}

const titles: Array<[RegExp, string]> = [
  [/^\/incidents\/(.+)/, 'Incident #$1'],
  [/^\/services\/(.+)/, 'Service $1'],
  [/^\/traces\/(.{8})/, 'Trace $1…'],
  [/^\/logs/, 'Logs'],
  [/^\/map/, 'Service map'],
  [/^\/deployments/, 'Deployments'],
  [/^\/checks/, 'Checks'],
  [/^\/slos/, 'SLOs'],
  [/^\/incidents/, 'Incidents'],
  [/^\/services/, 'Services'],
];

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

// The first page's data is asked for now, while its code is still on the way.
try {
  for (const url of firstReads(location.pathname, new URLSearchParams(location.search))) prefetch(url);
} catch {
  // A malformed path: the page says so once it renders.
}
document.addEventListener('click', onLinkClick);
render(<App />, document.getElementById('app') as HTMLElement);
