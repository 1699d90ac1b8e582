-- Demo surveys of Massafra (c_f027), loaded at start-up when SPORTELLO_DEMO_DATA
-- is on; idempotent (fixed ids, ON CONFLICT DO NOTHING). A year of answers:
--   stars on the CIE procedure (web), three faces at the counters (Anagrafe,
--   Tributi, and the URP with only 6 answers, so grouping by office shows the
--   suppression and its secondary rule), NPS for the library loan, the
--   post-resolution survey with invitations for demo requests, and a school
--   canteen questionnaire.
-- Catalogue ids: services/catalogue/demo.sql.

INSERT INTO surveys.surveys (id, tenant, title, description, template, status, service_id, office_id, channel,
                             access, published, version, create_time, update_time)
VALUES
  ('00000000-0000-4000-a000-000000000001', 'c_f027', 'Carta d''identità elettronica: com''è andata?',
   'La valutazione in fondo alla pagina della procedura.', 'stars', 'open',
   '00000000-0000-4000-9000-000000000001', '00000000-0000-4000-8000-000000000004', 'web', 'anonymous', true, 1,
   now() - interval '400 days', now() - interval '400 days'),
  ('00000000-0000-4000-a000-000000000002', 'c_f027', 'Mettiamoci la faccia',
   'Il tablet allo sportello: un tocco sulla faccina.', 'faces', 'open',
   '', '', 'counter', 'anonymous', true, 1, now() - interval '400 days', now() - interval '400 days'),
  ('00000000-0000-4000-a000-000000000003', 'c_f027', 'Consiglieresti la biblioteca?', '', 'nps', 'open',
   '00000000-0000-4000-9000-000000000020', '00000000-0000-4000-8000-000000000012', 'web', 'anonymous', true, 1,
   now() - interval '400 days', now() - interval '400 days'),
  ('00000000-0000-4000-a000-000000000004', 'c_f027', 'La tua richiesta è stata gestita bene?',
   'Dopo la chiusura di un reclamo o di una segnalazione.', 'post_resolution', 'open',
   '', '', '', 'invitation', true, 1, now() - interval '400 days', now() - interval '400 days'),
  ('00000000-0000-4000-a000-000000000005', 'c_f027', 'Mensa scolastica: carta dei servizi',
   'Questionario annuale per le famiglie.', 'questionnaire', 'open',
   '00000000-0000-4000-9000-000000000017', '00000000-0000-4000-8000-000000000006', 'web', 'anonymous', true, 1,
   now() - interval '400 days', now() - interval '400 days')
ON CONFLICT DO NOTHING;

