import { closeSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { relative } from 'node:path';
import { parseDocument } from 'yaml';
import { asCodedError, errorMessage } from '../ports/errors.js';
import { ConfigError } from './errors.js';

/** Config and attack files are small; anything larger is a mistake or an attack on memory. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Aliases a file may expand; a few are normal, thousands are an alias bomb. */
export const MAX_YAML_ALIASES = 100;

/** The path as the user would type it: relative to the working directory when inside it. */
export function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a named pipe';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads at most `MAX_CONFIG_BYTES` of a regular file. The stat comes first (following symlinks) so
 * a FIFO is never opened (that would hang start-up) and a link to /dev/zero is never read; the read
 * stops at cap + 1 bytes in case the file grows between the stat and the read.
 */
function readCapped(file: string): string {
  const fix = `make ${display(file)} a regular file of at most ${MAX_CONFIG_BYTES / 1024 / 1024} MiB`;
  let stat: Stats;
  try {
    stat = statSync(file);
  } catch (error) {
    const why = asCodedError(error).code === 'ENOENT' ? 'file not found' : String(error);
    throw new ConfigError([`${display(file)}: cannot read: ${why}`], { cause: error });
  }
  if (!stat.isFile()) throw new ConfigError([`${display(file)}: refused: ${kindOf(stat)}; ${fix}`]);
  const tooLarge = new ConfigError([`${display(file)}: refused: larger than ${MAX_CONFIG_BYTES} bytes; ${fix}`]);
  if (stat.size > MAX_CONFIG_BYTES) throw tooLarge;
  const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
  let length = 0;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    for (let n = -1; n !== 0 && length < buffer.length; length += n) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
    }
  } catch (error) {
    throw new ConfigError([`${display(file)}: cannot read: ${String(error)}`], { cause: error });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (length > MAX_CONFIG_BYTES) throw tooLarge;
  return buffer.toString('utf8', 0, length);
}

/** Reads a YAML file into plain data, or throws ConfigError naming the file and the line. */
export function readYaml(file: string): unknown {
  const text = readCapped(file);
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => `${display(file)}: invalid YAML: ${e.message.split('\n')[0]}`));
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (an alias bomb).
    const why = /alias/i.test(String(error))
      ? `too many YAML aliases (anchors "&" expanded by "*"); write the values out, or use at most ${MAX_YAML_ALIASES} aliases`
      : `invalid YAML: ${errorMessage(error)}`;
    throw new ConfigError([`${display(file)}: ${why}`], { cause: error });
  }
}
