-- Demo data of the Unione "Terra delle Gravine" (applied with SPORTELLO_DEMO_DATA=true;
-- idempotent): the feed accounts of Massafra and of the Unione, one published
-- message each so the feeds are not empty, and a past referendum blackout.
-- Accounts on Telegram, Mastodon, webhooks and e-mail need credentials: add
-- them through the API (README, "Institutional messages").
INSERT INTO dispatch.accounts (id, tenant, channel, handle, public_url, owner_office)
VALUES ('7d0f9a10-0000-4000-8000-000000000001', 'c_f027', 'feed', 'feed',
        'http://127.0.0.1:8080/feeds/c_f027/atom', 'URP'),
       ('7d0f9a10-0000-4000-8000-000000000002', 'u_gravine', 'feed', 'feed',
        'http://127.0.0.1:8080/feeds/u_gravine/atom', 'URP')
ON CONFLICT (id) DO NOTHING;

INSERT INTO dispatch.messages (id, tenant, author, title, text, link, account_ids, state, approvals,
                               create_time, update_time, publish_time)
VALUES ('7d0f9a10-0000-4000-8000-000000000101', 'c_f027', 'urp.demo', 'Nuovi orari dello sportello URP',
        'Da lunedì lo sportello URP di Massafra è aperto anche il giovedì pomeriggio, dalle 15:30 alle 17:30.',
        'https://www.comune.massafra.ta.it/', '["7d0f9a10-0000-4000-8000-000000000001"]', 'approved',
        '["responsabile.demo"]', '2026-11-02 09:00+01', '2026-11-02 09:30+01', '2026-11-02 09:30+01'),
       ('7d0f9a10-0000-4000-8000-000000000102', 'u_gravine', 'urp.demo', 'Piano di comunicazione 2027',
        'L''Unione Terra delle Gravine pubblica il piano annuale di comunicazione istituzionale 2027.',
        '', '["7d0f9a10-0000-4000-8000-000000000002"]', 'approved',
        '["responsabile.demo"]', '2026-11-10 10:00+01', '2026-11-10 10:15+01', '2026-11-10 10:15+01')
ON CONFLICT (id) DO NOTHING;

INSERT INTO dispatch.message_steps (message_id, action, who, at, text, note)
SELECT m.id, s.action, s.who, m.create_time + s.after, m.text, ''
FROM dispatch.messages m
CROSS JOIN (VALUES ('create', 'urp.demo', interval '0'), ('submit', 'urp.demo', interval '5 minutes'),
                   ('approve', 'responsabile.demo', interval '30 minutes')) AS s (action, who, after)
WHERE m.id IN ('7d0f9a10-0000-4000-8000-000000000101', '7d0f9a10-0000-4000-8000-000000000102')
  AND NOT EXISTS (SELECT 1 FROM dispatch.message_steps x WHERE x.message_id = m.id);

INSERT INTO dispatch.blackouts (id, name, start_time, end_time, tenants, created_by)
VALUES ('7d0f9a10-0000-4000-8000-000000000201', 'Referendum consultivo comunale 2026',
        '2026-03-20 00:00+01', '2026-05-24 23:00+02',
        '["c_f027", "u_gravine"]', 'admin.demo')
ON CONFLICT (id) DO NOTHING;

