// Copies what `npm ci` reads (root package.json, package-lock.json and every
// workspace's package.json) into OUT, so the image's dependency layer is
// rebuilt only when a manifest changes, not on every source edit.
//
// The services run TypeScript directly (`node --import tsx`), so tsx is a
// runtime dependency of the image even though the workspace lists it under
// devDependencies. It is moved to dependencies in the copy; `npm ci` checks
// only that the lockfile's versions satisfy package.json, which still holds,
// and then installs tsx (and esbuild) with `--omit=dev`.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RUNTIME_TOOLS = ['tsx'];
const [src = '.', out = '/out'] = process.argv.slice(2);

const root = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
for (const tool of RUNTIME_TOOLS) {
  const version = root.devDependencies?.[tool];
  if (!version) continue;
  root.dependencies = { ...root.dependencies, [tool]: version };
  delete root.devDependencies[tool];
}
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'package.json'), `${JSON.stringify(root, null, 2)}\n`);
cpSync(join(src, 'package-lock.json'), join(out, 'package-lock.json'));

for (const pattern of root.workspaces ?? []) {
  const dirs = pattern.endsWith('/*')
    ? readdirSync(join(src, pattern.slice(0, -2)), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => join(pattern.slice(0, -2), e.name))
    : [pattern];
  for (const dir of dirs) {
    if (!existsSync(join(src, dir, 'package.json'))) continue;
    mkdirSync(join(out, dir), { recursive: true });
    cpSync(join(src, dir, 'package.json'), join(out, dir, 'package.json'));
  }
}
