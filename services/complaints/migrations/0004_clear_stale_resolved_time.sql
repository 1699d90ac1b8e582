-- A request moved back from resolved to in progress kept its resolved_time
-- (and a reopened one could keep an old closed_time): the overdue scan and the
-- retention purge then treated it as answered. The service now clears both
-- when a request goes back to work; clear those written before.
UPDATE requests SET resolved_time = NULL, closed_time = NULL
WHERE status IN ('received', 'acknowledged', 'assigned', 'in_progress', 'waiting_citizen', 'reopened')
  AND (resolved_time IS NOT NULL OR closed_time IS NOT NULL);