-- Official accounts of Massafra and of the Unione on every channel, aimed at
-- the loopback stand-ins that `./sportello run` starts
-- (tests/dispatch/fake_platforms.py on 127.0.0.1:18091, SMTP on :18025).
-- Credentials are references to the environment `./sportello run` gives
-- dispatch (the stand-ins' test credentials), never stored in clear.
INSERT INTO dispatch.accounts (id, tenant, channel, handle, public_url, owner_office, endpoint, recipients, credential)
VALUES ('7d0f9a10-0000-4000-8000-000000000011', 'c_f027', 'telegram', '@comunemassafra',
        'https://t.me/comunemassafra', 'URP', 'http://127.0.0.1:18091', '[]', 'env:SPORTELLO_DEMO_TELEGRAM_TOKEN'),
       ('7d0f9a10-0000-4000-8000-000000000012', 'c_f027', 'mastodon', '@comunemassafra@social.example.it',
        'https://social.example.it/@comunemassafra', 'URP', 'http://127.0.0.1:18091', '[]',
        'env:SPORTELLO_DEMO_MASTODON_TOKEN'),
       ('7d0f9a10-0000-4000-8000-000000000013', 'c_f027', 'webhook', 'portale istituzionale',
        '', 'Servizi informativi', 'http://127.0.0.1:18091/hook', '[]', 'env:SPORTELLO_DEMO_WEBHOOK_SECRET'),
       ('7d0f9a10-0000-4000-8000-000000000014', 'c_f027', 'email', 'notizie@comune.massafra.example.it',
        '', 'URP', 'smtp://127.0.0.1:18025', '["iscritti-newsletter@example.org"]', ''),
       ('7d0f9a10-0000-4000-8000-000000000021', 'u_gravine', 'telegram', '@unionegravine',
        'https://t.me/unionegravine', 'Ufficio stampa', 'http://127.0.0.1:18091', '[]',
        'env:SPORTELLO_DEMO_TELEGRAM_TOKEN'),
       ('7d0f9a10-0000-4000-8000-000000000022', 'u_gravine', 'mastodon', '@unionegravine@social.example.it',
        'https://social.example.it/@unionegravine', 'Ufficio stampa', 'http://127.0.0.1:18091', '[]',
        'env:SPORTELLO_DEMO_MASTODON_TOKEN'),
       ('7d0f9a10-0000-4000-8000-000000000023', 'u_gravine', 'webhook', 'app dei comuni',
        '', 'Ufficio stampa', 'http://127.0.0.1:18091/hook', '[]', 'env:SPORTELLO_DEMO_WEBHOOK_SECRET'),
       ('7d0f9a10-0000-4000-8000-000000000024', 'u_gravine', 'email', 'comunicati@unionegravine.example.it',
        '', 'Ufficio stampa', 'smtp://127.0.0.1:18025', '["redazioni@example.org"]', '')
ON CONFLICT (id) DO NOTHING;

-- The 2027 communication plan.
INSERT INTO dispatch.campaigns (id, tenant, name, objective, start_date, end_date, audience, channels, owner_office,
                                create_time, update_time)
VALUES ('7d0f9a10-0000-4000-8000-000000000301', 'c_f027', 'Differenziata: obiettivo 75%',
        'Portare la raccolta differenziata dal 68% al 75% con il nuovo calendario porta a porta',
        '2027-02-01', '2027-05-31', 'famiglie, condomini, scuole', '["telegram", "mastodon", "feed", "email"]',
        'Ambiente', '2026-11-20 10:00+01', '2026-11-20 10:00+01'),
       ('7d0f9a10-0000-4000-8000-000000000302', 'c_f027', 'Servizi online e SPID',
        'Far conoscere i servizi comunali online e aiutare gli anziani ad attivare SPID o CIE',
        '2027-09-15', '2027-11-30', 'over 65, caregiver', '["telegram", "feed", "webhook"]', 'URP',
        '2026-11-20 10:05+01', '2026-11-20 10:05+01'),
       ('7d0f9a10-0000-4000-8000-000000000303', 'c_f027', 'Estate sicura: ondate di calore',
        'Informare sui rischi del caldo e sui luoghi climatizzati aperti al pubblico',
        '2027-06-15', '2027-09-10', 'anziani, persone fragili', '["telegram", "mastodon", "feed"]',
        'Protezione civile', '2026-11-20 10:10+01', '2026-11-20 10:10+01'),
       ('7d0f9a10-0000-4000-8000-000000000304', 'u_gravine', 'Sportello unico per le imprese',
        'Far conoscere il SUAP associato dell''Unione e i tempi dei procedimenti',
        '2027-03-01', '2027-06-30', 'imprese, professionisti', '["mastodon", "feed", "email", "webhook"]',
        'SUAP', '2026-11-25 09:00+01', '2026-11-25 09:00+01'),
       ('7d0f9a10-0000-4000-8000-000000000305', 'u_gravine', 'Trasporto scolastico 2027/28',
        'Iscrizioni al trasporto scolastico dei cinque comuni entro le scadenze',
        '2027-05-02', '2027-07-31', 'famiglie con figli in età scolare', '["telegram", "feed", "webhook"]',
        'Servizi scolastici', '2026-11-25 09:05+01', '2026-11-25 09:05+01')
ON CONFLICT (id) DO NOTHING;

-- What the referendum blackout held: approved before the period, due inside
-- it, held at send time, and back to a manager after the polls closed.
INSERT INTO dispatch.messages (id, tenant, author, title, text, link, account_ids, state, approvals,
                               create_time, update_time, scheduled_time)
VALUES ('7d0f9a10-0000-4000-8000-000000000103', 'c_f027', 'urp.demo', 'Inaugurazione del nuovo parco urbano',
        'Il Sindaco inaugura domenica il nuovo parco urbano di via Livatino: vi aspettiamo alle 10.',
        'https://www.comune.massafra.ta.it/', '["7d0f9a10-0000-4000-8000-000000000001"]', 'submitted', '[]',
        '2026-03-16 09:00+01', '2026-05-25 00:00+02', '2026-04-12 10:00+02')
ON CONFLICT (id) DO NOTHING;
INSERT INTO dispatch.message_steps (message_id, action, who, at, text, note)
SELECT m.id, s.action, s.who, s.at::timestamptz, m.text, s.note
FROM dispatch.messages m
CROSS JOIN (VALUES ('create', 'urp.demo', '2026-03-16 09:00+01', ''),
                   ('submit', 'urp.demo', '2026-03-16 09:10+01', ''),
                   ('approve', 'responsabile.demo', '2026-03-17 11:00+01', ''),
                   ('hold', 'sistema', '2026-04-12 10:00+02',
                    'periodo elettorale: Referendum consultivo comunale 2026 (trattenuto all''invio)'),
                   ('release-held', 'system', '2026-05-25 00:00+02',
                    'periodo elettorale concluso: torna al responsabile')) AS s (action, who, at, note)
WHERE m.id = '7d0f9a10-0000-4000-8000-000000000103'
  AND NOT EXISTS (SELECT 1 FROM dispatch.message_steps x WHERE x.message_id = m.id);

-- The social-media policy, modelled on a comune's published one.
INSERT INTO dispatch.policies (tenant, version, title, text, author, publish_time)
VALUES ('c_f027', 1, 'Social media policy del Comune di Massafra',
$$## I canali di comunicazione

Il sito istituzionale è la principale fonte di informazioni e comunicazioni d'interesse pubblico. Il Comune è presente anche sui social media per informare, comunicare, ascoltare e orientare l'accesso ai servizi: questi strumenti integrano e non sostituiscono i canali tradizionali.

## Gli account ufficiali

Gli account ufficiali sono quelli elencati nel registro pubblico (/api/v1/tenants/c_f027/accounts). Altri account che rimandino al Comune o a suoi progetti sono iniziative private, non autorizzate e prive di valenza istituzionale.

## Regole di comportamento

Gli spazi sono pensati per l'informazione e lo scambio di opinioni e sono moderati dal personale dell'URP. Sono rimossi i contenuti offensivi, discriminatori, pubblicitari, fuori tema o che contengono dati personali propri o altrui. Le segnalazioni e i reclami vanno presentati attraverso lo Sportello: sui social non si trattano casi personali.

## Tempi di risposta

Le domande pubblicate sui canali ufficiali ricevono risposta nei giorni lavorativi entro 48 ore, di norma con il rimando al servizio competente.$$,
        'responsabile.demo', '2026-01-15 09:00+01'),
       ('c_f027', 2, 'Social media policy del Comune di Massafra',
$$## I canali di comunicazione

Il sito istituzionale è la principale fonte di informazioni e comunicazioni d'interesse pubblico. Il Comune è presente anche sui social media (Telegram e Mastodon) per informare, comunicare, ascoltare e orientare l'accesso ai servizi, favorendo la partecipazione e il dialogo: questi strumenti integrano e non sostituiscono i canali tradizionali.

## Gli account ufficiali

Gli account ufficiali sono quelli elencati nel registro pubblico (/api/v1/tenants/c_f027/accounts) e sono gestiti dall'URP, snodo della rete dei referenti di comunicazione degli uffici. Altri account che rimandino al Comune o a suoi progetti sono iniziative private, non autorizzate e prive di valenza istituzionale.

## Regole di comportamento

Gli spazi sono pensati per l'informazione e lo scambio di opinioni e sono moderati dal personale dell'URP. Sono rimossi i contenuti offensivi, discriminatori, pubblicitari, fuori tema o che contengono dati personali propri o altrui. Le segnalazioni e i reclami vanno presentati attraverso lo Sportello: sui social non si trattano casi personali.

## Periodi elettorali

Dalla convocazione dei comizi alla chiusura dei seggi (legge 28/2000, art. 9) i canali pubblicano solo comunicazioni impersonali e indispensabili all'efficace svolgimento delle funzioni dell'ente.

## Tempi di risposta

Le domande pubblicate sui canali ufficiali ricevono risposta nei giorni lavorativi entro 24 ore, di norma con il rimando al servizio competente.

## Piano di comunicazione

Le campagne sono programmate nel piano annuale di comunicazione (/api/v1/tenants/c_f027/campaigns), aggiornato ogni anno dall'URP.$$,
        'responsabile.demo', '2026-11-20 12:00+01')
ON CONFLICT (tenant, version) DO NOTHING;

INSERT INTO dispatch.policies (tenant, version, title, text, author, publish_time)
VALUES ('u_gravine', 1, 'Social media policy dell''Unione Terra delle Gravine',
$$## I canali dell'Unione

L'Unione informa sui servizi associati (SUAP, polizia locale, servizi scolastici) attraverso il sito istituzionale e gli account ufficiali elencati nel registro pubblico (/api/v1/tenants/u_gravine/accounts); ogni comune membro ha i propri. Altri account sono iniziative private prive di valenza istituzionale.

## Moderazione e risposte

Gli spazi sono moderati dall'ufficio stampa. Sono rimossi contenuti offensivi, pubblicitari, fuori tema o con dati personali. Le domande ricevono risposta nei giorni lavorativi entro 48 ore; segnalazioni e reclami si presentano attraverso lo Sportello.

## Periodi elettorali

Dalla convocazione dei comizi alla chiusura dei seggi (legge 28/2000, art. 9) si pubblicano solo comunicazioni impersonali e indispensabili.$$,
        'responsabile.demo', '2026-11-25 09:30+01')
ON CONFLICT (tenant, version) DO NOTHING;
