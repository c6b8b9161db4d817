/**
 * The marks in the app's words, rendered at the edge (words/tokens.ts): a time is Slack's own
 * `<!date^EPOCH^{format}|fallback>`, so Slack shows each reader the time in their own zone while
 * every other edge reads the fallback, the time in the config's zone; a person is `<@U…>`. Pure:
 * the zone and the instant are arguments.
 */
import { DateTime } from 'luxon';

/** What Slack shows for a time: "Today at 5:46 PM" style, in the reader's zone. */
const SLACK_FORMAT = '{date_short_pretty} {time}';

/**
 * A time as a mark: Slack shows it in each reader's zone ("Today 5:46 PM", or only the time when
 * `withDay` is false: the day is said elsewhere, as in a report); elsewhere it reads as `format` in
 * `timezone` followed by the zone's short name ("17:46 CET"), or without it when `labelled` is false
 * (the zone is named nearby: a table column's header, the report's title).
 */
export function when(at: number, timezone: string, format = 'HH:mm', labelled = true, withDay = true): string {
  const local = DateTime.fromMillis(at, { zone: timezone });
  const fallback = labelled ? `${local.toFormat(format)} ${local.toFormat('ZZZZ')}` : local.toFormat(format);
  const slack = withDay ? SLACK_FORMAT : '{time}';
  const shown = format.includes(':ss') ? slack.replace('{time}', '{time_secs}') : slack;
  return `<!date^${Math.floor(at / 1000)}^${shown}|${fallback}>`;
}

/** A time of the day named nearby (the report's): Slack shows the reader's time of day, elsewhere "12:10". */
export function timeOfDay(at: number, timezone: string): string {
  return when(at, timezone, 'HH:mm', false, false);
}

/**
 * A person as a mark: a Slack id becomes `<@U…>`, which Slack shows as the person's name and the
 * other edges as `@name` (or `@U…`); anything else ("console", "verdict") as it is.
 */
export function who(user: string): string {
  return isSlackUserId(user) ? `<@${user}>` : user;
}

/** A Slack user id (`U…`, or `W…` on Enterprise Grid): the one test of what is a person's id. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

export function isSlackUserId(text: string): boolean {
  return SLACK_USER_ID.test(text);
}
