import * as z from 'zod';
import type { EvidenceConfig } from '../../config/evidence-schema.js';
import { forHost } from '../../domain/detection.js';
import { evidenceStepS } from '../../domain/evidence.js';
import type { EvidenceReader } from '../../ports/evidence.js';
import { httpGet, joinUrl, parseJson } from '../health/http-get.js';

const rangeAnswer = z.object({
  status: z.literal('success'),
  data: z.object({ result: z.array(z.object({ values: z.array(z.tuple([z.number(), z.string()])) })) }),
});

/**
 * The evidence of each attack, read from Prometheus: each entry's query for the attacked host, over
 * the window, at about 200 points (the first series of the answer; write the query to give one).
 */
export function prometheusEvidence(byAttack: (attack: string) => readonly EvidenceConfig[]): EvidenceReader {
  return {
    async read(attack, host, from, to) {
      return Promise.all(
        byAttack(attack).map(async (e) => {
          const params = new URLSearchParams({
            query: forHost(e.query, host),
            start: String(from / 1000),
            end: String(to / 1000),
            step: `${evidenceStepS(from, to)}s`,
          });
          const answer = await httpGet(joinUrl(e.url, '/api/v1/query_range', params), {
            signal: AbortSignal.timeout(e.timeout),
            readBodyFor: (s) => s === 200,
          });
          if (!answer.ok) return { ok: false as const, title: e.title, why: answer.reason };
          if (answer.status !== 200)
            return { ok: false as const, title: e.title, why: `Prometheus answered HTTP ${answer.status}` };
          const json = parseJson(answer.body);
          const parsed = json.ok ? rangeAnswer.safeParse(json.value) : undefined;
          if (!parsed?.success) return { ok: false as const, title: e.title, why: 'not a Prometheus range-query answer' };
          const first = parsed.data.data.result[0]?.values ?? [];
          const points = first.map(([t, v]) => [t * 1000, Number(v)] as const).filter(([, v]) => Number.isFinite(v));
          return { ok: true as const, series: { title: e.title, unit: e.unit, points } };
        }),
      );
    },
  };
}
