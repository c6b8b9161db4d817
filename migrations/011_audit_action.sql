-- What a command did to the scheduler, as data: 'halted' (stop latched or kept a halt), 'resumed'
-- (start cleared it), 'none' (a stop or start that changed nothing). Reports draw halt bands from
-- it instead of the reply's wording. NULL on rows written before this column (and on other commands).
ALTER TABLE audit ADD COLUMN action TEXT;
