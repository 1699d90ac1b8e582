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
