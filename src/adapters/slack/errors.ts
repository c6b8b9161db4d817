import { CodedError } from '../../ports/errors.js';
/** Stable codes for why the Slack transport could not start. */
export type SlackErrorCode = 'SLACK_CONFIG' | 'SLACK_AUTH' | 'SLACK_UNREACHABLE' | 'SLACK_CONNECT';

/** Thrown by startSlackTransport only; once started, the transport never throws. */
export class SlackTransportError extends CodedError<SlackErrorCode> {}
