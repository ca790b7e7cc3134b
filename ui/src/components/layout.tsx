// The frame around every page: navigation, theme switch, sign-out, and global keyboard shortcuts
// (g h home, g l logs, g m map, / focus the page's search).
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { navigate } from '../router';

const links: Array<[string, string]> = [
  ['/', 'Home'],
  ['/incidents', 'Incidents'],
  ['/services', 'Services'],
  ['/map', 'Map'],
  ['/logs', 'Logs'],
  ['/deployments', 'Deployments'],
  ['/checks', 'Checks'],
  ['/slos', 'SLOs'],
];

const shortcuts: Record<string, string> = { h: '/', i: '/incidents', s: '/services', m: '/map', l: '/logs', d: '/deployments', c: '/checks', o: '/slos' };

function initialTheme(): 'light' | 'dark' {
  const saved = localStorage.getItem('vigil.theme');
  if (saved === 'light' || saved === 'dark') return saved;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const [theme, setTheme] = useState(initialTheme);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    let pendingG = 0;
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable]') || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-search]');
        if (search) {
          e.preventDefault();
          search.focus();
        }
      } else if (e.key === 'g') pendingG = Date.now();
      else if (Date.now() - pendingG < 1500 && shortcuts[e.key]) {
        pendingG = 0;
        navigate(shortcuts[e.key] as string);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const active = (href: string): boolean => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/">
          Vigil
        </a>
        <nav aria-label="Main">
          <ul>
            {links.map(([href, label]) => (
              <li key={href}>
                <a href={href} aria-current={active(href) ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="spacer" />
        <span class="kbd-help" title="g h home · g i incidents · g s services · g m map · g l logs · g d deployments · g c checks · g o SLOs · / search">
          Keys: g h, g l, /
        </span>
        <button
          type="button"
          onClick={() =>
            setTheme((t) => {
              const next = t === 'dark' ? 'light' : 'dark';
              localStorage.setItem('vigil.theme', next);
              return next;
            })
          }
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        >
          {theme === 'dark' ? 'Light' : 'Dark'}
        </button>
        <form method="post" action="/logout">
          <button type="submit">Sign out</button>
        </form>
      </header>
      <main id="main">{children}</main>
    </>
  );
}
