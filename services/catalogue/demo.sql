-- Demo data: the Unione dei Comuni "Terra delle Gravine" and its members.
-- The Unione's IPA code, the PEC addresses and the street addresses are
-- invented demo values (demo = true); the comuni's codes follow the IPA
-- pattern c_<codice catastale>. Idempotent: a second run changes nothing.
INSERT INTO catalogue.tenants (ipa_code, name, kind, parent_ipa_code, website, pec,
                               street, postal_code, municipality, province, demo)
VALUES
  ('u_gravine', 'Unione dei Comuni Terra delle Gravine', 'unione', NULL,
   'https://www.unioneterradellegravine.it', 'protocollo@pec.unioneterradellegravine.it',
   'Via Roma 1', '74016', 'Massafra', 'TA', true)
ON CONFLICT (ipa_code) DO NOTHING;

INSERT INTO catalogue.tenants (ipa_code, name, kind, parent_ipa_code, website, pec,
                               street, postal_code, municipality, province, demo)
VALUES
  ('c_d171', 'Comune di Crispiano', 'comune', 'u_gravine',
   'https://www.comune.crispiano.ta.it', 'protocollo@pec.comune.crispiano.ta.it',
   'Piazza Madonna della Neve 1', '74012', 'Crispiano', 'TA', true),
  ('c_f027', 'Comune di Massafra', 'comune', 'u_gravine',
   'https://www.comune.massafra.ta.it', 'protocollo@pec.comune.massafra.ta.it',
   'Piazza Garibaldi 1', '74016', 'Massafra', 'TA', true),
  ('c_m298', 'Comune di Statte', 'comune', 'u_gravine',
   'https://www.comune.statte.ta.it', 'protocollo@pec.comune.statte.ta.it',
   'Via Bainsizza 2', '74010', 'Statte', 'TA', true)
ON CONFLICT (ipa_code) DO NOTHING;

