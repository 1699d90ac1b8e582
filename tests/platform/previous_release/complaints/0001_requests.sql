-- Citizens' requests, their history, personal data kept apart, routing,
-- numbering, idempotent submissions and the outbox of events.

CREATE TABLE requests (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant            text NOT NULL,
  number            text NOT NULL UNIQUE,
  kind              text NOT NULL,
  category          text NOT NULL DEFAULT '',
  category_name     text NOT NULL DEFAULT '',
  subject           text NOT NULL,
  description       text NOT NULL,
  latitude          double precision,
  longitude         double precision,
  address           text NOT NULL DEFAULT '',
  attributes        jsonb NOT NULL DEFAULT '{}',
  media_urls        jsonb NOT NULL DEFAULT '[]',
  channel           text NOT NULL,
  is_public         boolean NOT NULL DEFAULT false,
  status            text NOT NULL,
  office_id         text NOT NULL DEFAULT '',
  token_hash        text NOT NULL,  -- SHA-256 of the tracking token, never the token; shared by a forwarded copy
  create_time       timestamptz NOT NULL DEFAULT now(),
  update_time       timestamptz NOT NULL DEFAULT now(),
  due_time          timestamptz NOT NULL,
  paused_since      timestamptz,
  first_answer_time timestamptz,
  resolved_time     timestamptz,
  closed_time       timestamptz,
  overdue_notified  boolean NOT NULL DEFAULT false,
  duplicate_of      text NOT NULL DEFAULT '',
  forwarded_to      text NOT NULL DEFAULT '',
  forwarded_from    text NOT NULL DEFAULT '',
  access_object     text NOT NULL DEFAULT '',
  access_key        text NOT NULL DEFAULT '',  -- the object normalised, to count repeats
  access_outcome    text NOT NULL DEFAULT '',
  access_decision   date,
  access_proactive  boolean NOT NULL DEFAULT false,
  requester_key     text NOT NULL DEFAULT ''   -- SHA-256 of the reporter's e-mail or fiscal code
);
-- Every list filter, in keyset order (create_time DESC, id).
CREATE INDEX requests_token_idx ON requests (token_hash);
CREATE INDEX requests_tenant_idx ON requests (tenant, create_time DESC, id);
CREATE INDEX requests_status_idx ON requests (tenant, status, create_time DESC);
CREATE INDEX requests_kind_idx ON requests (tenant, kind, create_time DESC);
CREATE INDEX requests_category_idx ON requests (tenant, category, create_time DESC);
CREATE INDEX requests_office_idx ON requests (tenant, office_id, create_time DESC);
CREATE INDEX requests_due_idx ON requests (due_time) WHERE closed_time IS NULL AND resolved_time IS NULL;
CREATE INDEX requests_access_idx ON requests (tenant, access_key) WHERE kind = 'civic_access';
CREATE INDEX requests_public_idx ON requests (tenant, update_time) WHERE is_public;

-- The reporter's personal data, apart from the request; purged after retention.
CREATE TABLE reporters (
  request_id  uuid PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
  name        text NOT NULL DEFAULT '',
  email       text NOT NULL DEFAULT '',
  phone       text NOT NULL DEFAULT '',
  fiscal_code text NOT NULL DEFAULT ''
);

CREATE TABLE history (
  id          bigserial PRIMARY KEY,
  request_id  uuid NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  from_status text NOT NULL DEFAULT '',
  to_status   text NOT NULL DEFAULT '',
  visibility  text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal', 'citizen')),
  text        text NOT NULL DEFAULT '',
  office_id   text NOT NULL DEFAULT ''
);
CREATE INDEX history_request_idx ON history (request_id, id);
CREATE INDEX history_status_idx ON history (at) WHERE action = 'status_changed';

-- Per tenant and year: the last number given.
CREATE TABLE counters (
  tenant text NOT NULL,
  year   integer NOT NULL,
  last   bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant, year)
);

CREATE TABLE routing_rules (
  tenant    text NOT NULL,
  category  text NOT NULL DEFAULT '',
  kind      text NOT NULL DEFAULT '',
  office_id text NOT NULL,
  PRIMARY KEY (tenant, category, kind)
);

-- A retried submission with the same key returns the first answer.
CREATE TABLE idempotency (
  tenant      text NOT NULL,
  key         text NOT NULL,
  fingerprint text NOT NULL,  -- SHA-256 of the submission: the same key with other content is refused
  response    bytea NOT NULL,
  create_time timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant, key)
);

-- Events written with the change, delivered at least once to each subscriber.
CREATE TABLE outbox (
  sequence    bigserial PRIMARY KEY,
  event_id    uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
  tenant      text NOT NULL,
  type        text NOT NULL,
  subject     text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  create_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_tenant_idx ON outbox (tenant, sequence);

-- Each subscriber's cursor: the last sequence it acknowledged.
CREATE TABLE deliveries (
  subscriber    text PRIMARY KEY,
  last_sequence bigint NOT NULL DEFAULT 0,
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text NOT NULL DEFAULT '',
  update_time   timestamptz NOT NULL DEFAULT now()
);
