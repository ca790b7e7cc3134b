// The web UI's server side: sessions from an API key, the login page and the built app's files.
export { SessionStore, SESSION_COOKIE, sessionIdOf, defaultSessionOptions, storedSessions, type SessionOptions, type SessionPersistence } from './sessions.js';
export { UiAssets, defaultUiDir } from './assets.js';
export { registerUiRoutes, uiPaths, contentSecurityPolicy, type UiRouteOptions } from './routes.js';
export { safeNext } from './login-page.js';
