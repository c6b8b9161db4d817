import * as z from 'zod';

/** A runbook's address: an http(s) URL (it is linked in Slack and on the archive's pages). */
export const runbookUrl = z
  .string()
  .max(500, { message: 'expected a URL of at most 500 characters' })
  .regex(/^https?:\/\/[^\s<>|]+$/, { message: 'expected an http(s) URL such as https://wiki.example.com/runbooks/web' });
