// The public status page as HTML: no script, no external asset, every text escaped. It renders the
// public model only (page.ts), so nothing internal can reach it.
import type { ComponentStatus, StatusPage } from './page.js';

const label: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded: 'Degraded performance',
  outage: 'Outage',
};
const banner: Record<ComponentStatus, string> = {
  operational: 'All systems operational',
  degraded: 'Some systems are degraded',
  outage: 'Some systems are down',
};
const colour: Record<ComponentStatus, string> = { operational: '#1a7f37', degraded: '#9a6700', outage: '#cf222e' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const time = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

export function renderStatusHtml(page: StatusPage, nowMs: number): string {
  const e = escapeHtml;
  const components = page.components.length
    ? page.components
        .map(
          (c) =>
            `<li class="component"><span>${e(c.name)}</span><strong style="color:${colour[c.status]}" data-status="${c.status}">${label[c.status]}</strong></li>`,
        )
        .join('\n')
    : '<li class="component"><span>No components are configured.</span></li>';
  const incidents = page.incidents.length
    ? page.incidents
        .map((i) => {
          const updates = i.updates.length
            ? i.updates.map((u) => `<li><time>${time(u.atMs)}</time> <b>${e(u.status)}</b> — ${e(u.text)}</li>`).join('\n')
            : '<li>We are aware of the problem and investigating.</li>';
          return `<article class="incident" data-status="${i.status}"><h3>${e(i.title)}</h3><p>Since ${time(i.startedAtMs)}${i.resolvedAtMs !== undefined ? `, resolved ${time(i.resolvedAtMs)}` : ''}</p><ul>${updates}</ul></article>`;
        })
        .join('\n')
    : '<p>No incidents in the last 24 hours.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="60"><title>${e(page.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
.banner{padding:1rem;border-radius:6px;color:#fff;font-weight:600}ul{padding:0;list-style:none}
.component{display:flex;justify-content:space-between;padding:.6rem 0;border-bottom:1px solid #d0d7de}
.incident{border-left:4px solid #d0d7de;padding-left:1rem;margin:1rem 0}.incident li{margin:.4rem 0}time{color:#57606a}</style>
</head><body>
<h1>${e(page.title)}</h1>
<p class="banner" style="background:${colour[page.overall]}" data-status="${page.overall}">${banner[page.overall]}</p>
<h2>Components</h2>
<ul>${components}</ul>
<h2>Incidents</h2>
${incidents}
<footer><p>Updated ${time(nowMs)}</p></footer>
</body></html>
`;
}
