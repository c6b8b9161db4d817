import type { Logger } from 'pino';
import type { EvidenceSeries } from '../../domain/evidence.js';
import type { AttackRecord } from '../../domain/model.js';
import type { Attachment } from '../../ports/chat.js';

/**
 * Each evidence series of an attack as a PNG for its thread; ECharts and resvg load only now, at
 * the first chart. A series that cannot be drawn is logged and left out (its baseline is in the text).
 */
export async function evidenceAttachments(
  record: AttackRecord,
  series: readonly EvidenceSeries[],
  timezone: string,
  logger: Logger,
): Promise<Attachment[]> {
  const { renderEvidencePng } = await import('../chart/evidence-chart.js');
  const attachments: Attachment[] = [];
  for (const [i, s] of series.entries()) {
    try {
      attachments.push({
        filename: `chaoscat-${record.id}-evidence-${i + 1}.png`,
        title: `#${record.id} ${s.title}`,
        contentType: 'image/png',
        data: await renderEvidencePng(record, s, timezone),
      });
    } catch (error) {
      logger.warn({ err: error, id: record.id }, 'cannot draw the evidence chart');
    }
  }
  return attachments;
}
