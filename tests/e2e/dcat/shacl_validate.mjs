// Validates an RDF graph (N-Triples or Turtle) against SHACL shapes with
// rdf-validate-shacl, from tools/npm. Usage:
//   node shacl_validate.mjs TOOLS_NPM_DIR SHAPES.ttl DATA.ttl
// Prints "conforms" or each violation; exit 0 when it conforms, 1 if not.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [tools, shapesFile, dataFile] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(join(tools, 'node_modules', p)).href);
const { default: SHACLValidator } = await load('rdf-validate-shacl/index.js');
const { default: env } = await load('rdf-validate-shacl/src/defaultEnv.js');
const N3 = await load('n3/lib/index.js');

const parse = (file) => new N3.Parser().parse(readFileSync(file, 'utf8'));
const validator = new SHACLValidator(parse(shapesFile), { factory: env });
const report = await validator.validate(env.dataset(parse(dataFile)));
if (report.conforms) {
  console.log('conforms');
  process.exit(0);
}
for (const r of report.results) {
  console.log(`violation: ${r.focusNode?.value} ${r.path?.value ?? ''} ${r.message.map((m) => m.value).join('; ')}`);
}
process.exit(1);