-- Offices (uffici) and services (schede servizio) of the Unione and its
-- members. Addresses, positions, telephone numbers, e-mail and PEC addresses,
-- web pages and form URLs are invented demo values. Patron saint days in the
-- opening-hours exceptions are demo values too (Massafra: 20 February,
-- Madonna della Scala; Crispiano: 5 August, Madonna della Neve; Statte:
-- 7 October, Madonna del Rosario); the Unione's office, seated in Massafra,
-- follows Massafra's. Fixed ids: offices 00000000-0000-4000-8000-0000000000NN,
-- services 00000000-0000-4000-9000-0000000000NN. Services 18, 24, 31 and 33 are
-- deliberately incomplete (no legal references, forms or remedies), service 16
-- was never reviewed and services 4, 10, 13, 24 and 38 were last reviewed in
-- 2024, so that the completeness and review reports have entries. Without
-- forms by nature: 6 (birth declaration, made in person), 7 (the paper identity
-- card, discontinued: inactive) and 22 (ZTL permit, under development).
-- Every service with a term of conclusion states its silence rule (art. 35,
-- c. 1, lett. g, D.Lgs. 33/2013). Where no specific law sets a term (CIE,
-- certificates, marriage banns, library loan) the general 30 days of art. 2,
-- c. 2, L. 241/1990 is given, with the actual practice (often immediate) in
-- the text; the 90 days of service 15 are a demo value fixed by its yearly
-- bando. Without a term on purpose: 13 (CILA: no procedure ends, the works may
-- start on filing) and 6 (the birth record is drawn up on the spot), so the
-- completeness report flags their legal_deadline_days as an honest gap.
-- Parents before children (org chart: Area Servizi al Cittadino of Massafra).

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000001', 'u_gravine', 'Ufficio Relazioni con il Pubblico (URP) dell''Unione',
  'Sportello unico di informazione e ascolto dell''Unione dei Comuni Terra delle Gravine: informa sui servizi dell''Unione e dei Comuni di Crispiano, Massafra e Statte, riceve reclami, segnalazioni e suggerimenti, gestisce le richieste di accesso civico e coordina la rete degli URP comunali.',
  NULL, 'Via Roma 1', '74016', 'Massafra', 'TA', 40.58810, 17.11205,
  '099 880 4100', 'urp@unioneterradellegravine.it', 'urp@pec.unioneterradellegravine.it',
  'https://www.unioneterradellegravine.it/urp',
  'Responsabile dell''URP dell''Unione', 'urp@unioneterradellegravine.it',
  '{"weekly":[
   {"day":1,"opens":"08:30","closes":"12:30"},
   {"day":2,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"08:30","closes":"12:30"},
   {"day":4,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"08:30","closes":"12:30"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"08:30","closes":"12:30"},{"day":3,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"08:30","closes":"12:30"},{"day":5,"opens":"08:30","closes":"12:30"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"08:30","closes":"12:30"},{"day":3,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"08:30","closes":"12:30"},{"day":5,"opens":"08:30","closes":"12:30"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000002', 'c_f027', 'Area Servizi al Cittadino',
  'Area organizzativa che coordina i Servizi Demografici, i Servizi Sociali e la Pubblica Istruzione. La segreteria dell''Area riceve il pubblico la mattina, dal lunedì al venerdì; per le pratiche rivolgersi ai singoli uffici.',
  NULL, 'Piazza Garibaldi 1', '74016', 'Massafra', 'TA', 40.58775, 17.11170,
  '099 880 4200', 'servizialcittadino@comune.massafra.ta.it', 'servizialcittadino@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/area-servizi-al-cittadino',
  'Dirigente dell''Area Servizi al Cittadino', 'servizialcittadino@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"09:00","closes":"12:00"},
   {"day":2,"opens":"09:00","closes":"12:00"},
   {"day":3,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},
   {"day":5,"opens":"09:00","closes":"12:00"}
 ],
 "seasonal":[
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000003', 'c_f027', 'Ufficio Relazioni con il Pubblico (URP)',
  'Primo punto di contatto tra cittadini e Comune: informazioni su servizi, uffici e procedimenti, distribuzione della modulistica, ricezione di reclami, segnalazioni e suggerimenti, accesso civico generalizzato e rilevazione della soddisfazione degli utenti.',
  NULL, 'Piazza Garibaldi 1', '74016', 'Massafra', 'TA', 40.58768, 17.11182,
  '099 880 4201', 'urp@comune.massafra.ta.it', 'urp@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/urp',
  'Responsabile dell''Ufficio Relazioni con il Pubblico', 'urp@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"08:30","closes":"12:30"},
   {"day":2,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"08:30","closes":"12:30"},
   {"day":4,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"08:30","closes":"12:30"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"08:30","closes":"12:30"},{"day":3,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"08:30","closes":"12:30"},{"day":5,"opens":"08:30","closes":"12:30"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"08:30","closes":"12:30"},{"day":3,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"08:30","closes":"12:30"},{"day":5,"opens":"08:30","closes":"12:30"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000004', 'c_f027', 'Servizi Demografici - Anagrafe e Stato Civile',
  'Gestisce l''anagrafe della popolazione residente (iscrizioni, cambi di residenza, certificati), la carta d''identità elettronica, gli atti di stato civile (nascite, matrimoni, unioni civili, decessi) e le liste elettorali.',
  '00000000-0000-4000-8000-000000000002', 'Via Vittorio Veneto 62', '74016', 'Massafra', 'TA', 40.58590, 17.11420,
  '099 880 4220', 'anagrafe@comune.massafra.ta.it', 'demografici@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/servizi-demografici',
  'Responsabile dei Servizi Demografici', 'anagrafe@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"09:00","closes":"12:00"},
   {"day":2,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"09:00","closes":"12:00"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000005', 'c_f027', 'Servizi Sociali',
  'Segretariato sociale, sostegno economico alle famiglie, assistenza domiciliare ad anziani e persone con disabilità, contributi per l''affitto e misure regionali e nazionali di contrasto alla povertà, in raccordo con l''Ambito territoriale sociale.',
  '00000000-0000-4000-8000-000000000002', 'Via Rosario Livatino 5', '74016', 'Massafra', 'TA', 40.58420, 17.10950,
  '099 880 4240', 'servizisociali@comune.massafra.ta.it', 'servizisociali@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/servizi-sociali',
  'Responsabile dei Servizi Sociali', 'servizisociali@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"09:00","closes":"12:00"},
   {"day":2,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"09:00","closes":"12:00"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000006', 'c_f027', 'Pubblica Istruzione',
  'Servizi per il diritto allo studio: iscrizione e tariffe della mensa scolastica, trasporto scolastico, cedole librarie e borse di studio per gli alunni delle scuole dell''infanzia, primarie e secondarie di primo grado.',
  '00000000-0000-4000-8000-000000000002', 'Corso Italia 102', '74016', 'Massafra', 'TA', 40.58880, 17.10830,
  '099 880 4260', 'pubblicaistruzione@comune.massafra.ta.it', 'pubblicaistruzione@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/pubblica-istruzione',
  'Responsabile del Servizio Pubblica Istruzione', 'pubblicaistruzione@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"09:00","closes":"12:00"},
   {"day":2,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"09:00","closes":"12:00"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000007', 'c_f027', 'Ufficio Tributi',
  'Gestione della tassa sui rifiuti (TARI), dell''imposta municipale propria (IMU) e del canone unico patrimoniale: dichiarazioni, avvisi di pagamento pagoPA, rimborsi, rateizzazioni e accertamenti.',
  NULL, 'Via Guglielmo Marconi 14', '74016', 'Massafra', 'TA', 40.58960, 17.11310,
  '099 880 4280', 'tributi@comune.massafra.ta.it', 'tributi@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/tributi',
  'Funzionario responsabile dei tributi comunali', 'tributi@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"09:00","closes":"12:00"},
   {"day":2,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"09:00","closes":"12:00"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000008', 'c_f027', 'Sportello Unico per l''Edilizia (SUE) - Ufficio Tecnico',
  'Riceve e istruisce le pratiche edilizie (permesso di costruire, SCIA, CILA, agibilità), rilascia certificati di destinazione urbanistica e consente l''accesso agli atti edilizi. Le pratiche si presentano esclusivamente in via telematica.',
  NULL, 'Viale Magna Grecia 7', '74016', 'Massafra', 'TA', 40.59120, 17.11540,
  '099 880 4300', 'sue@comune.massafra.ta.it', 'sue@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/sue',
  'Responsabile dello Sportello Unico per l''Edilizia', 'sue@comune.massafra.ta.it',
  '{"weekly":[
   {"day":2,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"15:30","closes":"17:30"}
 ],
 "seasonal":[
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000009', 'c_f027', 'Lavori Pubblici e Manutenzioni',
  'Progettazione ed esecuzione delle opere pubbliche, manutenzione di strade, marciapiedi, pubblica illuminazione ed edifici comunali; gestisce le segnalazioni di guasti e dissesti sul territorio.',
  NULL, 'Viale Magna Grecia 7', '74016', 'Massafra', 'TA', 40.59125, 17.11548,
  '099 880 4320', 'lavoripubblici@comune.massafra.ta.it', 'lavoripubblici@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/lavori-pubblici',
  'Responsabile del Servizio Lavori Pubblici e Manutenzioni', 'lavoripubblici@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"09:00","closes":"12:00"},
   {"day":2,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"09:00","closes":"12:00"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000010', 'c_f027', 'Ambiente e Igiene Urbana',
  'Raccolta differenziata, ritiro a domicilio dei rifiuti ingombranti, centro comunale di raccolta, decoro urbano, verde pubblico e contrasto all''abbandono dei rifiuti, in raccordo con il gestore del servizio.',
  NULL, 'Via Barulli 3', '74016', 'Massafra', 'TA', 40.58350, 17.11680,
  '099 880 4340', 'ambiente@comune.massafra.ta.it', 'ambiente@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/ambiente',
  'Responsabile del Servizio Ambiente e Igiene Urbana', 'ambiente@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"09:00","closes":"12:00"},
   {"day":2,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"09:00","closes":"12:00"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000011', 'c_f027', 'Polizia Locale',
  'Controllo della circolazione stradale, rilevazione degli incidenti, polizia amministrativa e commerciale, tutela ambientale, contrassegni per persone con disabilità, passi carrabili e segnalazioni dei cittadini. Per le emergenze chiamare il 112.',
  NULL, 'Via Taranto 30', '74016', 'Massafra', 'TA', 40.58240, 17.11890,
  '099 880 4400', 'polizialocale@comune.massafra.ta.it', 'polizialocale@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/polizia-locale',
  'Comandante della Polizia Locale', 'polizialocale@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"08:00","closes":"13:00"},{"day":1,"opens":"15:30","closes":"18:30"},
   {"day":2,"opens":"08:00","closes":"13:00"},{"day":2,"opens":"15:30","closes":"18:30"},
   {"day":3,"opens":"08:00","closes":"13:00"},{"day":3,"opens":"15:30","closes":"18:30"},
   {"day":4,"opens":"08:00","closes":"13:00"},{"day":4,"opens":"15:30","closes":"18:30"},
   {"day":5,"opens":"08:00","closes":"13:00"},{"day":5,"opens":"15:30","closes":"18:30"},
   {"day":6,"opens":"08:00","closes":"13:00"}
 ],
 "seasonal":[
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-25","closed":true,"reason":"Natale"},{"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-25","closed":true,"reason":"Natale"},{"date":"2027-12-26","closed":true,"reason":"Santo Stefano"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000012', 'c_f027', 'Biblioteca comunale',
  'Prestito di libri, riviste e materiale multimediale, consultazione in sede, prestito interbibliotecario, postazioni internet e attività di promozione della lettura per bambini e ragazzi.',
  NULL, 'Largo San Benedetto 4', '74016', 'Massafra', 'TA', 40.58700, 17.11010,
  '099 880 4450', 'biblioteca@comune.massafra.ta.it', 'biblioteca@pec.comune.massafra.ta.it',
  'https://www.comune.massafra.ta.it/uffici/biblioteca',
  'Responsabile della Biblioteca comunale', 'biblioteca@comune.massafra.ta.it',
  '{"weekly":[
   {"day":1,"opens":"15:00","closes":"19:00"},
   {"day":2,"opens":"09:00","closes":"12:30"},{"day":2,"opens":"15:00","closes":"19:00"},
   {"day":3,"opens":"15:00","closes":"19:00"},
   {"day":4,"opens":"09:00","closes":"12:30"},{"day":4,"opens":"15:00","closes":"19:00"},
   {"day":5,"opens":"15:00","closes":"19:00"},
   {"day":6,"opens":"09:00","closes":"12:30"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"13:00"},{"day":2,"opens":"09:00","closes":"13:00"},{"day":3,"opens":"09:00","closes":"13:00"},{"day":4,"opens":"09:00","closes":"13:00"},{"day":5,"opens":"09:00","closes":"13:00"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"13:00"},{"day":2,"opens":"09:00","closes":"13:00"},{"day":3,"opens":"09:00","closes":"13:00"},{"day":4,"opens":"09:00","closes":"13:00"},{"day":5,"opens":"09:00","closes":"13:00"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-02-20","closed":true,"reason":"Festa patronale (Madonna della Scala)"},{"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},
   {"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},{"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},
   {"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000013', 'c_d171', 'Ufficio Relazioni con il Pubblico (URP)',
  'Informazioni sui servizi e sugli uffici del Comune di Crispiano, modulistica, ricezione di reclami, segnalazioni e suggerimenti e richieste di accesso civico.',
  NULL, 'Piazza Madonna della Neve 1', '74012', 'Crispiano', 'TA', 40.60420, 17.23090,
  '099 811 2100', 'urp@comune.crispiano.ta.it', 'urp@pec.comune.crispiano.ta.it',
  'https://www.comune.crispiano.ta.it/uffici/urp',
  'Responsabile dell''Ufficio Relazioni con il Pubblico', 'urp@comune.crispiano.ta.it',
  '{"weekly":[
   {"day":1,"opens":"08:30","closes":"12:30"},
   {"day":2,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"08:30","closes":"12:30"},
   {"day":4,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"08:30","closes":"12:30"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"08:30","closes":"12:30"},{"day":3,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"08:30","closes":"12:30"},{"day":5,"opens":"08:30","closes":"12:30"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"08:30","closes":"12:30"},{"day":3,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"08:30","closes":"12:30"},{"day":5,"opens":"08:30","closes":"12:30"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},{"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},
   {"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},{"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},
   {"date":"2026-08-05","closed":true,"reason":"Festa patronale (Madonna della Neve)"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},{"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},
   {"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},{"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},
   {"date":"2027-08-05","closed":true,"reason":"Festa patronale (Madonna della Neve)"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000014', 'c_d171', 'Ufficio Tecnico - Lavori Pubblici e Manutenzioni',
  'Manutenzione di strade, pubblica illuminazione e immobili comunali, autorizzazioni per occupazione di suolo pubblico e passi carrabili, gestione delle segnalazioni di guasti sul territorio comunale.',
  NULL, 'Via Martina Franca 25', '74012', 'Crispiano', 'TA', 40.60610, 17.22870,
  '099 811 2150', 'ufficiotecnico@comune.crispiano.ta.it', 'ufficiotecnico@pec.comune.crispiano.ta.it',
  'https://www.comune.crispiano.ta.it/uffici/ufficio-tecnico',
  'Responsabile dell''Area Tecnica', 'ufficiotecnico@comune.crispiano.ta.it',
  '{"weekly":[
   {"day":1,"opens":"09:00","closes":"12:00"},
   {"day":2,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"09:00","closes":"12:00"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"09:00","closes":"12:00"},{"day":3,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"09:00","closes":"12:00"},{"day":5,"opens":"09:00","closes":"12:00"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},{"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},
   {"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},{"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},
   {"date":"2026-08-05","closed":true,"reason":"Festa patronale (Madonna della Neve)"},{"date":"2026-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},{"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},
   {"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},{"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},
   {"date":"2027-08-05","closed":true,"reason":"Festa patronale (Madonna della Neve)"},{"date":"2027-08-15","closed":true,"reason":"Ferragosto"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000015', 'c_m298', 'Ufficio Relazioni con il Pubblico (URP)',
  'Informazioni sui servizi comunali, orientamento tra gli uffici, ricezione di reclami e segnalazioni, accesso civico generalizzato e registro degli accessi del Comune di Statte.',
  NULL, 'Via Bainsizza 2', '74010', 'Statte', 'TA', 40.56320, 17.20580,
  '099 474 3100', 'urp@comune.statte.ta.it', 'urp@pec.comune.statte.ta.it',
  'https://www.comune.statte.ta.it/uffici/urp',
  'Responsabile dell''Ufficio Relazioni con il Pubblico', 'urp@comune.statte.ta.it',
  '{"weekly":[
   {"day":1,"opens":"08:30","closes":"12:30"},
   {"day":2,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"08:30","closes":"12:30"},
   {"day":4,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"08:30","closes":"12:30"}
 ],
 "seasonal":[
   {"start":"2026-07-01","end":"2026-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"08:30","closes":"12:30"},{"day":3,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"08:30","closes":"12:30"},{"day":5,"opens":"08:30","closes":"12:30"}]},
   {"start":"2027-07-01","end":"2027-08-31","label":"orario estivo","weekly":[{"day":1,"opens":"08:30","closes":"12:30"},{"day":2,"opens":"08:30","closes":"12:30"},{"day":3,"opens":"08:30","closes":"12:30"},{"day":4,"opens":"08:30","closes":"12:30"},{"day":5,"opens":"08:30","closes":"12:30"}]}
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},{"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},
   {"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},{"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},
   {"date":"2026-08-15","closed":true,"reason":"Ferragosto"},{"date":"2026-10-07","closed":true,"reason":"Festa patronale (Madonna del Rosario)"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},{"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},
   {"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},{"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},
   {"date":"2027-08-15","closed":true,"reason":"Ferragosto"},{"date":"2027-10-07","closed":true,"reason":"Festa patronale (Madonna del Rosario)"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.offices (id, tenant, name, description, parent_office_id,
    street, postal_code, municipality, province, latitude, longitude,
    phone, email, pec, website, referent_role, referent_contact, hours)
VALUES ('00000000-0000-4000-8000-000000000016', 'c_m298', 'Area Tecnica - Ambiente e Manutenzioni',
  'Igiene urbana e raccolta differenziata, ritiro dei rifiuti ingombranti, verde pubblico, manutenzione di strade e immobili comunali.',
  NULL, 'Via Sandro Pertini 10', '74010', 'Statte', 'TA', 40.56150, 17.20310,
  '099 474 3150', 'areatecnica@comune.statte.ta.it', 'areatecnica@pec.comune.statte.ta.it',
  'https://www.comune.statte.ta.it/uffici/area-tecnica',
  'Responsabile dell''Area Tecnica', 'areatecnica@comune.statte.ta.it',
  '{"weekly":[
   {"day":1,"opens":"09:00","closes":"12:00"},
   {"day":2,"opens":"09:00","closes":"12:00"},{"day":2,"opens":"15:30","closes":"17:30"},
   {"day":3,"opens":"09:00","closes":"12:00"},
   {"day":4,"opens":"09:00","closes":"12:00"},{"day":4,"opens":"15:30","closes":"17:30"},
   {"day":5,"opens":"09:00","closes":"12:00"}
 ],
 "seasonal":[
 ],
 "exceptions":[
   {"date":"2026-01-01","closed":true,"reason":"Capodanno"},{"date":"2026-01-06","closed":true,"reason":"Epifania"},
   {"date":"2026-04-06","closed":true,"reason":"Lunedì dell''Angelo"},{"date":"2026-04-25","closed":true,"reason":"Festa della Liberazione"},
   {"date":"2026-05-01","closed":true,"reason":"Festa del Lavoro"},{"date":"2026-06-02","closed":true,"reason":"Festa della Repubblica"},
   {"date":"2026-08-15","closed":true,"reason":"Ferragosto"},{"date":"2026-10-07","closed":true,"reason":"Festa patronale (Madonna del Rosario)"},
   {"date":"2026-11-01","closed":true,"reason":"Ognissanti"},{"date":"2026-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2026-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2026-12-25","closed":true,"reason":"Natale"},
   {"date":"2026-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2026-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"},
   {"date":"2027-01-01","closed":true,"reason":"Capodanno"},{"date":"2027-01-06","closed":true,"reason":"Epifania"},
   {"date":"2027-03-29","closed":true,"reason":"Lunedì dell''Angelo"},{"date":"2027-04-25","closed":true,"reason":"Festa della Liberazione"},
   {"date":"2027-05-01","closed":true,"reason":"Festa del Lavoro"},{"date":"2027-06-02","closed":true,"reason":"Festa della Repubblica"},
   {"date":"2027-08-15","closed":true,"reason":"Ferragosto"},{"date":"2027-10-07","closed":true,"reason":"Festa patronale (Madonna del Rosario)"},
   {"date":"2027-11-01","closed":true,"reason":"Ognissanti"},{"date":"2027-12-08","closed":true,"reason":"Immacolata Concezione"},
   {"date":"2027-12-24","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"Vigilia di Natale: orario ridotto"},{"date":"2027-12-25","closed":true,"reason":"Natale"},
   {"date":"2027-12-26","closed":true,"reason":"Santo Stefano"},{"date":"2027-12-31","closed":false,"ranges":[{"opens":"09:00","closes":"11:00"}],"reason":"San Silvestro: orario ridotto"}
 ]}')
ON CONFLICT (id) DO NOTHING;

-- Services; 34-44 are reportable categories (Open311 service codes).

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000001', 'c_f027', 'Carta d''identità elettronica (CIE)',
  'Richiesta, rinnovo e duplicato della carta d''identità elettronica.',
  'La carta d''identità elettronica (CIE) è il documento di identità personale rilasciato dal Ministero dell''Interno tramite il Comune di residenza. Si richiede allo sportello dei Servizi Demografici previo appuntamento, prenotabile online sull''Agenda CIE del Ministero. Durante l''appuntamento si acquisiscono foto, impronte digitali ed eventuale consenso alla donazione di organi; la carta viene spedita entro sei giorni lavorativi all''indirizzo indicato.',
  ARRAY['cittadini']::text[], ARRAY['anagrafe_e_stato_civile']::text[], ARRAY['nascita', 'viaggio_all_estero', 'cambio_residenza']::text[],
  ARRAY['counter', 'web']::text[], 2,
  '[
   "Fototessera recente su sfondo bianco (anche su supporto digitale)",
   "Carta d''identità scaduta o deteriorata, oppure denuncia di smarrimento o furto",
   "Tessera sanitaria (codice fiscale)",
   "Per i minori: presenza di entrambi i genitori o atto di assenso per la validità all''espatrio"]',
  'Carta d''identità elettronica spedita per posta all''indirizzo indicato o ritirata in Comune.',
  '22,21 euro (16,79 per lo Stato e 5,42 di diritti comunali); 27,37 euro in caso di duplicato per smarrimento o deterioramento', 'pagoPA, anche con carta di pagamento allo sportello', 30, 'Non si applica il silenzio assenso: la carta è emessa dal Ministero dell''Interno dopo l''acquisizione dei dati allo sportello e spedita di norma entro sei giorni lavorativi; in mancanza di un termine specifico di legge vale quello di 30 giorni (art. 2, comma 2, L. 241/1990)',
  '[
   {"title": "D.L. 19 giugno 2015, n. 78, art. 10 (carta d''identità elettronica)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legge:2015-06-19;78"},
   {"title": "D.P.R. 28 dicembre 2000, n. 445", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:2000-12-28;445"},
   {"title": "Regolamento (UE) 2019/1157 sul rafforzamento della sicurezza delle carte d''identità", "url": "https://eur-lex.europa.eu/eli/reg/2019/1157/oj"}]',
  '00000000-0000-4000-8000-000000000004', 'Responsabile dei Servizi Demografici',
  'Lo stato della spedizione è consultabile sul sito del Poligrafico con il numero della ricevuta rilasciata allo sportello.',
  'Per ritardi o disservizi è possibile presentare reclamo all''URP. Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.prenotazionicie.interno.gov.it',
  '[{"title": "Atto di assenso all''espatrio del minore", "url": "https://www.comune.massafra.ta.it/modulistica/cie-assenso-espatrio-minori.pdf", "format": "PDF", "version_date": "2025-03-01"}]',
  'active', '2026-09-15 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['carta d''identità', 'documento di identità', 'CIE', 'rinnovo']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000002', 'c_f027', 'Certificati anagrafici (residenza, stato di famiglia)',
  'Certificati di residenza, stato di famiglia, nascita, cittadinanza e altri certificati anagrafici.',
  'I certificati anagrafici attestano le informazioni registrate nell''Anagrafe nazionale della popolazione residente (ANPR). Possono essere scaricati gratuitamente online dal sito ANPR con SPID, CIE o CNS, per sé o per un componente della propria famiglia, oppure richiesti allo sportello. Ricordiamo che le pubbliche amministrazioni e i gestori di pubblici servizi non possono chiedere certificati: si usa l''autocertificazione.',
  ARRAY['cittadini', 'professionisti']::text[], ARRAY['anagrafe_e_stato_civile']::text[], '{}'::text[],
  ARRAY['web', 'counter']::text[], 4,
  '["Documento di identità del richiedente (allo sportello)"]',
  'Certificato in formato PDF con sigillo elettronico o certificato cartaceo rilasciato allo sportello.',
  'Online: gratuito. Allo sportello: 16 euro di marca da bollo, salvo esenzioni, e 0,52 euro di diritti di segreteria (0,26 euro per i certificati in carta libera)', 'pagoPA, contanti o carta allo sportello', 30, 'Non si applica il silenzio assenso: il certificato è rilasciato immediatamente, online o allo sportello; in mancanza di un termine specifico di legge vale quello di 30 giorni (art. 2, comma 2, L. 241/1990)',
  '[
   {"title": "D.P.R. 30 maggio 1989, n. 223 (Regolamento anagrafico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:1989-05-30;223"},
   {"title": "D.P.R. 28 dicembre 2000, n. 445", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:2000-12-28;445"},
   {"title": "D.Lgs. 7 marzo 2005, n. 82 (Codice dell''amministrazione digitale)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2005-03-07;82"}]',
  '00000000-0000-4000-8000-000000000004', 'Ufficiale d''anagrafe',
  'Il certificato online è rilasciato immediatamente; allo sportello al momento della richiesta.',
  'Per ritardi o disservizi è possibile presentare reclamo all''URP. Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.anagrafenazionale.interno.gov.it/servizi-al-cittadino/',
  '[{"title": "Modulo di richiesta certificati anagrafici", "url": "https://www.comune.massafra.ta.it/modulistica/richiesta-certificati-anagrafici.pdf", "format": "PDF", "version_date": "2025-03-01"}]',
  'active', '2026-06-10 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['certificato', 'residenza', 'stato di famiglia', 'ANPR']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000003', 'c_f027', 'Cambio di residenza e di abitazione',
  'Dichiarazione di cambio di abitazione all''interno del Comune o di trasferimento di residenza.',
  'Chi cambia abitazione all''interno del Comune di Massafra o vi trasferisce la residenza deve dichiararlo entro 20 giorni. La dichiarazione si presenta online sul portale ANPR, per posta elettronica certificata o allo sportello. L''iscrizione decorre dalla data della dichiarazione; entro 45 giorni la Polizia Locale verifica la dimora abituale, trascorsi i quali senza comunicazioni la dichiarazione si intende accolta.',
  ARRAY['cittadini']::text[], ARRAY['anagrafe_e_stato_civile']::text[], ARRAY['cambio_residenza', 'acquisto_casa']::text[],
  ARRAY['web', 'pec', 'email', 'counter']::text[], 3,
  '[
   "Modulo di dichiarazione di residenza compilato e firmato da tutti i componenti maggiorenni",
   "Documento di identità dei dichiaranti",
   "Titolo di occupazione dell''abitazione (proprietà, contratto di locazione registrato, comodato)",
   "Per i cittadini extra UE: permesso di soggiorno in corso di validità"]',
  'Registrazione della nuova residenza in ANPR e aggiornamento del libretto di circolazione e della patente.',
  'gratuito', '', 45, 'silenzio assenso: trascorsi 45 giorni senza comunicazione dei requisiti mancanti la dichiarazione si intende accolta',
  '[
   {"title": "D.P.R. 30 maggio 1989, n. 223 (Regolamento anagrafico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:1989-05-30;223"},
   {"title": "D.L. 9 febbraio 2012, n. 5, art. 5 (cambio di residenza in tempo reale)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legge:2012-02-09;5"}]',
  '00000000-0000-4000-8000-000000000004', 'Ufficiale d''anagrafe',
  'Per conoscere lo stato della pratica è possibile contattare l''ufficio per telefono o per e-mail indicando il numero di protocollo.',
  'Contro il diniego è ammesso ricorso al Prefetto di Taranto entro 30 giorni (art. 36 del D.P.R. 223/1989); in alternativa ricorso al TAR Puglia - sezione di Lecce entro 60 giorni.',
  'https://www.anagrafenazionale.interno.gov.it/servizi-al-cittadino/',
  '[
   {"title": "Dichiarazione di residenza (modello ministeriale)", "url": "https://www.comune.massafra.ta.it/modulistica/dichiarazione-di-residenza.pdf", "format": "PDF", "version_date": "2025-03-01"},
   {"title": "Dichiarazione del proprietario o titolare dell''abitazione", "url": "https://www.comune.massafra.ta.it/modulistica/assenso-proprietario-abitazione.pdf", "format": "PDF", "version_date": "2025-03-01"}]',
  'active', '2026-03-02 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['residenza', 'trasloco', 'cambio indirizzo']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000004', 'c_f027', 'Iscrizione anagrafica da altro comune o dall''estero',
  'Iscrizione nell''anagrafe di Massafra di chi proviene da un altro comune o dall''estero.',
  'I cittadini italiani, comunitari e stranieri che stabiliscono la dimora abituale a Massafra provenendo da un altro comune o dall''estero chiedono l''iscrizione anagrafica. Gli italiani rimpatriati dall''estero sono cancellati dall''AIRE contestualmente all''iscrizione. I cittadini comunitari devono dimostrare i requisiti di soggiorno previsti dal D.Lgs. 30/2007.',
  ARRAY['cittadini']::text[], ARRAY['anagrafe_e_stato_civile']::text[], ARRAY['cambio_residenza']::text[],
  ARRAY['counter', 'pec', 'web']::text[], 3,
  '[
   "Modulo di dichiarazione di residenza",
   "Documento di identità o passaporto",
   "Titolo di occupazione dell''abitazione",
   "Per i cittadini comunitari: documentazione su lavoro, studio o risorse economiche e assicurazione sanitaria",
   "Per i cittadini extra UE: permesso di soggiorno"]',
  'Iscrizione nell''anagrafe della popolazione residente e, per i cittadini comunitari, attestazione di regolarità del soggiorno.',
  'gratuito; 16 euro di marca da bollo per l''attestazione di soggiorno dei cittadini comunitari', 'pagoPA', 45, 'silenzio assenso dopo 45 giorni dalla dichiarazione',
  '[
   {"title": "D.P.R. 30 maggio 1989, n. 223 (Regolamento anagrafico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:1989-05-30;223"},
   {"title": "D.L. 9 febbraio 2012, n. 5, art. 5 (cambio di residenza in tempo reale)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legge:2012-02-09;5"}]',
  '00000000-0000-4000-8000-000000000004', 'Ufficiale d''anagrafe',
  'Per conoscere lo stato della pratica è possibile contattare l''ufficio per telefono o per e-mail indicando il numero di protocollo.',
  'Contro il diniego è ammesso ricorso al Prefetto di Taranto entro 30 giorni (art. 36 del D.P.R. 223/1989); in alternativa ricorso al TAR Puglia - sezione di Lecce entro 60 giorni.',
  'https://www.anagrafenazionale.interno.gov.it/servizi-al-cittadino/',
  '[{"title": "Dichiarazione di residenza con provenienza dall''estero", "url": "https://www.comune.massafra.ta.it/modulistica/dichiarazione-residenza-estero.pdf", "format": "PDF", "version_date": "2024-04-15"}]',
  'active', '2024-05-20 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['iscrizione anagrafica', 'AIRE', 'stranieri', 'comunitari']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000005', 'c_f027', 'Pubblicazioni di matrimonio',
  'Richiesta delle pubblicazioni che precedono il matrimonio civile o concordatario.',
  'Prima del matrimonio, civile o religioso con effetti civili, gli sposi chiedono all''Ufficiale di stato civile del Comune di residenza di uno dei due le pubblicazioni, che restano affisse all''albo pretorio online per otto giorni. Il matrimonio può essere celebrato dal quarto giorno successivo al termine della pubblicazione ed entro 180 giorni.',
  ARRAY['cittadini']::text[], ARRAY['anagrafe_e_stato_civile']::text[], ARRAY['matrimonio']::text[],
  ARRAY['counter', 'email']::text[], 1,
  '[
   "Documenti di identità degli sposi",
   "Richiesta del parroco o del ministro di culto, per il matrimonio religioso",
   "Per gli sposi stranieri: nulla osta al matrimonio rilasciato dalla rappresentanza del proprio Paese"]',
  'Pubblicazione all''albo pretorio online e rilascio del certificato di eseguite pubblicazioni.',
  '16 euro di marca da bollo (32 euro se gli sposi risiedono in comuni diversi)', 'pagoPA', 30, 'Non si applica il silenzio assenso: l''Ufficiale di stato civile procede alla pubblicazione oppure rilascia un certificato con i motivi del rifiuto, contro il quale è ammesso ricorso al tribunale (art. 98 c.c.); in mancanza di un termine specifico di legge vale quello di 30 giorni (art. 2, comma 2, L. 241/1990)',
  '[
   {"title": "Codice civile, artt. 93-101 (pubblicazioni di matrimonio)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:regio.decreto:1942-03-16;262"},
   {"title": "D.P.R. 3 novembre 2000, n. 396 (Ordinamento dello stato civile)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:2000-11-03;396"}]',
  '00000000-0000-4000-8000-000000000004', 'Ufficiale di stato civile',
  'Per conoscere lo stato della pratica è possibile contattare l''ufficio per telefono o per e-mail indicando il numero di protocollo.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  '',
  '[{"title": "Richiesta di pubblicazioni di matrimonio", "url": "https://www.comune.massafra.ta.it/modulistica/richiesta-pubblicazioni-matrimonio.pdf", "format": "PDF", "version_date": "2025-03-01"}]',
  'active', '2026-01-28 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['matrimonio', 'sposi', 'nozze']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000006', 'c_f027', 'Dichiarazione di nascita e atto di nascita',
  'Dichiarazione di nascita di un figlio e formazione dell''atto di nascita.',
  'La nascita si dichiara entro 3 giorni presso la direzione sanitaria dell''ospedale oppure entro 10 giorni all''Ufficio di stato civile del Comune di nascita o di residenza dei genitori. L''Ufficiale di stato civile forma l''atto di nascita, iscrive il neonato in anagrafe e attribuisce il codice fiscale.',
  ARRAY['cittadini']::text[], ARRAY['anagrafe_e_stato_civile']::text[], ARRAY['nascita']::text[],
  ARRAY['counter']::text[], 1,
  '[
   "Attestazione di nascita rilasciata dall''ostetrica o dal medico",
   "Documenti di identità dei genitori"]',
  'Atto di nascita, iscrizione anagrafica del neonato e codice fiscale.',
  'gratuito', '', 0, '',
  '[{"title": "D.P.R. 3 novembre 2000, n. 396 (Ordinamento dello stato civile)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:2000-11-03;396"}]',
  '00000000-0000-4000-8000-000000000004', 'Ufficiale di stato civile',
  'L''atto è formato contestualmente alla dichiarazione.',
  'Per ritardi o disservizi è possibile presentare reclamo all''URP. Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  '',
  '[]',
  'active', '2026-04-14 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['nascita', 'neonato', 'figlio']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000007', 'c_f027', 'Carta d''identità cartacea',
  'Servizio cessato: la carta d''identità cartacea non è più rilasciata.',
  'Dal 3 agosto 2026 le carte d''identità cartacee non sono più valide per effetto del Regolamento (UE) 2019/1157 e il Comune non le rilascia più. Chi possiede ancora una carta cartacea deve richiedere la carta d''identità elettronica (CIE).',
  ARRAY['cittadini']::text[], ARRAY['anagrafe_e_stato_civile']::text[], '{}'::text[],
  ARRAY['counter']::text[], 0,
  '[]',
  'Nessuno: il servizio è cessato; si veda la scheda della carta d''identità elettronica.',
  '', '', 0, '',
  '[{"title": "Regolamento (UE) 2019/1157 sul rafforzamento della sicurezza delle carte d''identità", "url": "https://eur-lex.europa.eu/eli/reg/2019/1157/oj"}]',
  '00000000-0000-4000-8000-000000000004', 'Responsabile dei Servizi Demografici',
  '',
  '',
  '',
  '[]',
  'inactive', '2026-08-04 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['carta d''identità cartacea']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000008', 'c_f027', 'TARI - Tassa sui rifiuti',
  'Dichiarazione, pagamento con pagoPA, riduzioni e rimborsi della tassa sui rifiuti.',
  'La TARI è dovuta da chi possiede o detiene locali e aree che possono produrre rifiuti urbani. L''iscrizione, le variazioni e la cessazione si dichiarano entro 90 giorni. Il Comune invia ogni anno l''avviso di pagamento con i codici pagoPA per il pagamento in unica soluzione o in rate; sono previste riduzioni per compostaggio domestico, per i nuclei con ISEE basso e per le abitazioni occupate in modo saltuario.',
  ARRAY['cittadini', 'imprese']::text[], ARRAY['tributi', 'ambiente_e_rifiuti']::text[], ARRAY['cambio_residenza', 'acquisto_casa', 'avvio_impresa']::text[],
  ARRAY['web', 'counter', 'email', 'pec']::text[], 4,
  '[
   "Dichiarazione TARI (iscrizione, variazione o cessazione)",
   "Planimetria catastale o dati catastali dell''immobile",
   "Documento di identità del dichiarante"]',
  'Iscrizione a ruolo, avviso di pagamento annuale o provvedimento di rimborso o riduzione.',
  'Secondo le tariffe approvate annualmente dal Consiglio comunale', 'pagoPA, modello F24', 30, 'Non si applica il silenzio assenso: la dichiarazione produce effetti dalla presentazione; sulle richieste di riduzione o di rimborso il Comune si pronuncia con provvedimento espresso e il silenzio sull''istanza di rimborso equivale a rifiuto, impugnabile davanti alla Corte di giustizia tributaria (artt. 19 e 21 D.Lgs. 546/1992)',
  '[
   {"title": "Legge 27 dicembre 2013, n. 147, art. 1, commi 639-705 (TARI)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2013-12-27;147"},
   {"title": "D.Lgs. 18 agosto 2000, n. 267 (Testo unico degli enti locali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2000-08-18;267"}]',
  '00000000-0000-4000-8000-000000000007', 'Funzionario responsabile dei tributi comunali',
  'Lo stato della pratica è consultabile nell''area personale del portale dei servizi online, con accesso tramite SPID, CIE o CNS.',
  'Istanza di riesame in autotutela all''Ufficio Tributi; ricorso alla Corte di giustizia tributaria di primo grado di Taranto entro 60 giorni dalla notifica dell''avviso di accertamento o del diniego di rimborso.',
  'https://www.comune.massafra.ta.it/servizi/tari',
  '[
   {"title": "Dichiarazione TARI utenze domestiche", "url": "https://www.comune.massafra.ta.it/modulistica/tari-dichiarazione-utenze-domestiche.pdf", "format": "PDF", "version_date": "2025-01-15"},
   {"title": "Dichiarazione TARI utenze non domestiche", "url": "https://www.comune.massafra.ta.it/modulistica/tari-dichiarazione-utenze-non-domestiche.pdf", "format": "PDF", "version_date": "2025-01-15"},
   {"title": "Istanza di rimborso TARI", "url": "https://www.comune.massafra.ta.it/modulistica/tari-istanza-rimborso.odt", "format": "ODT", "version_date": "2024-06-01"}]',
  'active', '2026-02-16 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['tassa rifiuti', 'spazzatura', 'pagoPA', 'avviso di pagamento']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000009', 'c_f027', 'IMU - Imposta municipale propria',
  'Calcolo, versamento, dichiarazione e rimborso dell''IMU.',
  'L''IMU è dovuta dai proprietari e dai titolari di diritti reali su fabbricati diversi dall''abitazione principale, aree fabbricabili e terreni agricoli. Si versa in acconto entro il 16 giugno e a saldo entro il 16 dicembre, con le aliquote deliberate dal Consiglio comunale. Sul sito è disponibile il calcolatore IMU con la stampa del modello F24.',
  ARRAY['cittadini', 'imprese', 'professionisti']::text[], ARRAY['tributi']::text[], ARRAY['acquisto_casa', 'decesso']::text[],
  ARRAY['web', 'counter', 'email', 'pec']::text[], 3,
  '[
   "Dati catastali degli immobili",
   "Dichiarazione IMU, nei casi previsti dal decreto ministeriale"]',
  'Versamento dell''imposta; provvedimento di rimborso o di accertamento.',
  'Secondo le aliquote approvate annualmente dal Consiglio comunale', 'Modello F24, pagoPA', 180, 'Non si applica il silenzio assenso: sull''istanza di rimborso il Comune provvede con atto espresso entro 180 giorni (art. 1, comma 164, L. 296/2006); il silenzio equivale a rifiuto, impugnabile davanti alla Corte di giustizia tributaria (artt. 19 e 21 D.Lgs. 546/1992)',
  '[{"title": "Legge 27 dicembre 2019, n. 160, art. 1, commi 738-783 (IMU)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2019-12-27;160"}]',
  '00000000-0000-4000-8000-000000000007', 'Funzionario responsabile dei tributi comunali',
  'Lo stato della pratica è consultabile nell''area personale del portale dei servizi online, con accesso tramite SPID, CIE o CNS.',
  'Istanza di riesame in autotutela all''Ufficio Tributi; ricorso alla Corte di giustizia tributaria di primo grado di Taranto entro 60 giorni dalla notifica dell''avviso di accertamento o del diniego di rimborso.',
  'https://www.comune.massafra.ta.it/servizi/imu',
  '[
   {"title": "Istanza di rimborso IMU", "url": "https://www.comune.massafra.ta.it/modulistica/imu-istanza-rimborso.pdf", "format": "PDF", "version_date": "2025-02-10"},
   {"title": "Calcolatore IMU e stampa F24", "url": "https://www.comune.massafra.ta.it/servizi/calcolo-imu", "format": "online", "version_date": "2026-01-10"}]',
  'active', '2026-05-05 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['imposta immobili', 'seconda casa', 'F24']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000010', 'c_f027', 'Occupazione di suolo pubblico',
  'Concessione per occupare temporaneamente o permanentemente strade, piazze e marciapiedi.',
  'Chi intende occupare il suolo pubblico con dehors, ponteggi, cantieri, banchetti o attrezzature deve ottenere la concessione e versare il canone unico patrimoniale. La domanda si presenta almeno 15 giorni prima dell''occupazione; per i lavori stradali serve il parere della Polizia Locale.',
  ARRAY['cittadini', 'imprese', 'associazioni']::text[], ARRAY['tributi', 'attivita_produttive', 'mobilita_e_trasporti']::text[], ARRAY['avvio_impresa', 'ristrutturazione_casa']::text[],
  ARRAY['web', 'pec', 'counter']::text[], 3,
  '[
   "Domanda di concessione con l''indicazione di superficie, durata e finalità",
   "Planimetria dell''area da occupare",
   "Documento di identità del richiedente",
   "Marca da bollo da 16 euro"]',
  'Concessione di occupazione di suolo pubblico.',
  'Canone unico patrimoniale secondo le tariffe comunali, 16 euro di marca da bollo sulla domanda e sulla concessione', 'pagoPA', 30, 'Non si applica il silenzio assenso: la concessione è rilasciata con provvedimento espresso e l''occupazione può iniziare solo dopo il rilascio',
  '[
   {"title": "Legge 27 dicembre 2019, n. 160, art. 1, commi 816-847 (canone unico patrimoniale)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2019-12-27;160"},
   {"title": "D.Lgs. 30 aprile 1992, n. 285 (Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1992-04-30;285"}]',
  '00000000-0000-4000-8000-000000000007', 'Funzionario responsabile dei tributi comunali',
  'Lo stato della pratica è consultabile nell''area personale del portale dei servizi online, con accesso tramite SPID, CIE o CNS.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.comune.massafra.ta.it/servizi/occupazione-suolo-pubblico',
  '[{"title": "Domanda di occupazione di suolo pubblico", "url": "https://www.comune.massafra.ta.it/modulistica/domanda-occupazione-suolo-pubblico.pdf", "format": "PDF", "version_date": "2023-11-20"}]',
  'active', '2024-09-12 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['dehors', 'ponteggio', 'canone unico', 'COSAP']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000011', 'c_f027', 'Permesso di costruire',
  'Titolo edilizio per nuove costruzioni, ampliamenti e ristrutturazioni pesanti.',
  'Il permesso di costruire è necessario per gli interventi di nuova costruzione, di ristrutturazione urbanistica e di ristrutturazione edilizia che portano a un organismo in tutto o in parte diverso dal precedente. La domanda si presenta esclusivamente online sul portale del SUE, tramite un tecnico abilitato. Il responsabile del procedimento cura l''istruttoria entro 60 giorni e il dirigente decide nei successivi 30.',
  ARRAY['cittadini', 'imprese', 'professionisti']::text[], ARRAY['edilizia_e_urbanistica']::text[], ARRAY['acquisto_casa', 'ristrutturazione_casa', 'avvio_impresa']::text[],
  ARRAY['web', 'pec']::text[], 4,
  '[
   "Domanda sul modello unificato regionale",
   "Progetto firmato da un tecnico abilitato e relazione tecnica asseverata",
   "Titolo di proprietà o altro titolo che legittima l''intervento",
   "Ricevuta di pagamento dei diritti di segreteria",
   "Pareri e nulla osta degli enti competenti, se dovuti"]',
  'Rilascio del permesso di costruire o provvedimento di diniego motivato.',
  'Diritti di segreteria secondo il tariffario comunale, contributo di costruzione, 16 euro di marca da bollo sulla domanda e sul permesso', 'pagoPA', 90, 'silenzio assenso (art. 20, comma 8, D.P.R. 380/2001), salvo vincoli paesaggistici, culturali o ambientali',
  '[
   {"title": "D.P.R. 6 giugno 2001, n. 380 (Testo unico dell''edilizia)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:2001-06-06;380"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"}]',
  '00000000-0000-4000-8000-000000000008', 'Responsabile dello Sportello Unico per l''Edilizia',
  'Lo stato della pratica è consultabile sul portale telematico del SUE con le credenziali usate per la presentazione.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.comune.massafra.ta.it/servizi/sue',
  '[
   {"title": "Modulo unificato di richiesta del permesso di costruire", "url": "https://www.comune.massafra.ta.it/modulistica/sue-permesso-di-costruire.pdf", "format": "PDF", "version_date": "2025-03-01"},
   {"title": "Tariffario dei diritti di segreteria SUE", "url": "https://www.comune.massafra.ta.it/modulistica/sue-diritti-segreteria.pdf", "format": "PDF", "version_date": "2025-01-02"}]',
  'active', '2026-07-08 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['edilizia', 'costruzione', 'titolo edilizio']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000012', 'c_f027', 'SCIA edilizia',
  'Segnalazione certificata di inizio attività per interventi edilizi.',
  'La SCIA si usa per interventi di manutenzione straordinaria sulle parti strutturali, restauro e risanamento conservativo e ristrutturazione edilizia leggera. I lavori possono iniziare dalla data di presentazione sul portale del SUE; entro 30 giorni il Comune verifica i requisiti e può vietare la prosecuzione dell''attività.',
  ARRAY['cittadini', 'imprese', 'professionisti']::text[], ARRAY['edilizia_e_urbanistica']::text[], ARRAY['ristrutturazione_casa']::text[],
  ARRAY['web', 'pec']::text[], 4,
  '[
   "Modulo SCIA unificato",
   "Relazione tecnica di asseverazione del progettista",
   "Elaborati grafici dello stato di fatto e di progetto",
   "Ricevuta di pagamento dei diritti di segreteria"]',
  'Efficacia della segnalazione, oppure ordine motivato di non proseguire l''attività.',
  'Diritti di segreteria secondo il tariffario comunale', 'pagoPA', 30, 'efficacia immediata dalla presentazione; controllo entro 30 giorni (art. 19 L. 241/1990)',
  '[
   {"title": "D.P.R. 6 giugno 2001, n. 380 (Testo unico dell''edilizia)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:2001-06-06;380"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"},
   {"title": "D.Lgs. 25 novembre 2016, n. 222 (regimi amministrativi)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2016-11-25;222"}]',
  '00000000-0000-4000-8000-000000000008', 'Responsabile dello Sportello Unico per l''Edilizia',
  'Lo stato della pratica è consultabile sul portale telematico del SUE con le credenziali usate per la presentazione.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.comune.massafra.ta.it/servizi/sue',
  '[{"title": "Modulo unificato SCIA", "url": "https://www.comune.massafra.ta.it/modulistica/sue-scia.pdf", "format": "PDF", "version_date": "2025-03-01"}]',
  'active', '2026-07-08 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['segnalazione certificata', 'ristrutturazione']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000013', 'c_f027', 'CILA - Comunicazione di inizio lavori asseverata',
  'Comunicazione per interventi di manutenzione straordinaria non strutturale.',
  'La CILA si presenta per gli interventi di manutenzione straordinaria che non riguardano le parti strutturali dell''edificio, come lo spostamento di tramezzi o il rifacimento degli impianti. Un tecnico abilitato assevera la conformità dei lavori; i lavori possono iniziare il giorno stesso della presentazione telematica.',
  ARRAY['cittadini', 'professionisti']::text[], ARRAY['edilizia_e_urbanistica']::text[], ARRAY['ristrutturazione_casa', 'acquisto_casa']::text[],
  ARRAY['web', 'pec']::text[], 4,
  '[
   "Modulo CILA unificato",
   "Asseverazione del tecnico abilitato",
   "Elaborati grafici",
   "Dati dell''impresa esecutrice e DURC"]',
  'Protocollazione della comunicazione: non è previsto un provvedimento espresso.',
  'Diritti di segreteria secondo il tariffario comunale', 'pagoPA', 0, 'nessun provvedimento espresso: i lavori possono iniziare dalla presentazione',
  '[
   {"title": "D.P.R. 6 giugno 2001, n. 380 (Testo unico dell''edilizia)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:2001-06-06;380"},
   {"title": "D.Lgs. 25 novembre 2016, n. 222 (regimi amministrativi)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2016-11-25;222"}]',
  '00000000-0000-4000-8000-000000000008', 'Responsabile dello Sportello Unico per l''Edilizia',
  'Lo stato della pratica è consultabile sul portale telematico del SUE con le credenziali usate per la presentazione.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.comune.massafra.ta.it/servizi/sue',
  '[{"title": "Modulo unificato CILA", "url": "https://www.comune.massafra.ta.it/modulistica/sue-cila.pdf", "format": "PDF", "version_date": "2023-09-01"}]',
  'active', '2024-02-27 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['manutenzione straordinaria', 'lavori in casa']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000014', 'c_f027', 'Assegno di maternità dei Comuni',
  'Contributo per le madri senza altra copertura previdenziale, per nascite, adozioni e affidamenti.',
  'L''assegno di maternità spetta alle madri residenti, italiane, comunitarie o con permesso di soggiorno, che non hanno un''indennità di maternità o ne hanno una di importo inferiore, con ISEE entro la soglia fissata ogni anno. La domanda si presenta al Comune entro sei mesi dalla nascita o dall''ingresso del minore in famiglia; il Comune concede l''assegno e l''INPS lo paga.',
  ARRAY['cittadini']::text[], ARRAY['servizi_sociali']::text[], ARRAY['nascita']::text[],
  ARRAY['counter', 'pec', 'email']::text[], 2,
  '[
   "Domanda sul modulo comunale",
   "Attestazione ISEE in corso di validità",
   "Documento di identità e, per le cittadine extra UE, permesso di soggiorno",
   "IBAN intestato alla richiedente"]',
  'Provvedimento di concessione e pagamento dell''assegno da parte dell''INPS in cinque mensilità.',
  'gratuito', '', 30, 'Non si applica il silenzio assenso: il Comune concede o nega l''assegno con provvedimento espresso e trasmette all''INPS i dati per il pagamento',
  '[
   {"title": "D.Lgs. 26 marzo 2001, n. 151, art. 74 (assegno di maternità)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2001-03-26;151"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"}]',
  '00000000-0000-4000-8000-000000000005', 'Responsabile dei Servizi Sociali',
  'Per conoscere lo stato della pratica è possibile contattare l''ufficio per telefono o per e-mail indicando il numero di protocollo.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  '',
  '[{"title": "Domanda di assegno di maternità", "url": "https://www.comune.massafra.ta.it/modulistica/assegno-maternita-domanda.pdf", "format": "PDF", "version_date": "2026-01-20"}]',
  'active', '2026-03-23 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['maternità', 'neonato', 'ISEE', 'INPS']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000015', 'c_f027', 'Contributo per il pagamento del canone di locazione',
  'Contributo economico per gli inquilini con reddito basso, su bando annuale.',
  'Con il fondo nazionale e regionale per il sostegno alla locazione il Comune pubblica ogni anno un bando per contributi a favore degli inquilini di alloggi privati con contratto registrato e reddito entro i limiti fissati dalla Regione Puglia. La graduatoria è pubblicata all''albo pretorio online.',
  ARRAY['cittadini']::text[], ARRAY['servizi_sociali']::text[], ARRAY['perdita_lavoro', 'cambio_residenza']::text[],
  ARRAY['web', 'counter', 'pec']::text[], 3,
  '[
   "Domanda sul modulo del bando",
   "Contratto di locazione registrato",
   "Ricevute di pagamento del canone dell''anno di riferimento",
   "Attestazione ISEE",
   "Documento di identità"]',
  'Inserimento nella graduatoria e liquidazione del contributo.',
  'gratuito', '', 90, 'Non si applica il silenzio assenso: la graduatoria provvisoria e quella definitiva sono approvate con provvedimento espresso entro il termine fissato dal bando (90 giorni dalla scadenza per la presentazione delle domande)',
  '[{"title": "Legge 9 dicembre 1998, n. 431, art. 11 (fondo per il sostegno alla locazione)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1998-12-09;431"}]',
  '00000000-0000-4000-8000-000000000005', 'Responsabile dei Servizi Sociali',
  'La graduatoria provvisoria e quella definitiva sono pubblicate all''albo pretorio online; gli esiti individuali sono consultabili nell''area personale.',
  'Ricorso in opposizione alla graduatoria provvisoria entro 15 giorni dalla pubblicazione; Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.comune.massafra.ta.it/servizi/contributo-affitto',
  '[{"title": "Domanda di contributo per il canone di locazione", "url": "https://www.comune.massafra.ta.it/modulistica/contributo-affitto-domanda.pdf", "format": "PDF", "version_date": "2026-09-15"}]',
  'active', '2026-10-06 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['affitto', 'locazione', 'bando', 'sostegno']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000016', 'c_f027', 'Servizio di assistenza domiciliare (SAD)',
  'Aiuto a domicilio per anziani e persone con disabilità non autosufficienti.',
  'Il servizio di assistenza domiciliare offre aiuto nella cura della persona e dell''abitazione, accompagnamento e sostegno sociale a chi non è del tutto autosufficiente. L''accesso è valutato dall''assistente sociale con un piano di intervento individuale; la compartecipazione al costo dipende dall''ISEE.',
  ARRAY['cittadini']::text[], ARRAY['servizi_sociali', 'salute']::text[], ARRAY['disabilita', 'pensionamento']::text[],
  ARRAY['counter', 'phone', 'email']::text[], 1,
  '[
   "Domanda di accesso al servizio",
   "Attestazione ISEE socio-sanitario",
   "Certificazione sanitaria o verbale di invalidità, se presente"]',
  'Piano di assistenza individuale e attivazione del servizio.',
  'Compartecipazione secondo le fasce ISEE stabilite dal regolamento di Ambito', 'pagoPA', 30, 'Non si applica il silenzio assenso: l''ammissione al servizio è disposta con provvedimento espresso dopo la valutazione dell''assistente sociale',
  '[{"title": "Legge 8 novembre 2000, n. 328 (sistema integrato di interventi e servizi sociali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-11-08;328"}]',
  '00000000-0000-4000-8000-000000000005', 'Responsabile dei Servizi Sociali',
  'Per conoscere lo stato della pratica è possibile contattare l''ufficio per telefono o per e-mail indicando il numero di protocollo.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  '',
  '[{"title": "Domanda di assistenza domiciliare", "url": "https://www.comune.massafra.ta.it/modulistica/sad-domanda.pdf", "format": "PDF", "version_date": "2022-05-10"}]',
  'active', NULL, '',
  ARRAY['anziani', 'badante', 'non autosufficienza']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000017', 'c_f027', 'Mensa scolastica - iscrizione e pagamento',
  'Iscrizione al servizio di refezione scolastica e ricarica dei pasti con pagoPA.',
  'La mensa scolastica è attiva nelle scuole dell''infanzia e nelle classi primarie a tempo pieno. L''iscrizione si fa online ogni anno prima dell''inizio delle lezioni; le famiglie ricaricano il borsellino elettronico con pagoPA e la tariffa del pasto dipende dall''ISEE. Sono previste diete speciali per motivi di salute o religiosi.',
  ARRAY['cittadini', 'studenti']::text[], ARRAY['istruzione']::text[], ARRAY['iscrizione_scuola']::text[],
  ARRAY['web', 'app', 'counter']::text[], 4,
  '[
   "Domanda di iscrizione online",
   "Attestazione ISEE, per le tariffe agevolate",
   "Certificato medico, per le diete speciali"]',
  'Iscrizione al servizio e accesso al portale dei pagamenti dei pasti.',
  'Tariffa per pasto secondo le fasce ISEE approvate dalla Giunta comunale', 'pagoPA', 30, 'Non si applica il silenzio assenso: l''iscrizione è confermata dall''ufficio; le domande non accolte ricevono un provvedimento motivato',
  '[{"title": "D.Lgs. 13 aprile 2017, n. 63 (diritto allo studio)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2017-04-13;63"}]',
  '00000000-0000-4000-8000-000000000006', 'Responsabile del Servizio Pubblica Istruzione',
  'Lo stato della pratica è consultabile nell''area personale del portale dei servizi online, con accesso tramite SPID, CIE o CNS.',
  'Per ritardi o disservizi è possibile presentare reclamo all''URP. Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.comune.massafra.ta.it/servizi/mensa-scolastica',
  '[
   {"title": "Iscrizione online alla mensa scolastica", "url": "https://www.comune.massafra.ta.it/servizi/mensa-scolastica", "format": "online", "version_date": "2026-06-01"},
   {"title": "Richiesta di dieta speciale", "url": "https://www.comune.massafra.ta.it/modulistica/mensa-dieta-speciale.pdf", "format": "PDF", "version_date": "2025-06-01"}]',
  'active', '2026-08-25 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['refezione', 'pasti', 'scuola']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000018', 'c_f027', 'Trasporto scolastico',
  'Scuolabus per gli alunni residenti nelle contrade e lontani dalla scuola.',
  'Il Comune organizza il trasporto scolastico per gli alunni delle scuole dell''infanzia, primarie e secondarie di primo grado che abitano nelle contrade o lontano dal plesso. La domanda si presenta online entro il 31 luglio; i percorsi e le fermate sono pubblicati prima dell''inizio dell''anno scolastico.',
  ARRAY['cittadini', 'studenti']::text[], ARRAY['istruzione', 'mobilita_e_trasporti']::text[], ARRAY['iscrizione_scuola']::text[],
  ARRAY['web', 'counter']::text[], 3,
  '[
   "Domanda di iscrizione online",
   "Attestazione ISEE, per le tariffe agevolate"]',
  'Ammissione al servizio con indicazione della fermata e degli orari.',
  'Quota annuale secondo le fasce ISEE', 'pagoPA', 30, 'Non si applica il silenzio assenso: l''ammissione al servizio, con la fermata e gli orari, è comunicata con provvedimento espresso',
  '[]',
  '00000000-0000-4000-8000-000000000006', 'Responsabile del Servizio Pubblica Istruzione',
  'Lo stato della pratica è consultabile nell''area personale del portale dei servizi online, con accesso tramite SPID, CIE o CNS.',
  'Per ritardi o disservizi è possibile presentare reclamo all''URP. Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.comune.massafra.ta.it/servizi/trasporto-scolastico',
  '[{"title": "Iscrizione online al trasporto scolastico", "url": "https://www.comune.massafra.ta.it/servizi/trasporto-scolastico", "format": "online", "version_date": "2026-06-01"}]',
  'active', '2026-08-25 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['scuolabus', 'contrade']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000019', 'c_f027', 'Ritiro a domicilio dei rifiuti ingombranti',
  'Prenotazione gratuita del ritiro di mobili, elettrodomestici e altri rifiuti ingombranti.',
  'I cittadini iscritti a ruolo TARI possono prenotare il ritiro gratuito a domicilio di rifiuti ingombranti e di apparecchiature elettriche ed elettroniche (RAEE), fino a tre pezzi per ritiro. I rifiuti vanno lasciati a piano strada la sera precedente il giorno concordato. In alternativa si possono conferire al centro comunale di raccolta.',
  ARRAY['cittadini']::text[], ARRAY['ambiente_e_rifiuti']::text[], ARRAY['cambio_residenza']::text[],
  ARRAY['phone', 'web', 'app']::text[], 3,
  '[
   "Elenco dei rifiuti da ritirare",
   "Codice utente TARI o codice fiscale dell''intestatario"]',
  'Appuntamento per il ritiro e ritiro dei rifiuti a piano strada.',
  'gratuito (fino a tre pezzi per ritiro)', '', 15, 'Non previsto: il servizio è erogato su prenotazione, senza provvedimento; il ritiro è concordato con il gestore entro 15 giorni dalla richiesta',
  '[{"title": "D.Lgs. 3 aprile 2006, n. 152 (Norme in materia ambientale)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2006-04-03;152"}]',
  '00000000-0000-4000-8000-000000000010', 'Responsabile del Servizio Ambiente e Igiene Urbana',
  'La conferma della prenotazione arriva per SMS o e-mail con il giorno del ritiro.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.massafra.ta.it/servizi/ritiro-ingombranti',
  '[{"title": "Prenotazione online del ritiro ingombranti", "url": "https://www.comune.massafra.ta.it/servizi/ritiro-ingombranti", "format": "online", "version_date": "2025-10-01"}]',
  'active', '2026-04-30 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['ingombranti', 'RAEE', 'mobili', 'elettrodomestici']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000020', 'c_f027', 'Prestito bibliotecario',
  'Iscrizione alla biblioteca e prestito di libri, riviste e DVD.',
  'L''iscrizione alla Biblioteca comunale è gratuita e aperta a tutti. Con la tessera si possono prendere in prestito fino a tre documenti per 30 giorni, rinnovabili online se non prenotati da altri, e accedere al prestito interbibliotecario e alla biblioteca digitale.',
  ARRAY['cittadini', 'studenti', 'turisti']::text[], ARRAY['cultura_e_tempo_libero']::text[], '{}'::text[],
  ARRAY['counter', 'web', 'phone']::text[], 3,
  '[
   "Documento di identità",
   "Per i minori di 14 anni: modulo di iscrizione firmato da un genitore"]',
  'Tessera della biblioteca e prestito dei documenti richiesti.',
  'gratuito', '', 30, 'Non si applica il silenzio assenso: la tessera è rilasciata e il prestito concesso al momento della richiesta; in mancanza di un termine specifico di legge vale quello di 30 giorni (art. 2, comma 2, L. 241/1990)',
  '[{"title": "Regolamento della Biblioteca comunale di Massafra", "url": "https://www.comune.massafra.ta.it/regolamenti/regolamento-biblioteca-comunale.pdf"}]',
  '00000000-0000-4000-8000-000000000012', 'Responsabile della Biblioteca comunale',
  'Prestiti, scadenze e prenotazioni sono consultabili nel catalogo online con le credenziali della tessera.',
  'Reclami e suggerimenti all''URP o al Responsabile della Biblioteca.',
  'https://www.comune.massafra.ta.it/servizi/biblioteca',
  '[{"title": "Modulo di iscrizione alla biblioteca", "url": "https://www.comune.massafra.ta.it/modulistica/biblioteca-iscrizione.pdf", "format": "PDF", "version_date": "2024-10-01"}]',
  'active', '2026-02-03 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['biblioteca', 'libri', 'lettura', 'prestito']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000021', 'c_f027', 'Contrassegno di parcheggio per persone con disabilità',
  'Rilascio e rinnovo del contrassegno europeo per la circolazione e la sosta dei veicoli al servizio di persone con disabilità.',
  'Il contrassegno consente la sosta negli stalli riservati e la circolazione nelle zone a traffico limitato. Si rilascia alle persone con capacità di deambulazione sensibilmente ridotta, accertata dall''Ufficio medico legale dell''ASL di Taranto, e vale cinque anni; per invalidità temporanee vale per il periodo indicato nel certificato.',
  ARRAY['cittadini']::text[], ARRAY['sicurezza_e_polizia_locale', 'mobilita_e_trasporti']::text[], ARRAY['disabilita']::text[],
  ARRAY['counter', 'pec', 'email']::text[], 2,
  '[
   "Domanda sul modulo comunale",
   "Certificato dell''Ufficio medico legale dell''ASL",
   "Fototessera recente",
   "Documento di identità",
   "Per il rinnovo: certificato del medico curante e contrassegno scaduto"]',
  'Contrassegno europeo per persone con disabilità.',
  'gratuito', '', 30, 'Non si applica il silenzio assenso: il contrassegno è rilasciato con provvedimento espresso sulla base della certificazione dell''Ufficio medico legale dell''ASL',
  '[
   {"title": "D.Lgs. 30 aprile 1992, n. 285 (Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1992-04-30;285"},
   {"title": "D.P.R. 16 dicembre 1992, n. 495 (Regolamento di esecuzione del Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:1992-12-16;495"},
   {"title": "D.P.R. 24 luglio 1996, n. 503, art. 12 (contrassegno per persone con disabilità)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:1996-07-24;503"}]',
  '00000000-0000-4000-8000-000000000011', 'Comandante della Polizia Locale',
  'Per conoscere lo stato della pratica è possibile contattare l''ufficio per telefono o per e-mail indicando il numero di protocollo.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  '',
  '[{"title": "Domanda di contrassegno per persone con disabilità", "url": "https://www.comune.massafra.ta.it/modulistica/contrassegno-disabili.pdf", "format": "PDF", "version_date": "2025-04-01"}]',
  'active', '2026-05-18 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['invalidi', 'parcheggio', 'disabili', 'CUDE']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000022', 'c_f027', 'Permesso di accesso alla ZTL del centro storico',
  'Permessi per residenti, dimoranti e attività per l''accesso alla zona a traffico limitato.',
  'Con l''istituzione della zona a traffico limitato del centro storico, i residenti, i titolari di posti auto e le attività economiche della zona potranno chiedere online il permesso di accesso, associato alla targa del veicolo. Il servizio è in fase di attivazione: le modalità definitive saranno pubblicate con l''ordinanza istitutiva.',
  ARRAY['cittadini', 'imprese']::text[], ARRAY['mobilita_e_trasporti', 'sicurezza_e_polizia_locale']::text[], ARRAY['cambio_residenza']::text[],
  ARRAY['web']::text[], 3,
  '[
   "Carta di circolazione del veicolo",
   "Titolo che giustifica l''accesso (residenza, posto auto, sede dell''attività)"]',
  'Permesso di accesso alla ZTL associato alla targa.',
  'Da definire con la delibera tariffaria', 'pagoPA', 30, 'Non si applica il silenzio assenso: il permesso è rilasciato con provvedimento espresso e l''accesso alla ZTL è consentito solo dopo l''abilitazione della targa',
  '[{"title": "D.Lgs. 30 aprile 1992, n. 285 (Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1992-04-30;285"}]',
  '00000000-0000-4000-8000-000000000011', 'Comandante della Polizia Locale',
  'Lo stato della pratica è consultabile nell''area personale del portale dei servizi online, con accesso tramite SPID, CIE o CNS.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.comune.massafra.ta.it/servizi/ztl',
  '[]',
  'under_development', '2026-10-20 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['ZTL', 'centro storico', 'targa', 'varco']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000023', 'c_f027', 'Segnalazioni alla Polizia Locale',
  'Segnalazioni non urgenti su sosta irregolare, veicoli abbandonati, abusi e sicurezza urbana.',
  'I cittadini possono segnalare alla Polizia Locale situazioni non urgenti come veicoli abbandonati, sosta irregolare ricorrente, occupazioni abusive di suolo pubblico o problemi di sicurezza urbana, online, per e-mail, per telefono o allo sportello. Per le emergenze chiamare il numero unico 112.',
  ARRAY['cittadini', 'imprese', 'associazioni']::text[], ARRAY['sicurezza_e_polizia_locale']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Descrizione del fatto, luogo e orario",
   "Foto, se disponibili"]',
  'Presa in carico della segnalazione e comunicazione dell''esito dell''intervento.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[
   {"title": "D.Lgs. 30 aprile 1992, n. 285 (Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1992-04-30;285"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"}]',
  '00000000-0000-4000-8000-000000000011', 'Comandante della Polizia Locale',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.massafra.ta.it/servizi/segnalazioni-polizia-locale',
  '[{"title": "Segnalazione online alla Polizia Locale", "url": "https://www.comune.massafra.ta.it/servizi/segnalazioni-polizia-locale", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-06-22 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['vigili urbani', 'sosta', 'veicolo abbandonato']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000024', 'c_f027', 'Passo carrabile',
  'Autorizzazione e cartello per l''accesso dei veicoli da un''area privata alla strada.',
  'Il passo carrabile consente l''accesso dei veicoli a un''area privata e vieta la sosta davanti all''ingresso. L''autorizzazione è rilasciata dalla Polizia Locale previo sopralluogo e comporta il pagamento del canone unico patrimoniale e l''esposizione del cartello regolamentare.',
  ARRAY['cittadini', 'imprese']::text[], ARRAY['mobilita_e_trasporti', 'sicurezza_e_polizia_locale']::text[], ARRAY['acquisto_casa', 'ristrutturazione_casa']::text[],
  ARRAY['counter', 'pec']::text[], 1,
  '[
   "Domanda in bollo",
   "Planimetria dell''accesso",
   "Titolo di proprietà o di disponibilità dell''immobile"]',
  'Autorizzazione al passo carrabile e cartello numerato.',
  '16 euro di marca da bollo, costo del cartello e canone unico patrimoniale annuo', 'pagoPA', 60, 'Non si applica il silenzio assenso: l''autorizzazione è rilasciata con provvedimento espresso dopo il sopralluogo della Polizia Locale',
  '[
   {"title": "D.Lgs. 30 aprile 1992, n. 285 (Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1992-04-30;285"},
   {"title": "D.P.R. 16 dicembre 1992, n. 495 (Regolamento di esecuzione del Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:1992-12-16;495"},
   {"title": "Legge 27 dicembre 2019, n. 160, art. 1, commi 816-847 (canone unico patrimoniale)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2019-12-27;160"}]',
  '00000000-0000-4000-8000-000000000011', 'Comandante della Polizia Locale',
  'Per conoscere lo stato della pratica è possibile contattare l''ufficio per telefono o per e-mail indicando il numero di protocollo.',
  '',
  '',
  '[]',
  'active', '2024-11-05 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['accesso carrabile', 'cartello', 'garage']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000025', 'c_f027', 'Autorizzazione per manifestazioni ed eventi pubblici',
  'Licenza per feste, concerti, spettacoli e manifestazioni su area pubblica.',
  'Chi organizza un evento aperto al pubblico su area pubblica o privata presenta la domanda almeno 30 giorni prima. Per gli eventi con più di 200 partecipanti o con strutture allestite è necessario il parere della Commissione comunale di vigilanza sui locali di pubblico spettacolo.',
  ARRAY['associazioni', 'imprese', 'cittadini']::text[], ARRAY['cultura_e_tempo_libero', 'sicurezza_e_polizia_locale', 'attivita_produttive']::text[], '{}'::text[],
  ARRAY['pec', 'web', 'counter']::text[], 3,
  '[
   "Domanda con programma, luogo, date e orari",
   "Piano di sicurezza e di emergenza",
   "Relazione tecnica sulle strutture e sugli impianti",
   "Polizza di responsabilità civile",
   "Richiesta di occupazione di suolo pubblico, se necessaria"]',
  'Licenza di pubblico spettacolo o presa d''atto della manifestazione.',
  '16 euro di marca da bollo sulla domanda e sulla licenza, eventuali spese della Commissione di vigilanza', 'pagoPA', 30, 'Non si applica il silenzio assenso: la licenza di pubblico spettacolo è rilasciata con provvedimento espresso; per gli eventi fino a 200 partecipanti che si concludono entro le ore 24 del giorno di inizio la licenza è sostituita dalla SCIA (art. 68 TULPS)',
  '[
   {"title": "R.D. 18 giugno 1931, n. 773 (TULPS), artt. 68 e 80", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:regio.decreto:1931-06-18;773"},
   {"title": "D.Lgs. 18 agosto 2000, n. 267 (Testo unico degli enti locali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2000-08-18;267"}]',
  '00000000-0000-4000-8000-000000000011', 'Comandante della Polizia Locale',
  'Lo stato della pratica è consultabile nell''area personale del portale dei servizi online, con accesso tramite SPID, CIE o CNS.',
  'Ricorso al TAR Puglia - sezione di Lecce entro 60 giorni dalla comunicazione del provvedimento, oppure ricorso straordinario al Presidente della Repubblica entro 120 giorni.',
  'https://www.comune.massafra.ta.it/servizi/manifestazioni',
  '[{"title": "Domanda di autorizzazione per manifestazioni", "url": "https://www.comune.massafra.ta.it/modulistica/autorizzazione-manifestazioni.pdf", "format": "PDF", "version_date": "2025-02-01"}]',
  'active', '2026-03-11 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['eventi', 'feste', 'spettacoli', 'concerti']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000026', 'c_f027', 'Accesso civico generalizzato (FOIA)',
  'Richiesta di dati e documenti detenuti dall''amministrazione, senza motivazione.',
  'Chiunque può chiedere a il Comune di Massafra dati e documenti ulteriori rispetto a quelli pubblicati, senza indicare il motivo e senza dimostrare un interesse. L''amministrazione risponde entro 30 giorni; il rifiuto è possibile solo per tutelare gli interessi pubblici e privati indicati dalla legge. Le richieste e gli esiti sono pubblicati nel registro degli accessi.',
  ARRAY['cittadini', 'imprese', 'associazioni', 'professionisti']::text[], ARRAY['partecipazione_e_trasparenza']::text[], '{}'::text[],
  ARRAY['web', 'email', 'pec', 'counter', 'post']::text[], 3,
  '[
   "Istanza con l''indicazione dei dati o documenti richiesti",
   "Documento di identità, se l''istanza non è firmata digitalmente"]',
  'Trasmissione dei dati o documenti richiesti oppure provvedimento motivato di diniego.',
  'gratuito; rimborso dei soli costi di riproduzione su supporti materiali', 'pagoPA', 30, 'Non si applica il silenzio assenso: la richiesta si conclude con provvedimento espresso e motivato; in caso di diniego totale o parziale o di mancata risposta entro 30 giorni il richiedente può chiedere il riesame al Responsabile della prevenzione della corruzione e della trasparenza (art. 5, comma 7, D.Lgs. 33/2013)',
  '[
   {"title": "D.Lgs. 14 marzo 2013, n. 33, art. 5 (accesso civico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2013-03-14;33"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"}]',
  '00000000-0000-4000-8000-000000000003', 'Responsabile dell''Ufficio Relazioni con il Pubblico',
  'La richiesta riceve un numero di protocollo; lo stato è consultabile online o chiedendo all''URP.',
  'In caso di diniego totale o parziale o di mancata risposta entro 30 giorni, richiesta di riesame al Responsabile della prevenzione della corruzione e della trasparenza, che decide entro 20 giorni; contro la decisione, ricorso al TAR ai sensi dell''art. 116 del Codice del processo amministrativo oppure ricorso al Difensore civico regionale.',
  'https://www.comune.massafra.ta.it/servizi/accesso-civico',
  '[{"title": "Istanza di accesso civico generalizzato", "url": "https://www.comune.massafra.ta.it/modulistica/istanza-accesso-civico-generalizzato.pdf", "format": "PDF", "version_date": "2025-01-20"}]',
  'active', '2026-01-19 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['FOIA', 'trasparenza', 'accesso agli atti', 'registro degli accessi']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000027', 'c_f027', 'Reclami, segnalazioni e suggerimenti all''URP',
  'Reclami per disservizi, segnalazioni, suggerimenti ed elogi sui servizi.',
  'L''URP di il Comune di Massafra riceve reclami su tempi e modi di erogazione dei servizi, segnalazioni, suggerimenti ed elogi, con qualunque mezzo: online, per e-mail, per posta, per telefono o allo sportello. L''URP inoltra la richiesta all''ufficio competente e garantisce una risposta entro 30 giorni; i risultati del monitoraggio dei reclami sono presentati periodicamente al Comitato per la qualità.',
  ARRAY['cittadini', 'imprese', 'associazioni', 'turisti']::text[], ARRAY['partecipazione_e_trasparenza']::text[], '{}'::text[],
  ARRAY['web', 'app', 'email', 'pec', 'phone', 'counter', 'post']::text[], 3,
  '[
   "Descrizione del disservizio o del suggerimento",
   "Recapito per la risposta"]',
  'Risposta scritta dell''ufficio competente e, per i reclami fondati, indicazione delle azioni correttive.',
  'gratuito', '', 30, 'Non previsto: il reclamo non avvia un procedimento autorizzatorio; l''URP garantisce una risposta scritta entro 30 giorni',
  '[
   {"title": "Legge 7 giugno 2000, n. 150, art. 8 (Ufficio per le relazioni con il pubblico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-06-07;150"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"}]',
  '00000000-0000-4000-8000-000000000003', 'Responsabile dell''Ufficio Relazioni con il Pubblico',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la risposta non arriva entro 30 giorni o non è soddisfacente è possibile rivolgersi al Difensore civico regionale della Puglia.',
  'https://www.comune.massafra.ta.it/servizi/reclami',
  '[{"title": "Modulo di reclamo e segnalazione", "url": "https://www.comune.massafra.ta.it/modulistica/modulo-reclamo-urp.pdf", "format": "PDF", "version_date": "2025-01-20"}]',
  'active', '2026-01-19 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['reclamo', 'disservizio', 'suggerimento', 'elogio', 'URP']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000028', 'u_gravine', 'Accesso civico generalizzato (FOIA)',
  'Richiesta di dati e documenti detenuti dall''amministrazione, senza motivazione.',
  'Chiunque può chiedere a l''Unione dei Comuni Terra delle Gravine dati e documenti ulteriori rispetto a quelli pubblicati, senza indicare il motivo e senza dimostrare un interesse. L''amministrazione risponde entro 30 giorni; il rifiuto è possibile solo per tutelare gli interessi pubblici e privati indicati dalla legge. Le richieste e gli esiti sono pubblicati nel registro degli accessi.',
  ARRAY['cittadini', 'imprese', 'associazioni', 'professionisti']::text[], ARRAY['partecipazione_e_trasparenza']::text[], '{}'::text[],
  ARRAY['web', 'email', 'pec', 'counter', 'post']::text[], 3,
  '[
   "Istanza con l''indicazione dei dati o documenti richiesti",
   "Documento di identità, se l''istanza non è firmata digitalmente"]',
  'Trasmissione dei dati o documenti richiesti oppure provvedimento motivato di diniego.',
  'gratuito; rimborso dei soli costi di riproduzione su supporti materiali', 'pagoPA', 30, 'Non si applica il silenzio assenso: la richiesta si conclude con provvedimento espresso e motivato; in caso di diniego totale o parziale o di mancata risposta entro 30 giorni il richiedente può chiedere il riesame al Responsabile della prevenzione della corruzione e della trasparenza (art. 5, comma 7, D.Lgs. 33/2013)',
  '[
   {"title": "D.Lgs. 14 marzo 2013, n. 33, art. 5 (accesso civico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2013-03-14;33"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"}]',
  '00000000-0000-4000-8000-000000000001', 'Responsabile dell''Ufficio Relazioni con il Pubblico',
  'La richiesta riceve un numero di protocollo; lo stato è consultabile online o chiedendo all''URP.',
  'In caso di diniego totale o parziale o di mancata risposta entro 30 giorni, richiesta di riesame al Responsabile della prevenzione della corruzione e della trasparenza, che decide entro 20 giorni; contro la decisione, ricorso al TAR ai sensi dell''art. 116 del Codice del processo amministrativo oppure ricorso al Difensore civico regionale.',
  'https://www.unioneterradellegravine.it/servizi/accesso-civico',
  '[{"title": "Istanza di accesso civico generalizzato", "url": "https://www.unioneterradellegravine.it/modulistica/istanza-accesso-civico-generalizzato.pdf", "format": "PDF", "version_date": "2025-01-20"}]',
  'active', '2026-02-09 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['FOIA', 'trasparenza', 'accesso agli atti', 'registro degli accessi']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000029', 'u_gravine', 'Reclami, segnalazioni e suggerimenti all''URP',
  'Reclami per disservizi, segnalazioni, suggerimenti ed elogi sui servizi.',
  'L''URP di l''Unione dei Comuni Terra delle Gravine riceve reclami su tempi e modi di erogazione dei servizi, segnalazioni, suggerimenti ed elogi, con qualunque mezzo: online, per e-mail, per posta, per telefono o allo sportello. L''URP inoltra la richiesta all''ufficio competente e garantisce una risposta entro 30 giorni; i risultati del monitoraggio dei reclami sono presentati periodicamente al Comitato per la qualità.',
  ARRAY['cittadini', 'imprese', 'associazioni', 'turisti']::text[], ARRAY['partecipazione_e_trasparenza']::text[], '{}'::text[],
  ARRAY['web', 'app', 'email', 'pec', 'phone', 'counter', 'post']::text[], 3,
  '[
   "Descrizione del disservizio o del suggerimento",
   "Recapito per la risposta"]',
  'Risposta scritta dell''ufficio competente e, per i reclami fondati, indicazione delle azioni correttive.',
  'gratuito', '', 30, 'Non previsto: il reclamo non avvia un procedimento autorizzatorio; l''URP garantisce una risposta scritta entro 30 giorni',
  '[
   {"title": "Legge 7 giugno 2000, n. 150, art. 8 (Ufficio per le relazioni con il pubblico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-06-07;150"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"}]',
  '00000000-0000-4000-8000-000000000001', 'Responsabile dell''Ufficio Relazioni con il Pubblico',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la risposta non arriva entro 30 giorni o non è soddisfacente è possibile rivolgersi al Difensore civico regionale della Puglia.',
  'https://www.unioneterradellegravine.it/servizi/reclami',
  '[{"title": "Modulo di reclamo e segnalazione", "url": "https://www.unioneterradellegravine.it/modulistica/modulo-reclamo-urp.pdf", "format": "PDF", "version_date": "2025-01-20"}]',
  'active', '2026-02-09 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['reclamo', 'disservizio', 'suggerimento', 'elogio', 'URP']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000030', 'c_d171', 'Reclami, segnalazioni e suggerimenti all''URP',
  'Reclami per disservizi, segnalazioni, suggerimenti ed elogi sui servizi.',
  'L''URP di il Comune di Crispiano riceve reclami su tempi e modi di erogazione dei servizi, segnalazioni, suggerimenti ed elogi, con qualunque mezzo: online, per e-mail, per posta, per telefono o allo sportello. L''URP inoltra la richiesta all''ufficio competente e garantisce una risposta entro 30 giorni; i risultati del monitoraggio dei reclami sono presentati periodicamente al Comitato per la qualità.',
  ARRAY['cittadini', 'imprese', 'associazioni', 'turisti']::text[], ARRAY['partecipazione_e_trasparenza']::text[], '{}'::text[],
  ARRAY['web', 'app', 'email', 'pec', 'phone', 'counter', 'post']::text[], 3,
  '[
   "Descrizione del disservizio o del suggerimento",
   "Recapito per la risposta"]',
  'Risposta scritta dell''ufficio competente e, per i reclami fondati, indicazione delle azioni correttive.',
  'gratuito', '', 30, 'Non previsto: il reclamo non avvia un procedimento autorizzatorio; l''URP garantisce una risposta scritta entro 30 giorni',
  '[
   {"title": "Legge 7 giugno 2000, n. 150, art. 8 (Ufficio per le relazioni con il pubblico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2000-06-07;150"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"}]',
  '00000000-0000-4000-8000-000000000013', 'Responsabile dell''Ufficio Relazioni con il Pubblico',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la risposta non arriva entro 30 giorni o non è soddisfacente è possibile rivolgersi al Difensore civico regionale della Puglia.',
  'https://www.comune.crispiano.ta.it/servizi/reclami',
  '[{"title": "Modulo di reclamo e segnalazione", "url": "https://www.comune.crispiano.ta.it/modulistica/modulo-reclamo-urp.pdf", "format": "PDF", "version_date": "2025-01-20"}]',
  'active', '2026-05-12 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['reclamo', 'disservizio', 'suggerimento', 'elogio', 'URP']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000031', 'c_d171', 'Occupazione di suolo pubblico',
  'Concessione per occupare strade e piazze con ponteggi, dehors o banchetti.',
  'La concessione è necessaria per occupare temporaneamente o permanentemente il suolo pubblico del Comune di Crispiano. La domanda si presenta almeno 15 giorni prima all''Ufficio Tecnico, che acquisisce il parere della Polizia Locale; l''occupazione è soggetta al canone unico patrimoniale.',
  ARRAY['cittadini', 'imprese', 'associazioni']::text[], ARRAY['attivita_produttive', 'mobilita_e_trasporti']::text[], ARRAY['avvio_impresa', 'ristrutturazione_casa']::text[],
  ARRAY['counter', 'pec']::text[], 1,
  '[
   "Domanda in bollo",
   "Planimetria dell''area",
   "Documento di identità"]',
  'Concessione di occupazione di suolo pubblico.',
  'Canone unico patrimoniale e 16 euro di marca da bollo', 'pagoPA', 30, 'Non si applica il silenzio assenso: la concessione è rilasciata con provvedimento espresso e l''occupazione può iniziare solo dopo il rilascio',
  '[{"title": "Legge 27 dicembre 2019, n. 160, art. 1, commi 816-847 (canone unico patrimoniale)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:2019-12-27;160"}]',
  '00000000-0000-4000-8000-000000000014', 'Responsabile dell''Area Tecnica',
  'Per conoscere lo stato della pratica è possibile contattare l''ufficio per telefono o per e-mail indicando il numero di protocollo.',
  '',
  '',
  '[]',
  'active', '2026-04-02 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['ponteggio', 'dehors', 'canone unico']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000032', 'c_m298', 'Accesso civico generalizzato (FOIA)',
  'Richiesta di dati e documenti detenuti dall''amministrazione, senza motivazione.',
  'Chiunque può chiedere a il Comune di Statte dati e documenti ulteriori rispetto a quelli pubblicati, senza indicare il motivo e senza dimostrare un interesse. L''amministrazione risponde entro 30 giorni; il rifiuto è possibile solo per tutelare gli interessi pubblici e privati indicati dalla legge. Le richieste e gli esiti sono pubblicati nel registro degli accessi.',
  ARRAY['cittadini', 'imprese', 'associazioni', 'professionisti']::text[], ARRAY['partecipazione_e_trasparenza']::text[], '{}'::text[],
  ARRAY['web', 'email', 'pec', 'counter', 'post']::text[], 3,
  '[
   "Istanza con l''indicazione dei dati o documenti richiesti",
   "Documento di identità, se l''istanza non è firmata digitalmente"]',
  'Trasmissione dei dati o documenti richiesti oppure provvedimento motivato di diniego.',
  'gratuito; rimborso dei soli costi di riproduzione su supporti materiali', 'pagoPA', 30, 'Non si applica il silenzio assenso: la richiesta si conclude con provvedimento espresso e motivato; in caso di diniego totale o parziale o di mancata risposta entro 30 giorni il richiedente può chiedere il riesame al Responsabile della prevenzione della corruzione e della trasparenza (art. 5, comma 7, D.Lgs. 33/2013)',
  '[
   {"title": "D.Lgs. 14 marzo 2013, n. 33, art. 5 (accesso civico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2013-03-14;33"},
   {"title": "Legge 7 agosto 1990, n. 241", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1990-08-07;241"}]',
  '00000000-0000-4000-8000-000000000015', 'Responsabile dell''Ufficio Relazioni con il Pubblico',
  'La richiesta riceve un numero di protocollo; lo stato è consultabile online o chiedendo all''URP.',
  'In caso di diniego totale o parziale o di mancata risposta entro 30 giorni, richiesta di riesame al Responsabile della prevenzione della corruzione e della trasparenza, che decide entro 20 giorni; contro la decisione, ricorso al TAR ai sensi dell''art. 116 del Codice del processo amministrativo oppure ricorso al Difensore civico regionale.',
  'https://www.comune.statte.ta.it/servizi/accesso-civico',
  '[{"title": "Istanza di accesso civico generalizzato", "url": "https://www.comune.statte.ta.it/modulistica/istanza-accesso-civico-generalizzato.pdf", "format": "PDF", "version_date": "2025-01-20"}]',
  'active', '2026-06-03 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['FOIA', 'trasparenza', 'accesso agli atti', 'registro degli accessi']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords)
VALUES ('00000000-0000-4000-9000-000000000033', 'c_m298', 'Ritiro a domicilio dei rifiuti ingombranti',
  'Prenotazione del ritiro gratuito di ingombranti e RAEE a Statte.',
  'Le utenze domestiche di Statte possono prenotare per telefono al numero verde del gestore o online il ritiro gratuito di mobili, materassi ed elettrodomestici, fino a cinque pezzi per ritiro. I rifiuti vanno esposti a piano strada entro le ore 6 del giorno concordato.',
  ARRAY['cittadini']::text[], ARRAY['ambiente_e_rifiuti']::text[], ARRAY['cambio_residenza']::text[],
  ARRAY['phone', 'web']::text[], 3,
  '[
   "Elenco dei rifiuti da ritirare",
   "Codice fiscale dell''intestatario TARI"]',
  'Ritiro dei rifiuti nel giorno concordato.',
  'gratuito (fino a cinque pezzi per ritiro)', '', 15, 'Non previsto: il servizio è erogato su prenotazione, senza provvedimento; il ritiro è concordato con il gestore entro 15 giorni dalla richiesta',
  '[]',
  '00000000-0000-4000-8000-000000000016', 'Responsabile dell''Area Tecnica',
  'La conferma della prenotazione arriva per SMS con il giorno del ritiro.',
  '',
  'https://www.comune.statte.ta.it/servizi/ritiro-ingombranti',
  '[{"title": "Prenotazione online del ritiro ingombranti", "url": "https://www.comune.statte.ta.it/servizi/ritiro-ingombranti", "format": "online", "version_date": "2025-09-01"}]',
  'active', '2026-09-29 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['ingombranti', 'RAEE', 'materassi']::text[])
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000034', 'c_f027', 'Buche e dissesti stradali',
  'Segnalazione di buche, avvallamenti e dissesti su strade e marciapiedi.',
  'Segnala buche, avvallamenti, tombini sollevati o marciapiedi dissestati indicando il punto esatto sulla mappa e, se possibile, allegando una foto. L''ufficio competente valuta la pericolosità e programma l''intervento; i dissesti pericolosi sono messi in sicurezza con priorità.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['lavori_pubblici', 'mobilita_e_trasporti']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[
   {"title": "D.Lgs. 30 aprile 1992, n. 285 (Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1992-04-30;285"},
   {"title": "D.Lgs. 18 agosto 2000, n. 267 (Testo unico degli enti locali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2000-08-18;267"}]',
  '00000000-0000-4000-8000-000000000009', 'Responsabile del Servizio Lavori Pubblici e Manutenzioni',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.massafra.ta.it/servizi/segnalazioni/strade-buche',
  '[{"title": "Segnalazione online", "url": "https://www.comune.massafra.ta.it/servizi/segnalazioni/strade-buche", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-04-15 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['buca', 'asfalto', 'marciapiede', 'tombino', 'strada dissestata']::text[],
  true, 'strade-buche', 'Strade e viabilità',
  '[
   {"code": "tipo_dissesto", "description": "Tipo di dissesto", "datatype": "singlevaluelist", "required": true, "order": 1, "values": [{"key": "buca", "name": "Buca"}, {"key": "avvallamento", "name": "Avvallamento"}, {"key": "tombino", "name": "Tombino sollevato o rotto"}, {"key": "marciapiede", "name": "Marciapiede dissestato"}]},
   {"code": "dimensione_cm", "description": "Dimensione approssimativa (cm)", "datatype": "number", "required": false, "order": 2, "values": []},
   {"code": "pericolo", "description": "C''è un pericolo immediato per pedoni o veicoli?", "datatype": "singlevaluelist", "required": true, "order": 3, "values": [{"key": "si", "name": "Sì"}, {"key": "no", "name": "No"}]}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000035', 'c_f027', 'Lampioni guasti',
  'Segnalazione di lampioni spenti, intermittenti o danneggiati.',
  'Segnala i punti luce della pubblica illuminazione spenti, intermittenti, accesi di giorno o danneggiati. Se possibile indica il numero riportato sulla targhetta del palo: aiuta il manutentore a individuarlo subito.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['lavori_pubblici']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 15, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[{"title": "D.Lgs. 18 agosto 2000, n. 267 (Testo unico degli enti locali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2000-08-18;267"}]',
  '00000000-0000-4000-8000-000000000009', 'Responsabile del Servizio Lavori Pubblici e Manutenzioni',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.massafra.ta.it/servizi/segnalazioni/illuminazione-pubblica',
  '[{"title": "Segnalazione online", "url": "https://www.comune.massafra.ta.it/servizi/segnalazioni/illuminazione-pubblica", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-04-15 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['lampione', 'luce', 'buio', 'palo', 'illuminazione']::text[],
  true, 'illuminazione-pubblica', 'Illuminazione',
  '[
   {"code": "tipo_guasto", "description": "Tipo di guasto", "datatype": "singlevaluelist", "required": true, "order": 1, "values": [{"key": "spento", "name": "Lampione spento"}, {"key": "intermittente", "name": "Luce intermittente"}, {"key": "acceso_giorno", "name": "Acceso di giorno"}, {"key": "palo_danneggiato", "name": "Palo danneggiato o pericolante"}]},
   {"code": "numero_palo", "description": "Numero sulla targhetta del palo", "datatype": "string", "required": false, "order": 2, "values": []},
   {"code": "numero_lampioni", "description": "Quanti lampioni sono coinvolti", "datatype": "number", "required": false, "order": 3, "values": []}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000036', 'c_f027', 'Rifiuti abbandonati',
  'Segnalazione di rifiuti abbandonati su strade, campagne e aree pubbliche.',
  'Segnala i rifiuti abbandonati su suolo pubblico, nelle campagne o ai margini delle strade. L''ufficio dispone la rimozione da parte del gestore del servizio e, quando possibile, l''individuazione dei responsabili. Non toccare materiali che potrebbero contenere amianto.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['ambiente_e_rifiuti']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[{"title": "D.Lgs. 3 aprile 2006, n. 152 (Norme in materia ambientale)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2006-04-03;152"}]',
  '00000000-0000-4000-8000-000000000010', 'Responsabile del Servizio Ambiente e Igiene Urbana',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.massafra.ta.it/servizi/segnalazioni/rifiuti-abbandonati',
  '[{"title": "Segnalazione online", "url": "https://www.comune.massafra.ta.it/servizi/segnalazioni/rifiuti-abbandonati", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-04-15 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['discarica abusiva', 'spazzatura', 'abbandono rifiuti', 'sacchetti', 'decoro']::text[],
  true, 'rifiuti-abbandonati', 'Rifiuti e decoro',
  '[
   {"code": "tipo_rifiuto", "description": "Tipo di rifiuti", "datatype": "multivaluelist", "required": true, "order": 1, "values": [{"key": "sacchetti", "name": "Sacchetti di rifiuti domestici"}, {"key": "ingombranti", "name": "Ingombranti"}, {"key": "raee", "name": "Elettrodomestici (RAEE)"}, {"key": "inerti", "name": "Materiale edile"}, {"key": "pneumatici", "name": "Pneumatici"}, {"key": "amianto", "name": "Possibile amianto"}]},
   {"code": "quantita", "description": "Quantità", "datatype": "singlevaluelist", "required": false, "order": 2, "values": [{"key": "piccola", "name": "Piccola (pochi sacchetti)"}, {"key": "media", "name": "Media (fino a un furgone)"}, {"key": "grande", "name": "Grande (discarica abusiva)"}]}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000037', 'c_f027', 'Verde pubblico: alberi e potature',
  'Segnalazione di alberi pericolanti, potature necessarie, erba alta in parchi e aiuole.',
  'Segnala alberi pericolanti o caduti, rami che invadono la strada o coprono la segnaletica, necessità di potatura o di sfalcio dell''erba in parchi, aiuole e aree verdi comunali.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['ambiente_e_rifiuti', 'lavori_pubblici']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[{"title": "D.Lgs. 18 agosto 2000, n. 267 (Testo unico degli enti locali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2000-08-18;267"}]',
  '00000000-0000-4000-8000-000000000010', 'Responsabile del Servizio Ambiente e Igiene Urbana',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.massafra.ta.it/servizi/segnalazioni/verde-pubblico',
  '[{"title": "Segnalazione online", "url": "https://www.comune.massafra.ta.it/servizi/segnalazioni/verde-pubblico", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-04-15 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['albero', 'potatura', 'rami', 'erba alta', 'parco', 'aiuola']::text[],
  true, 'verde-pubblico', 'Verde pubblico',
  '[
   {"code": "tipo_intervento", "description": "Tipo di problema", "datatype": "singlevaluelist", "required": true, "order": 1, "values": [{"key": "albero_pericolante", "name": "Albero pericolante o caduto"}, {"key": "potatura", "name": "Potatura necessaria"}, {"key": "sfalcio", "name": "Erba alta"}, {"key": "irrigazione", "name": "Impianto di irrigazione guasto"}]},
   {"code": "luogo", "description": "Dove si trova", "datatype": "singlevaluelist", "required": false, "order": 2, "values": [{"key": "parco", "name": "Parco o giardino"}, {"key": "strada", "name": "Strada o marciapiede"}, {"key": "scuola", "name": "Area scolastica"}, {"key": "altro", "name": "Altro"}]},
   {"code": "note", "description": "Descrizione aggiuntiva", "datatype": "text", "required": false, "order": 3, "values": []}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000038', 'c_f027', 'Inquinamento acustico',
  'Segnalazione di rumori molesti da locali, cantieri o impianti.',
  'Segnala rumori molesti e ripetuti provenienti da locali pubblici, cantieri, impianti o attività. La Polizia Locale verifica il rispetto degli orari e dei limiti e, se necessario, chiede all''ARPA Puglia la misurazione fonometrica. Per i disturbi in corso nelle ore notturne chiamare il 112.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['ambiente_e_rifiuti', 'sicurezza_e_polizia_locale']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[{"title": "Legge 26 ottobre 1995, n. 447 (Legge quadro sull''inquinamento acustico)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1995-10-26;447"}]',
  '00000000-0000-4000-8000-000000000011', 'Comandante della Polizia Locale',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.massafra.ta.it/servizi/segnalazioni/rumore',
  '[{"title": "Segnalazione online", "url": "https://www.comune.massafra.ta.it/servizi/segnalazioni/rumore", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2024-06-18 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['rumore', 'musica alta', 'schiamazzi', 'cantiere', 'disturbo']::text[],
  true, 'rumore', 'Ambiente',
  '[
   {"code": "sorgente", "description": "Da dove proviene il rumore", "datatype": "singlevaluelist", "required": true, "order": 1, "values": [{"key": "locale", "name": "Locale pubblico"}, {"key": "cantiere", "name": "Cantiere"}, {"key": "impianto", "name": "Impianto o macchinario"}, {"key": "altro", "name": "Altro"}]},
   {"code": "ultimo_episodio", "description": "Data e ora dell''ultimo episodio", "datatype": "datetime", "required": true, "order": 2, "values": []},
   {"code": "ricorrente", "description": "Il disturbo si ripete?", "datatype": "singlevaluelist", "required": false, "order": 3, "values": [{"key": "si", "name": "Sì, abitualmente"}, {"key": "no", "name": "No, episodio isolato"}]}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000039', 'c_f027', 'Segnaletica stradale',
  'Segnalazione di cartelli mancanti o danneggiati, strisce sbiadite, semafori guasti.',
  'Segnala segnali stradali mancanti, divelti, illeggibili o coperti dalla vegetazione, strisce pedonali sbiadite e semafori guasti. I semafori spenti in incroci pericolosi vanno segnalati anche per telefono alla Polizia Locale.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['mobilita_e_trasporti', 'sicurezza_e_polizia_locale']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[
   {"title": "D.Lgs. 30 aprile 1992, n. 285 (Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1992-04-30;285"},
   {"title": "D.P.R. 16 dicembre 1992, n. 495 (Regolamento di esecuzione del Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.del.presidente.della.repubblica:1992-12-16;495"}]',
  '00000000-0000-4000-8000-000000000011', 'Comandante della Polizia Locale',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.massafra.ta.it/servizi/segnalazioni/segnaletica',
  '[{"title": "Segnalazione online", "url": "https://www.comune.massafra.ta.it/servizi/segnalazioni/segnaletica", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-04-15 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['cartello', 'strisce pedonali', 'semaforo', 'segnale stradale']::text[],
  true, 'segnaletica', 'Strade e viabilità',
  '[
   {"code": "tipo_segnaletica", "description": "Tipo di segnaletica", "datatype": "singlevaluelist", "required": true, "order": 1, "values": [{"key": "verticale", "name": "Cartello"}, {"key": "orizzontale", "name": "Strisce e segnaletica a terra"}, {"key": "semaforo", "name": "Semaforo"}]},
   {"code": "problema", "description": "Problema", "datatype": "multivaluelist", "required": true, "order": 2, "values": [{"key": "mancante", "name": "Mancante"}, {"key": "danneggiata", "name": "Danneggiata"}, {"key": "illeggibile", "name": "Illeggibile o sbiadita"}, {"key": "coperta", "name": "Coperta dalla vegetazione"}]}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000040', 'c_d171', 'Buche e dissesti stradali',
  'Segnalazione di buche, avvallamenti e dissesti su strade e marciapiedi.',
  'Segnala buche, avvallamenti, tombini sollevati o marciapiedi dissestati indicando il punto esatto sulla mappa e, se possibile, allegando una foto. L''ufficio competente valuta la pericolosità e programma l''intervento; i dissesti pericolosi sono messi in sicurezza con priorità.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['lavori_pubblici', 'mobilita_e_trasporti']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[
   {"title": "D.Lgs. 30 aprile 1992, n. 285 (Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1992-04-30;285"},
   {"title": "D.Lgs. 18 agosto 2000, n. 267 (Testo unico degli enti locali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2000-08-18;267"}]',
  '00000000-0000-4000-8000-000000000014', 'Responsabile dell''Area Tecnica',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.crispiano.ta.it/servizi/segnalazioni/strade-buche',
  '[{"title": "Segnalazione online", "url": "https://www.comune.crispiano.ta.it/servizi/segnalazioni/strade-buche", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-05-12 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['buca', 'asfalto', 'marciapiede', 'tombino', 'strada dissestata']::text[],
  true, 'strade-buche', 'Strade e viabilità',
  '[
   {"code": "tipo_dissesto", "description": "Tipo di dissesto", "datatype": "singlevaluelist", "required": true, "order": 1, "values": [{"key": "buca", "name": "Buca"}, {"key": "avvallamento", "name": "Avvallamento"}, {"key": "tombino", "name": "Tombino sollevato o rotto"}, {"key": "marciapiede", "name": "Marciapiede dissestato"}]},
   {"code": "dimensione_cm", "description": "Dimensione approssimativa (cm)", "datatype": "number", "required": false, "order": 2, "values": []},
   {"code": "pericolo", "description": "C''è un pericolo immediato per pedoni o veicoli?", "datatype": "singlevaluelist", "required": true, "order": 3, "values": [{"key": "si", "name": "Sì"}, {"key": "no", "name": "No"}]}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000041', 'c_d171', 'Lampioni guasti',
  'Segnalazione di lampioni spenti, intermittenti o danneggiati.',
  'Segnala i punti luce della pubblica illuminazione spenti, intermittenti, accesi di giorno o danneggiati. Se possibile indica il numero riportato sulla targhetta del palo: aiuta il manutentore a individuarlo subito.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['lavori_pubblici']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 15, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[{"title": "D.Lgs. 18 agosto 2000, n. 267 (Testo unico degli enti locali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2000-08-18;267"}]',
  '00000000-0000-4000-8000-000000000014', 'Responsabile dell''Area Tecnica',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.crispiano.ta.it/servizi/segnalazioni/illuminazione-pubblica',
  '[{"title": "Segnalazione online", "url": "https://www.comune.crispiano.ta.it/servizi/segnalazioni/illuminazione-pubblica", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-05-12 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['lampione', 'luce', 'buio', 'palo', 'illuminazione']::text[],
  true, 'illuminazione-pubblica', 'Illuminazione',
  '[
   {"code": "tipo_guasto", "description": "Tipo di guasto", "datatype": "singlevaluelist", "required": true, "order": 1, "values": [{"key": "spento", "name": "Lampione spento"}, {"key": "intermittente", "name": "Luce intermittente"}, {"key": "acceso_giorno", "name": "Acceso di giorno"}, {"key": "palo_danneggiato", "name": "Palo danneggiato o pericolante"}]},
   {"code": "numero_palo", "description": "Numero sulla targhetta del palo", "datatype": "string", "required": false, "order": 2, "values": []},
   {"code": "numero_lampioni", "description": "Quanti lampioni sono coinvolti", "datatype": "number", "required": false, "order": 3, "values": []}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000042', 'c_m298', 'Buche e dissesti stradali',
  'Segnalazione di buche, avvallamenti e dissesti su strade e marciapiedi.',
  'Segnala buche, avvallamenti, tombini sollevati o marciapiedi dissestati indicando il punto esatto sulla mappa e, se possibile, allegando una foto. L''ufficio competente valuta la pericolosità e programma l''intervento; i dissesti pericolosi sono messi in sicurezza con priorità.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['lavori_pubblici', 'mobilita_e_trasporti']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[
   {"title": "D.Lgs. 30 aprile 1992, n. 285 (Codice della strada)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:1992-04-30;285"},
   {"title": "D.Lgs. 18 agosto 2000, n. 267 (Testo unico degli enti locali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2000-08-18;267"}]',
  '00000000-0000-4000-8000-000000000016', 'Responsabile dell''Area Tecnica',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.statte.ta.it/servizi/segnalazioni/strade-buche',
  '[{"title": "Segnalazione online", "url": "https://www.comune.statte.ta.it/servizi/segnalazioni/strade-buche", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-06-03 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['buca', 'asfalto', 'marciapiede', 'tombino', 'strada dissestata']::text[],
  true, 'strade-buche', 'Strade e viabilità',
  '[
   {"code": "tipo_dissesto", "description": "Tipo di dissesto", "datatype": "singlevaluelist", "required": true, "order": 1, "values": [{"key": "buca", "name": "Buca"}, {"key": "avvallamento", "name": "Avvallamento"}, {"key": "tombino", "name": "Tombino sollevato o rotto"}, {"key": "marciapiede", "name": "Marciapiede dissestato"}]},
   {"code": "dimensione_cm", "description": "Dimensione approssimativa (cm)", "datatype": "number", "required": false, "order": 2, "values": []},
   {"code": "pericolo", "description": "C''è un pericolo immediato per pedoni o veicoli?", "datatype": "singlevaluelist", "required": true, "order": 3, "values": [{"key": "si", "name": "Sì"}, {"key": "no", "name": "No"}]}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000043', 'c_m298', 'Rifiuti abbandonati',
  'Segnalazione di rifiuti abbandonati su strade, campagne e aree pubbliche.',
  'Segnala i rifiuti abbandonati su suolo pubblico, nelle campagne o ai margini delle strade. L''ufficio dispone la rimozione da parte del gestore del servizio e, quando possibile, l''individuazione dei responsabili. Non toccare materiali che potrebbero contenere amianto.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['ambiente_e_rifiuti']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[{"title": "D.Lgs. 3 aprile 2006, n. 152 (Norme in materia ambientale)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2006-04-03;152"}]',
  '00000000-0000-4000-8000-000000000016', 'Responsabile dell''Area Tecnica',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.statte.ta.it/servizi/segnalazioni/rifiuti-abbandonati',
  '[{"title": "Segnalazione online", "url": "https://www.comune.statte.ta.it/servizi/segnalazioni/rifiuti-abbandonati", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-06-03 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['discarica abusiva', 'spazzatura', 'abbandono rifiuti', 'sacchetti', 'decoro']::text[],
  true, 'rifiuti-abbandonati', 'Rifiuti e decoro',
  '[
   {"code": "tipo_rifiuto", "description": "Tipo di rifiuti", "datatype": "multivaluelist", "required": true, "order": 1, "values": [{"key": "sacchetti", "name": "Sacchetti di rifiuti domestici"}, {"key": "ingombranti", "name": "Ingombranti"}, {"key": "raee", "name": "Elettrodomestici (RAEE)"}, {"key": "inerti", "name": "Materiale edile"}, {"key": "pneumatici", "name": "Pneumatici"}, {"key": "amianto", "name": "Possibile amianto"}]},
   {"code": "quantita", "description": "Quantità", "datatype": "singlevaluelist", "required": false, "order": 2, "values": [{"key": "piccola", "name": "Piccola (pochi sacchetti)"}, {"key": "media", "name": "Media (fino a un furgone)"}, {"key": "grande", "name": "Grande (discarica abusiva)"}]}]')
