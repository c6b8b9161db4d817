/**
 * Slack's documented limits on a message and a view, checked the way Slack checks them: the
 * stand-in refuses a message that breaks one (`invalid_blocks`, as Slack does), and the
 * largest-message test walks every kind of message through it.
 */
type Json = Record<string, unknown>;

const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  text: 40_000,
  sectionText: 3_000,
  fields: 10,
  fieldText: 2_000,
  contextElements: 10,
  contextText: 3_000,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2_000,
  tableRows: 100,
  tableCells: 20,
  tablesPerMessage: 1,
} as const;

function textOf(value: unknown): string {
  return typeof value === 'object' && value !== null && typeof (value as Json).text === 'string'
    ? ((value as Json).text as string)
    : '';
}

function blockProblems(block: Json, i: number): string[] {
  const out: string[] = [];
  const at = `blocks[${i}] (${String(block.type)})`;
  switch (block.type) {
    case 'section': {
      if (textOf(block.text).length > LIMITS.sectionText)
        out.push(`${at}: text ${textOf(block.text).length} > ${LIMITS.sectionText}`);
      if (!block.text && !block.fields) out.push(`${at}: neither text nor fields`);
      const fields = (block.fields as unknown[] | undefined) ?? [];
      if (fields.length > LIMITS.fields) out.push(`${at}: ${fields.length} fields > ${LIMITS.fields}`);
      for (const f of fields) if (textOf(f).length > LIMITS.fieldText) out.push(`${at}: a field of ${textOf(f).length} chars`);
      if (block.text && textOf(block.text).length === 0) out.push(`${at}: empty text`);
      break;
    }
    case 'context': {
      const elements = (block.elements as unknown[] | undefined) ?? [];
      if (elements.length === 0 || elements.length > LIMITS.contextElements) out.push(`${at}: ${elements.length} elements`);
      for (const e of elements)
        if (textOf(e).length > LIMITS.contextText) out.push(`${at}: an element of ${textOf(e).length} chars`);
      break;
    }
    case 'header':
      if (textOf(block.text).length > LIMITS.headerText)
        out.push(`${at}: text ${textOf(block.text).length} > ${LIMITS.headerText}`);
      break;
    case 'actions': {
      const elements = (block.elements as Json[] | undefined) ?? [];
      if (elements.length > LIMITS.actionsElements) out.push(`${at}: ${elements.length} elements`);
      for (const e of elements) {
        if (textOf(e.text).length > LIMITS.buttonText) out.push(`${at}: a button text of ${textOf(e.text).length} chars`);
        if (typeof e.value === 'string' && e.value.length > LIMITS.buttonValue)
          out.push(`${at}: a button value of ${e.value.length} chars`);
      }
      break;
    }
    case 'table': {
      const rows = (block.rows as unknown[][] | undefined) ?? [];
      if (rows.length === 0 || rows.length > LIMITS.tableRows) out.push(`${at}: ${rows.length} rows`);
      for (const r of rows) if (r.length > LIMITS.tableCells) out.push(`${at}: a row of ${r.length} cells`);
      for (const r of rows)
        for (const c of r) {
          const cell = c as Json;
          if (cell.type === 'raw_text' && (typeof cell.text !== 'string' || cell.text === ''))
            out.push(`${at}: an empty raw_text cell`);
          if (cell.type !== 'raw_text' && cell.type !== 'rich_text') out.push(`${at}: a cell of type ${String(cell.type)}`);
        }
      break;
    }
  }
  return out;
}

/** What Slack would refuse in a message (`view` for a Home tab or modal: 100 blocks); empty when it is fine. */
export function blockKitProblems(message: { text?: unknown; blocks?: unknown }, view = false): string[] {
  const out: string[] = [];
  if (typeof message.text === 'string' && message.text.length > LIMITS.text)
    out.push(`text ${message.text.length} > ${LIMITS.text}`);
  if (!Array.isArray(message.blocks)) return out;
  const blocks = message.blocks as Json[];
  const max = view ? LIMITS.viewBlocks : LIMITS.messageBlocks;
  if (blocks.length > max) out.push(`${blocks.length} blocks > ${max}`);
  const tables = blocks.filter((b) => b.type === 'table').length;
  if (tables > LIMITS.tablesPerMessage) out.push(`${tables} table blocks in one message`);
  blocks.forEach((b, i) => {
    out.push(...blockProblems(b, i));
  });
  return out;
}