INSERT INTO surveys.survey_versions (survey_id, version, questions, headline, create_time)
SELECT s.id, 1, v.questions::jsonb, v.headline, s.create_time
FROM surveys.surveys s
JOIN (VALUES
  ('00000000-0000-4000-a000-000000000001'::uuid, '[{"code":"rating","type":"scale","text":"Quanto è stato facile per te concludere questa procedura?","required":true,"min":1,"max":5,"labels":[]},{"code":"difficulties","type":"single_choice","text":"Dove hai incontrato le maggiori difficoltà?","required":false,"options":[{"code":"not_clear","label":"A volte le indicazioni non erano chiare"},{"code":"not_complete","label":"A volte le indicazioni non erano complete"},{"code":"not_sure","label":"A volte non capivo se stavo procedendo correttamente"},{"code":"technical","label":"Ho avuto problemi tecnici"},{"code":"other","label":"Altro"}],"condition":{"question":"rating","op":"below","codes":[],"value":4}},{"code":"liked","type":"single_choice","text":"Quali sono stati gli aspetti che hai preferito?","required":false,"options":[{"code":"clear","label":"Le indicazioni erano chiare"},{"code":"complete","label":"Le indicazioni erano complete"},{"code":"sure","label":"Capivo sempre che stavo procedendo correttamente"},{"code":"no_technical","label":"Non ho avuto problemi tecnici"},{"code":"other","label":"Altro"}],"condition":{"question":"rating","op":"at_least","codes":[],"value":4}},{"code":"details","type":"text","text":"Vuoi aggiungere altri dettagli?","required":false,"max_length":200}]', 'rating'),
  ('00000000-0000-4000-a000-000000000002'::uuid, '[{"code":"face","type":"scale","text":"Come giudichi il servizio che hai ricevuto?","required":true,"min":1,"max":3,"labels":["Faccina rossa: negativo","Faccina gialla: sufficiente","Faccina verde: positivo"]},{"code":"reasons","type":"single_choice","text":"Per quale motivo non sei soddisfatto?","required":false,"options":[{"code":"waiting_time","label":"Tempo di attesa"},{"code":"staff_courtesy","label":"Cortesia del personale"},{"code":"staff_competence","label":"Competenza del personale"},{"code":"information","label":"Chiarezza delle informazioni"},{"code":"other","label":"Altro"}],"condition":{"question":"face","op":"below","codes":[],"value":2}}]', 'face'),
  ('00000000-0000-4000-a000-000000000003'::uuid, '[{"code":"recommend","type":"scale","text":"Quanto è probabile che tu consigli questo servizio a un amico o a un familiare?","required":true,"min":0,"max":10,"labels":["Per niente probabile","","","","","","","","","","Estremamente probabile"]},{"code":"why","type":"text","text":"Perché?","required":false,"max_length":500}]', 'recommend'),
  ('00000000-0000-4000-a000-000000000004'::uuid, '[{"code":"solved","type":"single_choice","text":"La tua richiesta è stata risolta?","required":true,"options":[{"code":"yes","label":"Sì"},{"code":"partly","label":"In parte"},{"code":"no","label":"No"}]},{"code":"handling","type":"scale","text":"Come valuti la gestione della tua richiesta?","required":true,"min":1,"max":5,"labels":["Pessima","Scarsa","Sufficiente","Buona","Ottima"]},{"code":"comment","type":"text","text":"Vuoi lasciarci un commento?","required":false,"max_length":500}]', 'handling'),
  ('00000000-0000-4000-a000-000000000005'::uuid, '[{"code":"quality","type":"scale","text":"Come valuti la qualità dei pasti?","required":true,"min":1,"max":5,"labels":["Pessima","Scarsa","Sufficiente","Buona","Ottima"]},{"code":"frequency","type":"single_choice","text":"Quanti giorni a settimana tuo figlio usa la mensa?","required":true,"options":[{"code":"one_two","label":"1 o 2"},{"code":"three_four","label":"3 o 4"},{"code":"every_day","label":"Tutti i giorni"}]},{"code":"improve","type":"multiple_choice","text":"Cosa miglioreresti?","required":false,"options":[{"code":"menu","label":"Il menù"},{"code":"portions","label":"Le porzioni"},{"code":"times","label":"Gli orari"},{"code":"cleanliness","label":"La pulizia dei locali"},{"code":"other","label":"Altro"}],"condition":{"question":"quality","op":"below","codes":[],"value":4}},{"code":"suggestions","type":"text","text":"Hai suggerimenti per il servizio?","required":false,"max_length":500}]', 'quality')
) AS v(id, questions, headline) ON v.id = s.id
ON CONFLICT DO NOTHING;

-- Stars: 220 answers; below 4 the difficulties, from 4 what was liked; a comment every 7th.
INSERT INTO surveys.responses (id, tenant, survey_id, version, channel, service_id, office_id, headline, create_time)
SELECT md5('demo-stars-' || g)::uuid, 'c_f027', '00000000-0000-4000-a000-000000000001', 1, 'web',
       '00000000-0000-4000-9000-000000000001', '00000000-0000-4000-8000-000000000004',
       CASE WHEN g % 10 < 4 THEN 5 WHEN g % 10 < 7 THEN 4 WHEN g % 10 = 7 THEN 3 WHEN g % 10 = 8 THEN 2 ELSE 1 END,
       date_trunc('hour', now()) - ((g * 37) % 360) * interval '1 day' - (g % 9) * interval '1 hour'
FROM generate_series(1, 220) g
ON CONFLICT DO NOTHING;

INSERT INTO surveys.answers (response_id, question, choices, value, has_text)
SELECT r.id, 'rating', '{}'::text[], r.headline, false FROM surveys.responses r
WHERE r.survey_id = '00000000-0000-4000-a000-000000000001'
UNION ALL
SELECT r.id, CASE WHEN r.headline < 4 THEN 'difficulties' ELSE 'liked' END,
       ARRAY[(CASE WHEN r.headline < 4
                   THEN ARRAY['not_clear', 'not_complete', 'not_sure', 'technical', 'other']
                   ELSE ARRAY['clear', 'complete', 'sure', 'no_technical', 'other'] END)
             [1 + abs(hashtext(r.id::text)) % 5]], NULL, false
