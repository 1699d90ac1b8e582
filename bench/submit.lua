-- wrk script of `./sportello bench`'s submit case: every request is a new
-- submission to Massafra of the same suggestion (no category, so no category
-- lookup in the catalogue; no reporter). bench/run.sh inserts the same row
-- with pgbench for comparison.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"kind":"REQUEST_KIND_SUGGESTION","subject":"Biblioteca aperta il sabato",' ..
  '"description":"Suggerisco di aprire la biblioteca comunale anche il sabato pomeriggio."}'
