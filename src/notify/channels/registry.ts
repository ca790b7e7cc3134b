// Every notification channel type. A new type is a new file in channels/ plus one entry here:
// its config schema joins the `notify.channels` schema and the outbox can build it.
import { emailChannel } from './email.js';
import { mattermostChannel } from './mattermost.js';
import { opsgenieChannel } from './opsgenie.js';
import { pagerDutyChannel } from './pagerduty.js';
import { slackChannel } from './slack.js';
import { teamsChannel } from './teams.js';
import { webhookChannel } from './webhook.js';

export const channelRegistry = [slackChannel, mattermostChannel, teamsChannel, webhookChannel, emailChannel, pagerDutyChannel, opsgenieChannel] as const;

export type ChannelType = (typeof channelRegistry)[number]['type'];
