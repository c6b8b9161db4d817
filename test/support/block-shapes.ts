/**
 * The structure of a Slack message's blocks, for tests that check what a message is made of (which
 * blocks, which buttons, which fields) rather than the words in it: the words are src/words' own.
 */
interface AnyBlock {
  readonly type?: string;
  readonly block_id?: string;
  readonly text?: { readonly text?: string };
  readonly fields?: readonly { readonly text?: string }[];
  readonly elements?: readonly { readonly type?: string; readonly action_id?: string; readonly text?: unknown }[];
}

const list = (blocks: unknown): AnyBlock[] => (Array.isArray(blocks) ? (blocks as AnyBlock[]) : []);

/** The type of each block, in order ("section", "context", "actions", "table", …). */
export function blockTypes(blocks: unknown): string[] {
  return list(blocks).map((b) => b.type ?? '?');
}

/** The action id of every interactive element, in order. */
export function actionIds(blocks: unknown): string[] {
  return list(blocks).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []).map((e) => e.action_id ?? '?') : []));
}

/** The field of a section whose bold label is `label` ("*State*\n…"): its value, or undefined. */
export function fieldValue(blocks: unknown, label: string): string | undefined {
  const head = `*${label}*\n`;
  for (const b of list(blocks)) {
    const f = (b.fields ?? []).find((x) => x.text?.startsWith(head));
    if (f?.text !== undefined) return f.text.slice(head.length);
  }
  return undefined;
}

/** The texts of every context element, in order. */
export function contextTexts(blocks: unknown): string[] {
  return list(blocks).flatMap((b) =>
    b.type === 'context' ? (b.elements ?? []).map((e) => (typeof e.text === 'string' ? e.text : '')) : [],
  );
}
