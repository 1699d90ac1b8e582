-- The outbox moves to common/outbox: its relay claims a subscriber with a
-- lease instead of holding a row lock while it calls the subscriber. The
-- cursors keep their values (no subscriber gets its history again); the
-- table takes common's name and shape (common/outbox/outbox.cpp), so that
-- common's own migration then finds both tables in place.
ALTER TABLE deliveries RENAME TO outbox_cursors;
ALTER TABLE outbox_cursors
  ADD COLUMN leased_until timestamptz,
  ADD COLUMN lease_token text NOT NULL DEFAULT '';
