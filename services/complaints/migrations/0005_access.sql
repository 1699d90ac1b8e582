-- Three kinds of access (documentary, simple civic, FOIA), one register:
-- the outcome as a code, the art. 5-bis exception of a refusal, the link of a
-- simple civic access published, the review (riesame), the suspension for
-- counter-interested parties, and the parties themselves (personal data,
-- apart from the request like the reporter's).
ALTER TABLE requests
  ADD COLUMN access_interest      text NOT NULL DEFAULT '',  -- documentary access: the requester's interest
  ADD COLUMN access_outcome_code  text NOT NULL DEFAULT '',
  ADD COLUMN access_exception     text NOT NULL DEFAULT '',
  ADD COLUMN access_published_url text NOT NULL DEFAULT '',
  ADD COLUMN review_outcome       text NOT NULL DEFAULT '',
  ADD COLUMN review_decision      date,
  ADD COLUMN suspended_until      timestamptz;             -- counter-interested parties may object until then

-- Proactive publication counts FOIA and simple civic access together.
DROP INDEX IF EXISTS requests_access_idx;
CREATE INDEX requests_access_idx ON requests (tenant, access_key)
  WHERE kind IN ('civic_access', 'simple_civic_access');
-- The register: every access request of a tenant by request date.
CREATE INDEX requests_register_idx ON requests (tenant, create_time, number)
  WHERE kind IN ('civic_access', 'documentary_access', 'simple_civic_access');

CREATE TABLE counter_parties (
  id             bigserial PRIMARY KEY,
  request_id     uuid NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  name           text NOT NULL,
  channel        text NOT NULL CHECK (channel IN ('pec', 'email', 'post')),
  address        text NOT NULL,
  notify_time    timestamptz NOT NULL,
  objection_due  timestamptz NOT NULL,
  objection_time timestamptz,
  objection      text NOT NULL DEFAULT ''
);
CREATE INDEX counter_parties_request_idx ON counter_parties (request_id, id);
