-- Surveys: the instruments, their versioned questions, invitations,
-- responses and answers. Free text lives in its own table, purged after the
-- retention period; everything else stays for the indices.

CREATE TABLE surveys (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant      text NOT NULL,
  title       text NOT NULL,
  description text NOT NULL DEFAULT '',
  template    text NOT NULL DEFAULT '',
  status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
  service_id  text NOT NULL DEFAULT '',
  office_id   text NOT NULL DEFAULT '',
  channel     text NOT NULL DEFAULT '',
  access      text NOT NULL DEFAULT 'anonymous' CHECK (access IN ('anonymous', 'invitation')),
  published   boolean NOT NULL DEFAULT false,
  version     integer NOT NULL DEFAULT 1,
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL
);
-- Lists: newest first, keyset on (create_time, id).
CREATE INDEX surveys_tenant_created ON surveys (tenant, create_time DESC, id DESC);
-- The post-resolution survey that closed requests are invited to: one at a
-- time per tenant, so concurrent events cannot create two.
CREATE UNIQUE INDEX surveys_one_post_resolution ON surveys (tenant)
  WHERE template = 'post_resolution' AND status <> 'closed';

-- The questions of each version: frozen once a response refers to them.
CREATE TABLE survey_versions (
  survey_id   uuid NOT NULL REFERENCES surveys ON DELETE CASCADE,
  version     integer NOT NULL,
  questions   jsonb NOT NULL,
  headline    text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL,
  PRIMARY KEY (survey_id, version)
);

-- Invitations: the token is stored as its SHA-256 only. Those made for a
-- closed request carry its number (one per request, however often it closes).
CREATE TABLE invitations (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant         text NOT NULL,
  survey_id      uuid NOT NULL REFERENCES surveys ON DELETE CASCADE,
  token_hash     text UNIQUE,
  request_number text,
  service_id     text NOT NULL DEFAULT '',
  office_id      text NOT NULL DEFAULT '',
  channel        text NOT NULL DEFAULT '',
  create_time    timestamptz NOT NULL,
  expire_time    timestamptz NOT NULL
);
CREATE UNIQUE INDEX invitations_one_per_request ON invitations (tenant, request_number)
  WHERE request_number IS NOT NULL;
CREATE INDEX invitations_survey ON invitations (survey_id, create_time);

CREATE TABLE responses (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant                text NOT NULL,
  survey_id             uuid NOT NULL REFERENCES surveys ON DELETE CASCADE,
  version               integer NOT NULL,
  -- One response per invitation: of two concurrent submissions, one wins.
  invitation_id         uuid UNIQUE REFERENCES invitations ON DELETE SET NULL,
  -- A partner's own id of an answer: a retried batch stores nothing twice.
  partner_submission_id text,
  channel               text NOT NULL DEFAULT '',
  service_id            text NOT NULL DEFAULT '',
  office_id             text NOT NULL DEFAULT '',
  headline              integer,
  create_time           timestamptz NOT NULL,
  FOREIGN KEY (survey_id, version) REFERENCES survey_versions (survey_id, version)
);
CREATE UNIQUE INDEX responses_partner_submission ON responses (survey_id, partner_submission_id)
  WHERE partner_submission_id IS NOT NULL;
CREATE INDEX responses_survey_created ON responses (survey_id, create_time DESC, id DESC);
CREATE INDEX responses_tenant_created ON responses (tenant, create_time);

CREATE TABLE answers (
  response_id uuid NOT NULL REFERENCES responses ON DELETE CASCADE,
  question    text NOT NULL,
  choices     text[] NOT NULL DEFAULT '{}',
  value       integer,
  has_text    boolean NOT NULL DEFAULT false,
  PRIMARY KEY (response_id, question)
);

-- Free text may name people: kept apart, never sent out, purged.
CREATE TABLE answer_texts (
  response_id uuid NOT NULL,
  question    text NOT NULL,
  text        text NOT NULL,
  create_time timestamptz NOT NULL,
  PRIMARY KEY (response_id, question),
  FOREIGN KEY (response_id, question) REFERENCES answers ON DELETE CASCADE
);
CREATE INDEX answer_texts_created ON answer_texts (create_time);

-- Events consumed through EventSink.Deliver, by id: a redelivery does nothing.
CREATE TABLE processed_events (
  event_id       text PRIMARY KEY,
  tenant         text NOT NULL,
  type           text NOT NULL,
  processed_time timestamptz NOT NULL
);
