-- How an attack ended, with its data (issue 23, src/domain/ending.ts): `ending` (014) keeps the code,
-- `ending_data` the rest as JSON, which the words render; nothing reads the reason sentence back.
-- Rows written before are converted here, once, from the sentences the bot wrote then: an abort keeps
-- what it can (who stopped it, the failing checks, how the revert went) and the words it was told in
-- (`told`); a sentence no rule maps stays 'legacy' with its text.
ALTER TABLE attacks ADD COLUMN ending_data TEXT;

CREATE TEMP TABLE ending_015 AS
SELECT id, ending, state, reason, rollback_ok, host,
  CASE
    WHEN instr(reason, ': reverted in ') > 0 THEN 'reverted'
    WHEN instr(reason, ': ' || host || ' unreachable (') > 0 THEN 'unreachable'
    WHEN instr(reason, ': revert FAILED on ') > 0 THEN 'failed'
  END AS revert,
  CASE
    WHEN instr(reason, ': reverted in ') > 0 THEN substr(reason, 1, instr(reason, ': reverted in ') - 1)
    WHEN instr(reason, ': ' || host || ' unreachable (') > 0 THEN substr(reason, 1, instr(reason, ': ' || host || ' unreachable (') - 1)
    WHEN instr(reason, ': revert FAILED on ') > 0 THEN substr(reason, 1, instr(reason, ': revert FAILED on ') - 1)
  END AS why
FROM attacks
WHERE ending IS NOT NULL;

-- "stopped by <@U1>: note": who (without the mention's markup) and the note.
CREATE TEMP TABLE stopped_015 AS
SELECT id, substr(why, 12) AS rest FROM ending_015 WHERE ending = 'stopped' AND why LIKE 'stopped by %';

UPDATE attacks SET ending_data = (
  SELECT CASE
    WHEN e.ending IN ('stopped', 'health', 'deviation', 'deaf', 'shutdown', 'gate', 'start-failed') AND e.why IS NULL
      AND e.ending <> 'start-failed' THEN NULL
    WHEN e.ending = 'stopped' THEN json_object(
      'by', replace(replace(CASE WHEN instr(s.rest, ': ') > 0 THEN substr(s.rest, 1, instr(s.rest, ': ') - 1) ELSE coalesce(s.rest, '') END, '<@', ''), '>', ''),
      'note', CASE WHEN instr(s.rest, ': ') > 0 THEN substr(s.rest, instr(s.rest, ': ') + 2) ELSE '' END,
      'revert', e.revert, 'told', e.why)
    WHEN e.ending = 'health' THEN json_object('failing', substr(e.why, length('health check failed: ') + 1), 'revert', e.revert, 'told', e.why)
    WHEN e.ending = 'deviation' THEN json_object('failing', substr(e.why, length('steady state deviated: ') + 1), 'revert', e.revert, 'told', e.why)
    WHEN e.ending = 'deaf' THEN json_object('forMs', NULL, 'why', e.why, 'revert', e.revert, 'told', e.why)
    WHEN e.ending = 'shutdown' THEN json_object('why', e.why, 'revert', e.revert, 'told', e.why)
    WHEN e.ending = 'gate' THEN json_object('code', 'error', 'why', e.why, 'revert', e.revert, 'told', e.why)
    WHEN e.ending = 'start-failed' AND e.why IS NOT NULL THEN json_object('failures', json('[]'), 'revert', e.revert, 'told', e.why)
    WHEN e.ending = 'start-failed' THEN json_object('failures', json('[]'), 'told', coalesce(e.reason, 'could not start'))
    WHEN e.ending = 'cancelled' THEN json_object('by', NULL, 'refusal',
      CASE WHEN e.reason LIKE 'cancelled before it touched the host: %' THEN substr(e.reason, length('cancelled before it touched the host: ') + 1)
           ELSE coalesce(e.reason, 'stopped') END)
    WHEN e.ending = 'refused' THEN json_object(
      'code', CASE WHEN e.reason LIKE 'pre-flight%' THEN 'preflight'
                   WHEN e.reason LIKE 'the announcement could not be posted%' THEN 'announce'
                   WHEN e.reason LIKE 'cannot record%' THEN 'store-error' ELSE 'error' END,
      'why', coalesce(e.reason, 'refused'))
    WHEN e.ending = 'orphaned' THEN json_object(
      'was', CASE WHEN e.reason LIKE 'no ending was recorded (last recorded: %'
                  THEN substr(e.reason, 40, instr(substr(e.reason, 40), ';') - 1) ELSE 'running' END,
      'revert', CASE e.rollback_ok WHEN 1 THEN 'reverted' WHEN 0 THEN 'failed' ELSE 'unreachable' END)
    WHEN e.ending = 'completed' THEN json_object()
    WHEN e.ending = 'failed' THEN json_object('why', e.reason)
    WHEN e.ending IN ('rollback-failed', 'unconfirmed') THEN json_object('why', coalesce(e.reason, ''))
    ELSE json_object('text', coalesce(e.reason, ''))
  END
  FROM ending_015 e LEFT JOIN stopped_015 s ON s.id = e.id
  WHERE e.id = attacks.id
)
WHERE ending IS NOT NULL;

-- An abort whose sentence did not split into why and revert: kept as told.
UPDATE attacks SET ending = 'legacy', ending_data = json_object('text', coalesce(reason, ''))
WHERE ending IS NOT NULL AND ending_data IS NULL;

DROP TABLE stopped_015;
DROP TABLE ending_015;

-- What a stop or start did to the scheduler (011's `action`), for rows written before it was kept:
-- from their outcome and reply, once, here, so the report reads the action alone.
UPDATE audit SET action = 'halted' WHERE action IS NULL AND command = 'stop' AND outcome IN ('ok', 'error');
UPDATE audit SET action = 'resumed' WHERE action IS NULL AND command = 'start' AND outcome = 'ok' AND detail LIKE 'Resumed%';
UPDATE audit SET action = 'none' WHERE action IS NULL AND command IN ('stop', 'start');
