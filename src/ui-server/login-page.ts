// The login page: one password field for an API key, posted as a plain form so it works before
// any script loads. Rendered by the server (not the app) so a deep link without a session lands
// here and returns to where it pointed after login.

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Only a path on this server may be a return address: never `//other.site` or `https://…`. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 2000) return '/';
  if ([...next].some((c) => c.charCodeAt(0) < 0x20)) return '/';
  return next;
}

export function loginPage(o: { next: string; error?: string }): string {
  const error = o.error ? `<p class="error" role="alert">${escapeHtml(o.error)}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Vigil</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { display: grid; place-items: center; min-height: 100vh; margin: 0; background: Canvas; color: CanvasText; }
main { width: min(24rem, 90vw); }
h1 { font-size: 1.4rem; }
label { display: block; margin: 1rem 0 .3rem; font-weight: 600; }
input { width: 100%; box-sizing: border-box; padding: .6rem; font: inherit; }
button { margin-top: 1rem; padding: .6rem 1.2rem; font: inherit; cursor: pointer; }
.error { color: #b3261e; font-weight: 600; }
@media (prefers-color-scheme: dark) { .error { color: #ffb4ab; } }
p.hint { font-size: .9rem; opacity: .8; }
</style>
</head>
<body>
<main>
<h1>Vigil</h1>
${error}
<form method="post" action="/login">
<input type="hidden" name="next" value="${escapeHtml(o.next)}">
<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form>
<p class="hint">A key with the read scope views; the write scope acknowledges and resolves. <code>vigil start</code> prints the admin key on its first start.</p>
</main>
<script src="/login.js"></script>
</body>
</html>`;
}

/**
 * A link from Slack or an email is a cross-site navigation, which does not carry a SameSite=Strict
 * cookie, so a signed-in user lands here. A same-origin request does carry it: when it shows a
 * live session, go on to the link (once, so a browser that drops the cookie cannot loop).
 */
export const loginScript = `(() => {
  const next = document.querySelector('input[name=next]').value;
  if (sessionStorage.getItem('vigil.bounced') === next) { sessionStorage.removeItem('vigil.bounced'); return; }
  fetch('/api/v1/session', { credentials: 'same-origin' }).then((r) => {
    if (r.ok) { sessionStorage.setItem('vigil.bounced', next); location.replace(next); }
  }, () => {});
})();
`;