ON CONFLICT (id) DO NOTHING;

INSERT INTO catalogue.services (id, tenant, name, short_description, description, audiences, themes, life_events, channels,
    interactivity_level, required_documents, outcome, cost, payment_methods, legal_deadline_days,
    silence_rule, legal_references, office_id, responsible_role, status_tracking, remedies,
    online_url, forms, status, last_reviewed_at, reviewed_by, keywords,
    reportable, service_code, category_group, attributes)
VALUES ('00000000-0000-4000-9000-000000000044', 'c_m298', 'Verde pubblico: alberi e potature',
  'Segnalazione di alberi pericolanti, potature necessarie, erba alta in parchi e aiuole.',
  'Segnala alberi pericolanti o caduti, rami che invadono la strada o coprono la segnaletica, necessità di potatura o di sfalcio dell''erba in parchi, aiuole e aree verdi comunali.',
  ARRAY['cittadini', 'turisti']::text[], ARRAY['ambiente_e_rifiuti', 'lavori_pubblici']::text[], '{}'::text[],
  ARRAY['web', 'app', 'phone', 'email', 'counter']::text[], 3,
  '[
   "Indirizzo o posizione sulla mappa",
   "Foto (facoltativa)"]',
  'Presa in carico della segnalazione, intervento e comunicazione dell''esito a chi ha segnalato.',
  'gratuito', '', 30, 'Non previsto: la segnalazione non è un''istanza di parte; l''ufficio la prende in carico e comunica l''esito a chi l''ha presentata',
  '[{"title": "D.Lgs. 18 agosto 2000, n. 267 (Testo unico degli enti locali)", "url": "https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:decreto.legislativo:2000-08-18;267"}]',
  '00000000-0000-4000-8000-000000000016', 'Responsabile dell''Area Tecnica',
  'Chi segnala riceve un numero di protocollo e può seguire lo stato della segnalazione online, nell''app del Comune o tramite l''URP.',
  'Se la segnalazione non riceve risposta entro il termine indicato è possibile presentare reclamo all''URP, che sollecita l''ufficio competente e ne tiene traccia nel monitoraggio dei reclami.',
  'https://www.comune.statte.ta.it/servizi/segnalazioni/verde-pubblico',
  '[{"title": "Segnalazione online", "url": "https://www.comune.statte.ta.it/servizi/segnalazioni/verde-pubblico", "format": "online", "version_date": "2025-05-01"}]',
  'active', '2026-06-03 10:00 Europe/Rome', 'Redazione URP',
  ARRAY['albero', 'potatura', 'rami', 'erba alta', 'parco', 'aiuola']::text[],
  true, 'verde-pubblico', 'Verde pubblico',
  '[
   {"code": "tipo_intervento", "description": "Tipo di problema", "datatype": "singlevaluelist", "required": true, "order": 1, "values": [{"key": "albero_pericolante", "name": "Albero pericolante o caduto"}, {"key": "potatura", "name": "Potatura necessaria"}, {"key": "sfalcio", "name": "Erba alta"}, {"key": "irrigazione", "name": "Impianto di irrigazione guasto"}]},
   {"code": "luogo", "description": "Dove si trova", "datatype": "singlevaluelist", "required": false, "order": 2, "values": [{"key": "parco", "name": "Parco o giardino"}, {"key": "strada", "name": "Strada o marciapiede"}, {"key": "scuola", "name": "Area scolastica"}, {"key": "altro", "name": "Altro"}]},
   {"code": "note", "description": "Descrizione aggiuntiva", "datatype": "text", "required": false, "order": 3, "values": []}]')
ON CONFLICT (id) DO NOTHING;