FROM surveys.responses r
WHERE r.survey_id = '00000000-0000-4000-a000-000000000001' AND abs(hashtext(r.id::text)) % 4 <> 0
UNION ALL
SELECT r.id, 'details', '{}'::text[], NULL, true FROM surveys.responses r
WHERE r.survey_id = '00000000-0000-4000-a000-000000000001' AND abs(hashtext(r.id::text)) % 7 = 0
ON CONFLICT DO NOTHING;

-- Three faces at three counters: 180 at the Anagrafe, 40 at the Tributi, 6 at the URP.
INSERT INTO surveys.responses (id, tenant, survey_id, version, channel, service_id, office_id, headline, create_time)
SELECT md5('demo-faces-' || g)::uuid, 'c_f027', '00000000-0000-4000-a000-000000000002', 1, 'counter', '',
       CASE WHEN g <= 180 THEN '00000000-0000-4000-8000-000000000004'
            WHEN g <= 220 THEN '00000000-0000-4000-8000-000000000007'
            ELSE '00000000-0000-4000-8000-000000000003' END,
       CASE WHEN g % 10 < 6 THEN 3 WHEN g % 10 < 8 THEN 2 ELSE 1 END,
       date_trunc('hour', now()) - ((g * 37) % 360) * interval '1 day' - (g % 9) * interval '1 hour'
FROM generate_series(1, 226) g
ON CONFLICT DO NOTHING;

INSERT INTO surveys.answers (response_id, question, choices, value, has_text)
SELECT r.id, 'face', '{}'::text[], r.headline, false FROM surveys.responses r
WHERE r.survey_id = '00000000-0000-4000-a000-000000000002'
UNION ALL
SELECT r.id, 'reasons',
       ARRAY[(ARRAY['waiting_time', 'waiting_time', 'staff_courtesy', 'information', 'other'])
             [1 + abs(hashtext(r.id::text)) % 5]], NULL, false
FROM surveys.responses r
WHERE r.survey_id = '00000000-0000-4000-a000-000000000002' AND r.headline = 1
ON CONFLICT DO NOTHING;

-- NPS for the library loan: 120 answers.
INSERT INTO surveys.responses (id, tenant, survey_id, version, channel, service_id, office_id, headline, create_time)
SELECT md5('demo-nps-' || g)::uuid, 'c_f027', '00000000-0000-4000-a000-000000000003', 1, 'web',
       '00000000-0000-4000-9000-000000000020', '00000000-0000-4000-8000-000000000012',
       CASE WHEN g % 10 < 5 THEN 9 + g % 2 WHEN g % 10 < 8 THEN 7 + g % 2 ELSE g % 7 END,
       date_trunc('hour', now()) - ((g * 37) % 360) * interval '1 day' - (g % 9) * interval '1 hour'
FROM generate_series(1, 120) g
ON CONFLICT DO NOTHING;

INSERT INTO surveys.answers (response_id, question, choices, value, has_text)
SELECT r.id, 'recommend', '{}'::text[], r.headline, false FROM surveys.responses r
WHERE r.survey_id = '00000000-0000-4000-a000-000000000003'
UNION ALL
SELECT r.id, 'why', '{}'::text[], NULL, true FROM surveys.responses r
WHERE r.survey_id = '00000000-0000-4000-a000-000000000003' AND abs(hashtext(r.id::text)) % 5 = 0
ON CONFLICT DO NOTHING;

-- Post-resolution: 60 demo requests invited, 35 answered.
INSERT INTO surveys.invitations (id, tenant, survey_id, request_number, service_id, office_id, channel,
                                 create_time, expire_time)
SELECT md5('demo-post-invitation-' || g)::uuid, 'c_f027', '00000000-0000-4000-a000-000000000004',
       'F027-DEMO-' || lpad(g::text, 6, '0'), '',
       (ARRAY['00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004',
              '00000000-0000-4000-8000-000000000009'])[1 + g % 3],
       (ARRAY['web', 'phone', 'counter'])[1 + g % 3],
       date_trunc('hour', now()) - ((g * 37) % 360) * interval '1 day' - (g % 9) * interval '1 hour', date_trunc('hour', now()) - ((g * 37) % 360) * interval '1 day' - (g % 9) * interval '1 hour' + interval '30 days'
