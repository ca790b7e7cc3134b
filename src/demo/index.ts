// The live demo shop's public surface: start it, inject and clear faults, read its status.

export { startDemoShop } from './shop.js';
export type { DemoShop, DemoShopOptions, DemoShopStatus } from './shop.js';
export { startDemoShopThread } from './shop-thread.js';
export type { DemoShopHandle } from './shop-thread.js';
export type { FaultStatus } from './faults.js';
export { CONTROL_PREFIX } from './control.js';
export { startVigilChild, freePort, vigilBin, vigilLauncher } from './vigil-process.js';
export type { VigilChild, VigilChildOptions } from './vigil-process.js';
export { runReplayDrill, waitForWatermark, listIncidents } from './drill.js';
export type { DrillOptions } from './drill.js';
export type { DrillResult } from './drill-score.js';
export { formatDrillTable } from './drill-report.js';
export { runLiveDrill, LiveDrillAborted, LiveDrillError } from './live-drill.js';
export type { LiveDrillOptions } from './live-drill.js';
export { demoDetectionProfile, ensureDemoConfig } from './demo-profile.js';
export { IncidentWatch } from './incident-watch.js';
export type { WatchedIncident } from './incident-watch.js';
