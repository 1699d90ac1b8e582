-- Rows in the previous release's schema, as its services wrote them: a
-- tenant; two requests (one moved back from resolved to in progress, still
-- carrying its resolved_time, which 0004 clears); personal data, history,
-- the year's counter, two events and a subscriber's cursor (which 0003 and
-- common's outbox migration must keep).
INSERT INTO catalogue.tenants (ipa_code, name, kind, municipality, province)
VALUES ('c_upgr', 'Comune di Prova Aggiornamento', 'comune', 'Prova', 'TA');

INSERT INTO complaints.requests (id, tenant, number, kind, subject, description, channel, status,
                                 token_hash, due_time, resolved_time)
VALUES ('00000000-0000-4000-8000-00000000a001', 'c_upgr', 'UPGR-2026-000001', 'complaint', 'Prima',
        'Tornata in lavorazione dopo la risoluzione.', 'web', 'in_progress', repeat('a', 64),
        '2026-12-31T00:00:00Z', '2026-11-20T10:00:00Z'),
       ('00000000-0000-4000-8000-00000000a002', 'c_upgr', 'UPGR-2026-000002', 'complaint', 'Seconda',
        'Risolta.', 'web', 'resolved', repeat('b', 64), '2026-12-31T00:00:00Z', '2026-11-21T10:00:00Z');
INSERT INTO complaints.reporters (request_id, name, email)
VALUES ('00000000-0000-4000-8000-00000000a001', 'Prova Uno', 'uno@example.it'),
       ('00000000-0000-4000-8000-00000000a002', 'Prova Due', 'due@example.it');
INSERT INTO complaints.history (request_id, actor, action, from_status, to_status)
VALUES ('00000000-0000-4000-8000-00000000a001', 'urp.prova', 'status_changed', 'resolved', 'in_progress'),
       ('00000000-0000-4000-8000-00000000a002', 'urp.prova', 'status_changed', 'in_progress', 'resolved');
INSERT INTO complaints.counters (tenant, year, last) VALUES ('c_upgr', 2026, 2);
INSERT INTO complaints.outbox (tenant, type, subject)
VALUES ('c_upgr', 'request.created', 'UPGR-2026-000001'), ('c_upgr', 'request.created', 'UPGR-2026-000002');
INSERT INTO complaints.deliveries (subscriber, last_sequence) VALUES ('partner', 1);
