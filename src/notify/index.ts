// Notifications: channels (Slack, Mattermost, Teams, signed webhook, email, PagerDuty, Opsgenie),
// routing, coalescing, escalation and the persistent outbox. Other modules import only from here.
export { notifyConfigSchema, channelConfigSchema, parseNotifyConfig, severities } from './config.js';
export type { NotifyConfig, NotifyRoute, EscalationPolicy, RetryPolicy, ChannelConfig } from './config.js';
export { NotifyError } from './errors.js';
export type { NotifyErrorCode } from './errors.js';
export { buildIncidentMessage, notificationEvents } from './message.js';
export type { IncidentMessage, NotificationEvent, BuildIncidentMessageInput, ContextHighlights, MessageRootCause, EscalationInfo } from './message.js';
export type { IncidentLinks } from './links.js';
export { defineChannel } from './channel.js';
export type { NotificationChannel, ChannelFactory, ChannelDeps, DeliveryOutcome, DeliveryAttempt } from './channel.js';
export { channelRegistry } from './channels/registry.js';
export type { ChannelType } from './channels/registry.js';
export { createChannels } from './create-channels.js';
export { signWebhookBody, verifyWebhookSignature, signatureHeader, timestampHeader } from './signature.js';
export type { VerifyWebhookInput } from './signature.js';
export { routeMessage, matchingRoutes, escalationPolicyFor, globMatch, severityAtLeast } from './routing.js';
export { EscalationTracker } from './escalation.js';
export type { EscalationDue, EscalationSnapshot } from './escalation.js';
export { Outbox, deliveryId } from './outbox.js';
export type { OutboxOptions, DeliveryEvent, DeadLetter, ChannelStats, NotifyLogger } from './outbox.js';
export { backoffDelayMs, seededRandom } from './backoff.js';
export { Notifier, describeDelivery } from './notifier.js';
export type { NotifierOptions, IncidentChange, Notification, EscalationGate } from './notifier.js';
