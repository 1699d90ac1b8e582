-- Administrations (enti) identified by their IPA code.
CREATE TABLE tenants (
  ipa_code        text PRIMARY KEY CHECK (ipa_code ~ '^[a-z0-9_]{2,32}$'),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind            text NOT NULL CHECK (kind IN ('comune', 'unione', 'other')),
  parent_ipa_code text REFERENCES tenants (ipa_code),
  website         text NOT NULL DEFAULT '',
  pec             text NOT NULL DEFAULT '',
  street          text NOT NULL DEFAULT '',
  postal_code     text NOT NULL DEFAULT '',
  municipality    text NOT NULL DEFAULT '',
  province        text NOT NULL DEFAULT '',
  demo            boolean NOT NULL DEFAULT false,
  create_time     timestamptz NOT NULL DEFAULT now(),
  update_time     timestamptz NOT NULL DEFAULT now()
);

-- List filters, each in key order for keyset pagination.
CREATE INDEX tenants_kind_idx ON tenants (kind, ipa_code);
CREATE INDEX tenants_parent_idx ON tenants (parent_ipa_code, ipa_code);
