// Small shared pieces: loading, error and empty states, severity and status badges, sections.
import type { ComponentChildren } from 'preact';
import type { Query } from '../hooks';

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function ErrorBox({ error }: { error: Error }) {
  return (
    <p class="error" role="alert">
      {error.message}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <div class="empty">{children}</div>;
}

/** Renders a query's data, or its loading/error state; every panel of a page loads on its own. */
export function Loaded<T>({ q, what, children }: { q: Query<T>; what: string; children: (data: T) => ComponentChildren }) {
  if (q.data !== undefined) return <>{children(q.data)}</>;
  if (q.error) return <ErrorBox error={q.error} />;
  return <Loading what={what} />;
}

export function Badge({ tone, children, title }: { tone: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge tone-${tone}`} title={title}>
      {children}
    </span>
  );
}

export const severityTone = (s: string): string => ({ critical: 'bad', high: 'bad', medium: 'warn', low: 'info' })[s] ?? 'info';
export const statusTone = (s: string): string =>
  ({
    resolved: 'ok',
    mitigated: 'info',
    acknowledged: 'warn',
    triggered: 'bad',
    passing: 'ok',
    failing: 'bad',
    pass: 'ok',
    fail: 'bad',
    ok: 'ok',
    warning: 'warn',
    breaching: 'bad',
  })[s] ?? 'info';

export function Section({ title, children, id, actions }: { title: string; children: ComponentChildren; id?: string; actions?: ComponentChildren }) {
  return (
    <section class="panel" aria-labelledby={id ? `${id}-h` : undefined}>
      <div class="panel-head">
        <h2 id={id ? `${id}-h` : undefined}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
