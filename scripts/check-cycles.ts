// No import circles inside any package: a circle means a name sits in the wrong module. Type-only
// imports count too (they tie modules together for a reader all the same). `npm run lint` runs it.
import madge from 'madge';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const PACKAGES = [
  'shared-types',
  'logging',
  'payment-gateways',
  'firmware-bridge',
  'cloud-sync',
  'cloud-service',
  'hub-app',
];

let circles = 0;
for (const pkg of PACKAGES) {
  const result = await madge(resolve(ROOT, pkg, 'src'), {
    fileExtensions: ['ts', 'tsx'],
    tsConfig: resolve(ROOT, 'tsconfig.base.json'),
    detectiveOptions: { ts: { skipTypeImports: false } },
  });
  for (const circle of result.circular()) {
    circles += 1;
    console.error(`import circle in ${pkg}: ${[...circle, circle[0]].join(' -> ')}`);
  }
}
if (circles > 0) process.exit(1);
console.log(`no import circles in ${PACKAGES.join(', ')}`);
