// Start-up concerns of the server: the data-directory lock, the listeners' timeouts and TLS, and
// the one-line errors `vigil start` shows when either cannot be had.
export { lockDataDir, lockFileName, type DataDirLock } from './data-dir-lock.js';
export { grpcConnectionOptions, httpServerFactory, listenerSettings, listenOrExplain, type ListenerSettings, type ListenTarget } from './listeners.js';
export { StartupError, storeStartupError, type StartupErrorCode } from './startup-error.js';
