// A second feed reader for the feeds' tests: npm's feedparser (sax based)
// reads a feed from standard input and prints what it understood as
// JSON: {"type", "title", "link", "language", "items": [{"guid", "title",
// "description", "date", "link"}]}, or {"error": "..."} and exit status 1.
// Run from tests/dispatch/feed_checks.py with NODE_PATH=tools/npm/node_modules.
'use strict';
const FeedParser = require('feedparser');

// Not strict: in strict mode sax keeps the case of names and feedparser no
// longer finds RSS's pubDate; well-formedness is xmllint's part of the tests.
const parser = new FeedParser({ strict: false, normalize: true, addmeta: false });
const items = [];
let meta = null;
let failed = false;

parser.on('error', (err) => {
  if (failed) return;
  failed = true;
  process.stdout.write(JSON.stringify({ error: String(err && err.message ? err.message : err) }) + '\n');
  process.exitCode = 1;
});
parser.on('meta', (m) => { meta = m; });
parser.on('readable', function () {
  let item;
  while ((item = this.read())) {
    items.push({
      guid: item.guid,
      title: item.title,
      description: item.description,
      date: item.date ? item.date.toISOString() : null,
      link: item.link,
    });
  }
});
parser.on('end', () => {
  if (failed) return;
  process.stdout.write(JSON.stringify({
    type: meta && meta['#type'],
    title: meta && meta.title,
    link: meta && meta.link,
    xmlurl: meta && meta.xmlurl,
    language: meta && meta.language,
    items,
  }) + '\n');
});
process.stdin.pipe(parser);