FROM generate_series(1, 60) g
-- A post-resolution survey made earlier by an event keeps the demo's out.
WHERE EXISTS (SELECT 1 FROM surveys.surveys WHERE id = '00000000-0000-4000-a000-000000000004')
ON CONFLICT DO NOTHING;

INSERT INTO surveys.responses (id, tenant, survey_id, version, invitation_id, channel, service_id, office_id,
                               headline, create_time)
SELECT md5('demo-post-' || g)::uuid, 'c_f027', i.survey_id, 1, i.id, i.channel, i.service_id, i.office_id,
       CASE WHEN g % 5 < 2 THEN 5 WHEN g % 5 < 4 THEN 4 ELSE 2 END, i.create_time + interval '2 days'
FROM generate_series(1, 35) g
JOIN surveys.invitations i ON i.id = md5('demo-post-invitation-' || g)::uuid
ON CONFLICT DO NOTHING;

INSERT INTO surveys.answers (response_id, question, choices, value, has_text)
SELECT r.id, 'solved', ARRAY[CASE WHEN r.headline >= 4 THEN 'yes' WHEN r.headline = 3 THEN 'partly' ELSE 'no' END],
       NULL, false
FROM surveys.responses r WHERE r.survey_id = '00000000-0000-4000-a000-000000000004'
UNION ALL
SELECT r.id, 'handling', '{}'::text[], r.headline, false FROM surveys.responses r
WHERE r.survey_id = '00000000-0000-4000-a000-000000000004'
ON CONFLICT DO NOTHING;

-- The canteen questionnaire: 80 families.
INSERT INTO surveys.responses (id, tenant, survey_id, version, channel, service_id, office_id, headline, create_time)
SELECT md5('demo-canteen-' || g)::uuid, 'c_f027', '00000000-0000-4000-a000-000000000005', 1, 'web',
       '00000000-0000-4000-9000-000000000017', '00000000-0000-4000-8000-000000000006',
       1 + (g * 3) % 5, date_trunc('hour', now()) - ((g * 37) % 360) * interval '1 day' - (g % 9) * interval '1 hour'
FROM generate_series(1, 80) g
ON CONFLICT DO NOTHING;

INSERT INTO surveys.answers (response_id, question, choices, value, has_text)
SELECT r.id, 'quality', '{}'::text[], r.headline, false FROM surveys.responses r
WHERE r.survey_id = '00000000-0000-4000-a000-000000000005'
UNION ALL
SELECT r.id, 'frequency', ARRAY[(ARRAY['one_two', 'three_four', 'every_day'])[1 + abs(hashtext(r.id::text)) % 3]],
       NULL, false
FROM surveys.responses r WHERE r.survey_id = '00000000-0000-4000-a000-000000000005'
UNION ALL
SELECT r.id, 'improve', ARRAY['menu', (ARRAY['portions', 'times', 'cleanliness'])[1 + abs(hashtext(r.id::text)) % 3]],
       NULL, false
FROM surveys.responses r WHERE r.survey_id = '00000000-0000-4000-a000-000000000005' AND r.headline < 4
ON CONFLICT DO NOTHING;

-- One open consultation of the Unione (u_gravine): the draft regulation for
-- the shared civic-waste collection centres, open from ten days ago for a
-- month and a half (Europe/Rome days), with comments: two approved, one
-- waiting for moderation, one rejected (its reason for staff only), and 14
-- answers so far.
INSERT INTO surveys.surveys (id, tenant, title, description, template, status, service_id, office_id, channel,
                             access, published, version, create_time, update_time, open_time, close_time)
VALUES
  ('00000000-0000-4000-a000-000000000101', 'u_gravine',
   'Regolamento dei centri comunali di raccolta dell''Unione',
   'Consultazione pubblica sulla bozza del regolamento unico dei centri di raccolta di Crispiano, Massafra e Statte.',
   'questionnaire', 'open', '', '', 'web', 'anonymous', false, 1,
   now() - interval '12 days', now() - interval '12 days',
   (current_date - 10)::timestamp AT TIME ZONE 'Europe/Rome', (current_date + 36)::timestamp AT TIME ZONE 'Europe/Rome')
ON CONFLICT DO NOTHING;

