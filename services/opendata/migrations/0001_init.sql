-- Open data: datasets per tenant, immutable versions, their distributions
-- (size and SHA-256), the rendered rows streamed by COPY, and the proactive
-- publications of the access register.
CREATE TABLE opendata.datasets (
  id             text PRIMARY KEY,            -- "<tenant>-<slug>"
  tenant         text NOT NULL,
  slug           text NOT NULL,
  tenant_name    text NOT NULL DEFAULT '',
  description    text,                        -- operators' text; NULL: the default
  keywords       text[],                      -- NULL: the default
  contact_name   text NOT NULL DEFAULT '',
  contact_email  text NOT NULL DEFAULT '',
  create_time    timestamptz NOT NULL,
  UNIQUE (tenant, slug)
);

CREATE TABLE opendata.versions (
  dataset_id   text NOT NULL REFERENCES opendata.datasets(id),
  number       integer NOT NULL,
  create_time  timestamptz NOT NULL,
  row_count    bigint NOT NULL,
  period       text NOT NULL DEFAULT '',
  approved     boolean NOT NULL,
  approve_time timestamptz,
  PRIMARY KEY (dataset_id, number)
);

CREATE TABLE opendata.distributions (
  dataset_id  text NOT NULL,
  version     integer NOT NULL,
  format      text NOT NULL,
  byte_size   bigint NOT NULL,
  sha256      text NOT NULL,
  prefix      text NOT NULL,
  separator   text NOT NULL,
  suffix      text NOT NULL,
  empty       text NOT NULL,
  PRIMARY KEY (dataset_id, version, format),
  FOREIGN KEY (dataset_id, version) REFERENCES opendata.versions(dataset_id, number)
);

CREATE TABLE opendata.version_rows (
  dataset_id  text NOT NULL,
  version     integer NOT NULL,
  n           bigint NOT NULL,
  csv         text NOT NULL,
  json        text NOT NULL,
  PRIMARY KEY (dataset_id, version, n),
  FOREIGN KEY (dataset_id, version) REFERENCES opendata.versions(dataset_id, number)
);

-- Versions never change once written: only approval may be recorded.
CREATE FUNCTION opendata.versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'le versioni dei dataset non si cancellano';
  END IF;
  IF TG_TABLE_NAME = 'versions' AND NEW.number = OLD.number AND NEW.row_count = OLD.row_count
     AND NEW.create_time = OLD.create_time AND NEW.period = OLD.period AND OLD.approved = false THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'le versioni dei dataset sono immutabili';
END $$;
CREATE TRIGGER versions_immutable BEFORE UPDATE OR DELETE ON opendata.versions
  FOR EACH ROW EXECUTE FUNCTION opendata.versions_immutable();
CREATE TRIGGER distributions_immutable BEFORE UPDATE OR DELETE ON opendata.distributions
  FOR EACH ROW EXECUTE FUNCTION opendata.versions_immutable();
CREATE TRIGGER rows_immutable BEFORE UPDATE OR DELETE ON opendata.version_rows
  FOR EACH ROW EXECUTE FUNCTION opendata.versions_immutable();

CREATE TABLE opendata.proactive (
  id            text PRIMARY KEY,             -- "<tenant>-<year>-<sha of object, 12>"
  tenant        text NOT NULL,
  object        text NOT NULL,
  year          integer NOT NULL,
  requesters    integer NOT NULL,
  document_url  text,
  publish_time  timestamptz
);
CREATE INDEX proactive_tenant ON opendata.proactive (tenant, id);
