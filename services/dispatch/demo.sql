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
