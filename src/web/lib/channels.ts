// The channels a customer's text comes from (issue 9), named for the dashboard: the survey, or a feedback
// channel. Keyed by the server's FeedbackChannel (type only: nothing of core's Node code is bundled), so a
// channel added there fails the type check here until it has its words.
import type { FeedbackChannel } from '../../core/feedback.ts';

export type { FeedbackChannel };

/** One item's channel, as a chip beside the quote. */
export const CHANNEL_LABEL: Record<FeedbackChannel, string> = {
  survey: 'Survey',
  review: 'Review',
  ticket: 'Ticket',
  social: 'Social',
  chat: 'Chat',
  email: 'E-mail',
  interview: 'Interview',
  focus_group: 'Focus group',
};

/** A channel's texts, as an option of a Channel filter. */
export const CHANNEL_PLURAL: Record<FeedbackChannel, string> = {
  survey: 'Survey comments',
  review: 'Reviews',
  ticket: 'Tickets',
  social: 'Social posts',
  chat: 'Chats',
  email: 'E-mails',
  interview: 'Interviews',
  focus_group: 'Focus groups',
};

/** The options of a Channel filter, in the server's order. */
export const CHANNEL_OPTIONS = (Object.keys(CHANNEL_PLURAL) as FeedbackChannel[]).map((value) => ({ value, label: CHANNEL_PLURAL[value] }));

/** A channel from the URL or the API: one of ours, or undefined (an unknown value is not passed on). */
export const asChannel = (v: string | null | undefined): FeedbackChannel | undefined =>
  v != null && Object.hasOwn(CHANNEL_LABEL, v) ? (v as FeedbackChannel) : undefined;

/** A channel's name for a chip; an unknown one (a newer server) as it came. */
export const channelLabel = (v: string): string => {
  const c = asChannel(v);
  return c ? CHANNEL_LABEL[c] : v;
};
