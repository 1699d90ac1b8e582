-- Indexes for the list filters that had none: channel, text search in
-- subject and description (ILIKE '%...%' uses trigrams), and overdue requests
-- of a tenant.
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;

CREATE INDEX requests_channel_idx ON requests (tenant, channel, create_time DESC);
CREATE INDEX requests_subject_trgm_idx ON requests USING gin (subject public.gin_trgm_ops);
CREATE INDEX requests_description_trgm_idx ON requests USING gin (description public.gin_trgm_ops);
CREATE INDEX requests_open_due_idx ON requests (tenant, due_time)
  WHERE resolved_time IS NULL AND closed_time IS NULL AND paused_since IS NULL;
