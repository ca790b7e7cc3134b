// Post-incident reviews' public surface (pure): the generated review and its exports, detection
// and response times, recurrence, action items' lifecycle, and the shared document renderer.
export { buildReview, editableSections, responseTargets, type Review, type ReviewInput, type EditableSection, type SectionEdit } from './review.js';
export { incidentMetrics, identifiedAt, resolvingNote, type IncidentMetrics } from './metrics.js';
export { repeatOf, findRepeats, resurfacedActionItems, REPEAT_WINDOW_MS, REPEAT_SIMILARITY, type RepeatOf } from './recurrence.js';
export { setActionItemStatus, changeActionItem, isOverdue, actionItemView, type ActionItemView, type ActionItemChange } from './action-items.js';
export { renderMarkdown, renderHtml, escapeHtml, type Document, type DocumentSection, type Block } from './document.js';
export { isoTime, clockTime, durationText } from './time-text.js';
export { factsOfRecord } from './facts.js';
export type { IncidentFacts, IncidentWithTimeline, ActionItem, ActionItemStatus } from './types.js';
export { kpiLine, kpiBlocks, type KpiFigures } from './kpi-text.js';
