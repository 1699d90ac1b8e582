-- The dispatch service: official accounts, messages and their legal record,
-- deliveries with their attempts, electoral blackout periods.
CREATE TABLE dispatch.accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('telegram', 'mastodon', 'webhook', 'email', 'feed')),
  handle text NOT NULL,
  public_url text NOT NULL DEFAULT '',
  owner_office text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'needs_credentials')),
  endpoint text NOT NULL DEFAULT '',
  recipients jsonb NOT NULL DEFAULT '[]',
  max_characters int NOT NULL DEFAULT 0,
  second_tier boolean NOT NULL DEFAULT false,
  credential text NOT NULL DEFAULT '',  -- sealed (v1.<key id>.<base64>) or env:NAME
  create_time timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_tenant ON dispatch.accounts (tenant, id);

CREATE TABLE dispatch.messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant text NOT NULL,
  author text NOT NULL,
  title text NOT NULL,
  text text NOT NULL,
  link text NOT NULL DEFAULT '',
  account_ids jsonb NOT NULL DEFAULT '[]',
  variants jsonb NOT NULL DEFAULT '[]',
  scheduled_time timestamptz,
  urgent boolean NOT NULL DEFAULT false,
  indispensable boolean NOT NULL DEFAULT false,
  blackout_justification text NOT NULL DEFAULT '',
  state text NOT NULL,
  approvals jsonb NOT NULL DEFAULT '[]',
  sent boolean NOT NULL DEFAULT false,
  create_time timestamptz NOT NULL,
  update_time timestamptz NOT NULL,
  publish_time timestamptz,
  version int NOT NULL DEFAULT 1
);
CREATE INDEX messages_tenant ON dispatch.messages (tenant, create_time DESC, id);
CREATE INDEX messages_tenant_state ON dispatch.messages (tenant, state, create_time DESC, id);
CREATE INDEX messages_published ON dispatch.messages (tenant, publish_time DESC, id) WHERE publish_time IS NOT NULL;

-- The legal record: append only.
CREATE TABLE dispatch.message_steps (
  id bigserial PRIMARY KEY,
  message_id uuid NOT NULL REFERENCES dispatch.messages (id),
  action text NOT NULL,
  who text NOT NULL,
  at timestamptz NOT NULL,
  text text NOT NULL,
  note text NOT NULL DEFAULT ''
);
CREATE INDEX message_steps_message ON dispatch.message_steps (message_id, id);

CREATE TABLE dispatch.deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant text NOT NULL,
  message_id uuid NOT NULL REFERENCES dispatch.messages (id),
  account_id uuid NOT NULL REFERENCES dispatch.accounts (id),
  text text NOT NULL,
  state text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'uncertain', 'discarded')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_time timestamptz NOT NULL,
  claimed_time timestamptz,
  first_sent_time timestamptz,
  remote_id text NOT NULL DEFAULT '',
  last_error text NOT NULL DEFAULT '',
  create_time timestamptz NOT NULL,
  UNIQUE (message_id, account_id)
);
CREATE INDEX deliveries_due ON dispatch.deliveries (next_attempt_time) WHERE state = 'pending';
CREATE INDEX deliveries_sending ON dispatch.deliveries (claimed_time) WHERE state = 'sending';
CREATE INDEX deliveries_tenant_state ON dispatch.deliveries (tenant, state, create_time, id);

CREATE TABLE dispatch.delivery_attempts (
  id bigserial PRIMARY KEY,
  delivery_id uuid NOT NULL REFERENCES dispatch.deliveries (id),
  at timestamptz NOT NULL,
  outcome text NOT NULL,
  status int NOT NULL DEFAULT 0,
  error text NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_delivery ON dispatch.delivery_attempts (delivery_id, id);

CREATE TABLE dispatch.blackouts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  start_time timestamptz NOT NULL,
  end_time timestamptz NOT NULL CHECK (end_time > start_time),
  tenants jsonb NOT NULL,
  created_by text NOT NULL,
  released boolean NOT NULL DEFAULT false
);
CREATE INDEX blackouts_tenants ON dispatch.blackouts USING gin (tenants);
