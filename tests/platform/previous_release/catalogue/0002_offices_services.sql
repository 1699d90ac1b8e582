-- Offices, services (schede servizio), their change history, and Italian
-- full-text search that ignores accents and tolerates one typo per word.

-- Extensions live in public: several services may share them.
CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch SCHEMA public;

-- Italian stemming after removing accents: "Identità" and "identita" are one lexeme.
CREATE TEXT SEARCH CONFIGURATION italian_unaccent (COPY = pg_catalog.italian);
ALTER TEXT SEARCH CONFIGURATION italian_unaccent
  ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, italian_stem;

CREATE TABLE offices (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant           text NOT NULL REFERENCES tenants (ipa_code),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description      text NOT NULL DEFAULT '',
  parent_office_id uuid REFERENCES offices (id),
  street           text NOT NULL DEFAULT '',
  postal_code      text NOT NULL DEFAULT '',
  municipality     text NOT NULL DEFAULT '',
  province         text NOT NULL DEFAULT '',
  latitude         double precision CHECK (latitude BETWEEN -90 AND 90),
  longitude        double precision CHECK (longitude BETWEEN -180 AND 180),
  phone            text NOT NULL DEFAULT '',
  email            text NOT NULL DEFAULT '',
  pec              text NOT NULL DEFAULT '',
  website          text NOT NULL DEFAULT '',
  referent_role    text NOT NULL DEFAULT '',
  referent_contact text NOT NULL DEFAULT '',
  hours            jsonb NOT NULL DEFAULT '{}',
  create_time      timestamptz NOT NULL DEFAULT now(),
  update_time      timestamptz NOT NULL DEFAULT now(),
  search_vector    tsvector NOT NULL DEFAULT ''
);
CREATE INDEX offices_tenant_idx ON offices (tenant, name, id);
CREATE INDEX offices_parent_idx ON offices (parent_office_id);
CREATE INDEX offices_search_idx ON offices USING gin (search_vector);

CREATE TABLE services (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant              text NOT NULL REFERENCES tenants (ipa_code),
  name                text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  short_description   text NOT NULL DEFAULT '',
  description         text NOT NULL DEFAULT '',
  audiences           text[] NOT NULL DEFAULT '{}',
  themes              text[] NOT NULL DEFAULT '{}',
  life_events         text[] NOT NULL DEFAULT '{}',
  channels            text[] NOT NULL DEFAULT '{}',
  interactivity_level integer NOT NULL DEFAULT 0 CHECK (interactivity_level BETWEEN 0 AND 5),
  required_documents  jsonb NOT NULL DEFAULT '[]',
  outcome             text NOT NULL DEFAULT '',
  cost                text NOT NULL DEFAULT '',
  payment_methods     text NOT NULL DEFAULT '',
  legal_deadline_days integer NOT NULL DEFAULT 0 CHECK (legal_deadline_days >= 0),
  silence_rule        text NOT NULL DEFAULT '',
  legal_references    jsonb NOT NULL DEFAULT '[]',
  office_id           uuid REFERENCES offices (id),
  responsible_role    text NOT NULL DEFAULT '',
  status_tracking     text NOT NULL DEFAULT '',
  remedies            text NOT NULL DEFAULT '',
  online_url          text NOT NULL DEFAULT '',
  forms               jsonb NOT NULL DEFAULT '[]',
  status              text NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'inactive', 'under_development')),
  last_reviewed_at    timestamptz,
  reviewed_by         text NOT NULL DEFAULT '',
  reportable          boolean NOT NULL DEFAULT false,
  service_code        text,
  category_group      text NOT NULL DEFAULT '',
  keywords            text[] NOT NULL DEFAULT '{}',
  attributes          jsonb NOT NULL DEFAULT '[]',
  create_time         timestamptz NOT NULL DEFAULT now(),
  update_time         timestamptz NOT NULL DEFAULT now(),
  search_vector       tsvector NOT NULL DEFAULT '',
  UNIQUE (tenant, service_code)
);
CREATE INDEX services_tenant_idx ON services (tenant, name, id);
CREATE INDEX services_office_idx ON services (office_id);
CREATE INDEX services_status_idx ON services (tenant, status);
CREATE INDEX services_reportable_idx ON services (tenant, service_code) WHERE reportable;
CREATE INDEX services_themes_idx ON services USING gin (themes);
CREATE INDEX services_audiences_idx ON services USING gin (audiences);
CREATE INDEX services_channels_idx ON services USING gin (channels);
CREATE INDEX services_search_idx ON services USING gin (search_vector);

-- Every change: who, when, what (for updates, {"field": {"from": .., "to": ..}}).
CREATE TABLE changes (
  id        bigserial PRIMARY KEY,
  tenant    text NOT NULL,
  entity    text NOT NULL CHECK (entity IN ('office', 'service')),
  entity_id uuid NOT NULL,
  action    text NOT NULL CHECK (action IN ('create', 'update', 'delete')),
  actor     text NOT NULL,
  at        timestamptz NOT NULL DEFAULT now(),
  diff      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX changes_entity_idx ON changes (tenant, entity_id, id);
CREATE INDEX changes_tenant_idx ON changes (tenant, id);

-- The words of every name and description, unaccented: the vocabulary that
-- a misspelt query word is corrected against (Levenshtein distance 1).
CREATE TABLE search_words (word text PRIMARY KEY);
CREATE INDEX search_words_trgm_idx ON search_words USING gin (word public.gin_trgm_ops);

CREATE FUNCTION remember_words(t text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO catalogue.search_words (word)
  SELECT DISTINCT w FROM regexp_split_to_table(lower(public.unaccent(t)), '[^a-z0-9]+') AS w
  WHERE length(w) >= 3
  ON CONFLICT DO NOTHING;
$$;

CREATE FUNCTION offices_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('catalogue.italian_unaccent', NEW.name), 'A') ||
    setweight(to_tsvector('catalogue.italian_unaccent', NEW.description), 'C');
  PERFORM catalogue.remember_words(NEW.name || ' ' || NEW.description);
  RETURN NEW;
END $$;
CREATE TRIGGER offices_search BEFORE INSERT OR UPDATE ON offices
  FOR EACH ROW EXECUTE FUNCTION offices_search_update();

CREATE FUNCTION services_search_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('catalogue.italian_unaccent', NEW.name), 'A') ||
    setweight(to_tsvector('catalogue.italian_unaccent',
                          NEW.short_description || ' ' || array_to_string(NEW.keywords, ' ')), 'B') ||
    setweight(to_tsvector('catalogue.italian_unaccent', NEW.description || ' ' || NEW.outcome), 'C');
  PERFORM catalogue.remember_words(NEW.name || ' ' || NEW.short_description || ' ' ||
                                   array_to_string(NEW.keywords, ' ') || ' ' || NEW.description);
  RETURN NEW;
END $$;
CREATE TRIGGER services_search BEFORE INSERT OR UPDATE ON services
  FOR EACH ROW EXECUTE FUNCTION services_search_update();
