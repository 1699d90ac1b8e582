-- Public consultations: a survey about a proposal, with its window, its
-- moderated comments and the administration's response. The window also
-- lives on the survey, so its answers are refused outside it under the
-- same lock that checks the survey's status.

ALTER TABLE surveys
  ADD COLUMN open_time  timestamptz,
  ADD COLUMN close_time timestamptz;

CREATE TABLE consultations (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant           text NOT NULL,
  survey_id        uuid NOT NULL UNIQUE REFERENCES surveys ON DELETE CASCADE,
  title            text NOT NULL,
  description      text NOT NULL DEFAULT '',
  document_url     text NOT NULL,
  open_date        date NOT NULL,
  close_date       date NOT NULL,
  open_time        timestamptz NOT NULL,
  close_time       timestamptz NOT NULL,  -- earlier than close_date's end when closed early
  eligibility      text NOT NULL DEFAULT 'anyone' CHECK (eligibility IN ('anyone', 'residents')),
  comments_enabled boolean NOT NULL DEFAULT false,
  response_text    text,
  response_url     text NOT NULL DEFAULT '',
  response_time    timestamptz,
  create_time      timestamptz NOT NULL,
  update_time      timestamptz NOT NULL,
  CHECK (close_time > open_time)
);
-- Lists: newest first, keyset on (create_time, id).
CREATE INDEX consultations_tenant_created ON consultations (tenant, create_time DESC, id DESC);

CREATE TABLE consultation_comments (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant           text NOT NULL,
  consultation_id  uuid NOT NULL REFERENCES consultations ON DELETE CASCADE,
  text             text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
  state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected')),
  rejection_reason text NOT NULL DEFAULT '',
  invited          boolean NOT NULL DEFAULT false,
  create_time      timestamptz NOT NULL,
  moderate_time    timestamptz,
  moderator        text NOT NULL DEFAULT ''
);
-- Lists by consultation and state, oldest first; keyset on (create_time, id).
CREATE INDEX consultation_comments_list ON consultation_comments (consultation_id, state, create_time, id);
CREATE INDEX consultation_comments_all ON consultation_comments (consultation_id, create_time, id);

-- Who wrote a comment, when they said: staff only, apart from the comment,
-- purged with the free-text answers.
CREATE TABLE comment_authors (
  comment_id  uuid PRIMARY KEY REFERENCES consultation_comments ON DELETE CASCADE,
  name        text NOT NULL DEFAULT '',
  email       text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL
);
CREATE INDEX comment_authors_created ON comment_authors (create_time);
