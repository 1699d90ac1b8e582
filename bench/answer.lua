-- wrk script of `./sportello bench`'s answer case: every request is a new
-- anonymous star rating of Massafra's CIE page (4 stars, no reason, no text;
-- no submission id, so no de-duplication). bench/run.sh inserts the same
-- response row with pgbench for comparison.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"answers":[{"question":"rating","value":4}]}'