INSERT INTO surveys.survey_versions (survey_id, version, questions, headline, create_time)
VALUES ('00000000-0000-4000-a000-000000000101', 1,
  '[{"code":"agree","type":"single_choice","text":"Sei d''accordo con la bozza di regolamento?","required":true,"options":[{"code":"yes","label":"Sì"},{"code":"partly","label":"In parte"},{"code":"no","label":"No"}]},{"code":"hours","type":"single_choice","text":"Quale fascia oraria di apertura preferisci?","required":false,"options":[{"code":"morning","label":"Mattina"},{"code":"afternoon","label":"Pomeriggio"},{"code":"saturday","label":"Sabato"}]}]',
  '', now() - interval '12 days')
ON CONFLICT DO NOTHING;

INSERT INTO surveys.consultations (id, tenant, survey_id, title, description, document_url, open_date, close_date,
                                   open_time, close_time, eligibility, comments_enabled, create_time, update_time)
SELECT '00000000-0000-4000-a100-000000000001', s.tenant, s.id, s.title, s.description,
       'https://www.unioneterradellegravine.it/consultazioni/regolamento-centri-raccolta-bozza.pdf',
       current_date - 10, current_date + 35, s.open_time, s.close_time, 'anyone', true, s.create_time, s.create_time
FROM surveys.surveys s WHERE s.id = '00000000-0000-4000-a000-000000000101'
ON CONFLICT DO NOTHING;

INSERT INTO surveys.consultation_comments (id, tenant, consultation_id, text, state, rejection_reason, create_time,
                                           moderate_time, moderator)
VALUES
  ('00000000-0000-4000-a200-000000000001', 'u_gravine', '00000000-0000-4000-a100-000000000001',
   'Sarebbe utile un''apertura il sabato pomeriggio: chi lavora non riesce a portare gli ingombranti in settimana.',
   'approved', '', now() - interval '8 days', now() - interval '7 days', 'demo-operatore'),
  ('00000000-0000-4000-a200-000000000002', 'u_gravine', '00000000-0000-4000-a100-000000000001',
   'Bene il centro unico per i tre comuni, ma servono navette o ritiro a domicilio per gli anziani di Statte.',
   'approved', '', now() - interval '6 days', now() - interval '5 days', 'demo-operatore'),
  ('00000000-0000-4000-a200-000000000003', 'u_gravine', '00000000-0000-4000-a100-000000000001',
   'All''articolo 7 non è chiaro se gli sfalci di potatura siano ammessi anche dalle aziende agricole.',
   'pending', '', now() - interval '1 day', NULL, ''),
  ('00000000-0000-4000-a200-000000000004', 'u_gravine', '00000000-0000-4000-a100-000000000001',
   'Commento con insulti verso un dipendente, nominato per nome.',
   'rejected', 'Contiene offese e il nome di una persona (policy dei commenti, punto 3).',
   now() - interval '4 days', now() - interval '4 days', 'demo-operatore')
ON CONFLICT DO NOTHING;

INSERT INTO surveys.comment_authors (comment_id, name, email, create_time)
VALUES ('00000000-0000-4000-a200-000000000003', 'Cittadino di prova', 'cittadino.prova@example.org', now() - interval '1 day')
ON CONFLICT DO NOTHING;

INSERT INTO surveys.responses (id, tenant, survey_id, version, channel, headline, create_time)
SELECT md5('demo-consultation-' || g)::uuid, 'u_gravine', '00000000-0000-4000-a000-000000000101', 1, 'web', NULL,
       date_trunc('hour', now()) - (g % 9) * interval '1 day' - (g % 7) * interval '1 hour'
FROM generate_series(1, 14) g
ON CONFLICT DO NOTHING;

INSERT INTO surveys.answers (response_id, question, choices, value, has_text)
SELECT r.id, 'agree', ARRAY[(ARRAY['yes', 'yes', 'partly', 'no'])[1 + abs(hashtext(r.id::text)) % 4]], NULL::int, false
FROM surveys.responses r WHERE r.survey_id = '00000000-0000-4000-a000-000000000101'
UNION ALL
SELECT r.id, 'hours', ARRAY[(ARRAY['morning', 'afternoon', 'saturday'])[1 + abs(hashtext(r.id::text)) % 3]], NULL::int, false
FROM surveys.responses r WHERE r.survey_id = '00000000-0000-4000-a000-000000000101'
  AND abs(hashtext(r.id::text)) % 5 <> 0
ON CONFLICT DO NOTHING;
