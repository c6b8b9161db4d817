-- How an attack ended, as data (issue 23, src/domain/ending.ts): the report and the words switch on
-- this code and never read the reason sentence back. Rows written before it are mapped from the
-- sentences the bot wrote then; a sentence no rule maps is kept as 'legacy' (its reason stays).
ALTER TABLE attacks ADD COLUMN ending TEXT;
UPDATE attacks SET ending = CASE
  WHEN reason LIKE 'stopped by %' THEN 'stopped'
  WHEN reason LIKE 'health check failed%' THEN 'health'
  WHEN reason LIKE 'steady state deviated%' THEN 'deviation'
  WHEN reason LIKE 'could not hear `stop`%' THEN 'deaf'
  WHEN reason LIKE 'received SIG%' OR reason LIKE 'console input ended%' THEN 'shutdown'
  WHEN reason LIKE 'cancelled before it touched the host%' THEN 'cancelled'
  WHEN reason LIKE 'could not start%' THEN 'start-failed'
  WHEN reason LIKE 'pre-flight%' OR reason LIKE 'the announcement could not be posted%'
    OR reason LIKE 'cannot record%' THEN 'refused'
  WHEN state = 'orphaned' THEN 'orphaned'
  WHEN state = 'cancelled' THEN 'cancelled'
  WHEN unconfirmed = 1 THEN 'unconfirmed'
  WHEN rollback_ok = 0 THEN 'rollback-failed'
  WHEN state = 'completed' THEN 'completed'
  WHEN state = 'failed' AND reason IS NULL THEN 'failed'
  ELSE 'legacy'
END
WHERE state IN ('completed', 'reverted', 'failed', 'cancelled', 'orphaned');
