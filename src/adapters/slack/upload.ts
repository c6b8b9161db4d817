import type { Logger } from 'pino';
import type { Attachment } from '../../ports/chat.js';
import { errorMessage } from '../../ports/errors.js';
import type { SlackApi } from './api.js';

export interface UploadTarget {
  readonly channel: string;
  readonly threadTs?: string | undefined;
}

export type UploadResult = { readonly ok: true; readonly fileIds: string[] } | { readonly ok: false; readonly error: string };

const UPLOAD_TIMEOUT_MS = 30_000;

/**
 * Slack's external upload flow, per file: files.getUploadURLExternal, then the bytes POSTed to the
 * URL it returns; then one files.completeUploadExternal shares them all in the channel (and thread).
 * Side effects: those calls. Never throws; a failed step is logged and ends the upload.
 */
export async function uploadAttachments(
  api: SlackApi,
  logger: Logger,
  target: UploadTarget,
  attachments: readonly Attachment[],
): Promise<UploadResult> {
  const files: { id: string; title: string }[] = [];
  for (const attachment of attachments) {
    const url = await api.call('files.getUploadURLExternal', {
      filename: attachment.filename,
      length: attachment.data.byteLength,
    });
    if (!url.ok) return failed(logger, attachment, `files.getUploadURLExternal: ${url.error}`);
    const uploadUrl = url.data.upload_url;
    const fileId = url.data.file_id;
    if (typeof uploadUrl !== 'string' || typeof fileId !== 'string') {
      return failed(logger, attachment, 'files.getUploadURLExternal returned no upload_url/file_id');
    }
    const sent = await postBytes(api, uploadUrl, attachment);
    if (!sent.ok) return failed(logger, attachment, sent.error);
    files.push({ id: fileId, title: attachment.title });
  }
  if (files.length === 0) return { ok: true, fileIds: [] };
  const done = await api.call('files.completeUploadExternal', {
    files,
    channel_id: target.channel,
    ...(target.threadTs ? { thread_ts: target.threadTs } : {}),
  });
  if (!done.ok) {
    logger.error({ error: done.error, files: files.map((f) => f.title) }, 'cannot share the uploaded files');
    return { ok: false, error: `files.completeUploadExternal: ${done.error}` };
  }
  return { ok: true, fileIds: files.map((f) => f.id) };
}

function failed(logger: Logger, attachment: Attachment, error: string): UploadResult {
  logger.error({ error, file: attachment.filename }, 'cannot upload an attachment to Slack');
  return { ok: false, error };
}

/** The raw bytes, retried like a Web API call on network errors and 5xx. The bot token is not sent. */
async function postBytes(
  api: SlackApi,
  url: string,
  attachment: Attachment,
): Promise<{ ok: true } | { ok: false; error: string }> {
  let delay = 1_000;
  let error = 'not tried';
  for (let attempt = 1; attempt <= 3 && !api.stopped; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': attachment.contentType },
        body: attachment.data,
        redirect: 'error',
        signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true };
      error = `upload of ${attachment.filename}: HTTP ${res.status}`;
      if (res.status < 500) break;
    } catch (e) {
      error = `upload of ${attachment.filename}: ${errorMessage(e)}`;
    }
    if (!(await api.pause(delay))) break;
    delay *= 2;
  }
  return { ok: false, error };
}
