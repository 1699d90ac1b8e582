-- Scheduled refreshes: one row per job with when it is next due and the
-- lease of the replica running it (the outbox relay's pattern: a lease
-- taken only when none is running, released with its token, and a crashed
-- replica's lease simply runs out), so only one replica refreshes at a time.
CREATE TABLE opendata.refresh_jobs (
  name           text PRIMARY KEY,
  next_run_time  timestamptz NOT NULL,
  leased_until   timestamptz,
  lease_token    text NOT NULL DEFAULT '',
  last_run_time  timestamptz
);
