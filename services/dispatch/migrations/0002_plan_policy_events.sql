-- The annual communication plan's campaigns (messages may belong to one),
-- the tenant's social-media policy in versions (old ones kept), drafts made
-- from other services' events (idempotent by event id), and deliveries held
-- at send time by an electoral blackout.
CREATE TABLE dispatch.campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant text NOT NULL,
  name text NOT NULL,
  objective text NOT NULL,
  start_date date NOT NULL,
  end_date date NOT NULL CHECK (end_date >= start_date),
  audience text NOT NULL DEFAULT '',
  channels jsonb NOT NULL DEFAULT '[]',
  owner_office text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL
);
CREATE INDEX campaigns_tenant ON dispatch.campaigns (tenant, start_date, id);

ALTER TABLE dispatch.messages ADD COLUMN campaign_id uuid REFERENCES dispatch.campaigns (id);
ALTER TABLE dispatch.messages ADD COLUMN origin text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX messages_origin ON dispatch.messages (origin) WHERE origin <> '';
CREATE INDEX messages_tenant_scheduled ON dispatch.messages (tenant, scheduled_time) WHERE scheduled_time IS NOT NULL;

CREATE TABLE dispatch.policies (
  tenant text NOT NULL,
  version int NOT NULL CHECK (version > 0),
  title text NOT NULL,
  text text NOT NULL,
  author text NOT NULL,
  publish_time timestamptz NOT NULL,
  PRIMARY KEY (tenant, version)
);

ALTER TABLE dispatch.deliveries DROP CONSTRAINT deliveries_state_check;
ALTER TABLE dispatch.deliveries ADD CONSTRAINT deliveries_state_check
  CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'uncertain', 'discarded', 'held'));
