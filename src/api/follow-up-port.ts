// What the review, action-item, report and ticket routes need (implemented by pipeline/
// FollowUpService): learning from incidents after they happen.
import type { ReliabilityReport } from '../reports/index.js';
import type { ActionItemChange, ActionItemView, EditableSection, Review } from '../reviews/index.js';
import type { TicketInput, TicketMatch } from '../tickets/index.js';

export interface FollowUpPort {
  /** The review generated now, or undefined for an unknown incident. */
  review(incidentId: string): Promise<Review | undefined>;
  /** Stores the team's text for review sections; regenerated reviews keep it. */
  editReview(incidentId: string, sections: Partial<Record<EditableSection, string>>, author: string): Promise<Review>;
  addActionItem(incidentId: string, item: { title: string; owner?: string; dueMs?: number }): Promise<ActionItemView>;
  /** Marks an item done or open, reassigns or reschedules it; undefined for an unknown item. */
  updateActionItem(id: string, change: ActionItemChange): Promise<ActionItemView | undefined>;
  listActionItems(q: { status?: 'open' | 'done'; incidentId?: string }): Promise<ActionItemView[]>;
  reliability(fromMs: number, toMs: number): Promise<ReliabilityReport>;
  /** Stores a ticket (time defaults to the engine's now) and answers the incidents it correlates with. */
  recordTicket(ticket: TicketInput): Promise<{ id: string; source: string; time: string; incidents: TicketMatch[] }>;
}
