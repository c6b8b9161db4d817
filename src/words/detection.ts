import { type Detection, monitoringGap } from '../domain/detection.js';
import { formatDuration } from '../domain/duration.js';

/** "detected by monitoring after 47s (HighErrorRate)", "NOT DETECTED by monitoring", "detection unknown (…)". */
export function detectionText(d: Detection): string {
  switch (d.kind) {
    case 'detected':
      return `detected by monitoring after ${formatDuration(d.afterMs)} (${d.alert})`;
    case 'not-detected':
      return 'NOT DETECTED by monitoring';
    case 'unknown':
      return `detection unknown (${d.why}): not counted as detected`;
  }
}

export { monitoringGap };
