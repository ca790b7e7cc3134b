// The public status page and stakeholder updates: configuration, the pure page model, the HTML
// rendering and the plain-language update composer.
export { statusConfigSchema } from './config.js';
export type { StatusConfig, StatusComponent } from './config.js';
export { buildStatusPage, componentsOf, impactOf, publicTitle, resolvedShownForMs } from './page.js';
export type { StatusPage, ComponentStatus, PublicIncident, PublicUpdate, StatusIncidentFact } from './page.js';
export { renderStatusHtml, escapeHtml } from './html.js';
export { composeUpdate, stakeholderEventFor, stakeholderEvents } from './updates.js';
export type { SpokenState, StakeholderEvent, UpdateFacts } from './updates.js';
export type { StakeholderUpdate } from './stakeholder-update.js';
