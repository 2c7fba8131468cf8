/**
 * Workspace boundaries from package.json files and real imports (the style
 * guide's §1 and §6; Nx's rule lives in an ESLint plugin we do not run). Read
 * with the TypeScript parser, so comments and strings never count: no lib
 * depends on a service nor a service on another; a `type:pure` package never
 * reaches @nats-io/*, typeorm, pg, minio or imapflow, itself or through its
 * workspace dependencies; only libs/config and libs/telemetry pick variables
 * out of process.env (handing the whole environment on is allowed); no
 * relative import reaches into another package. Exempt: test files, test/ and
 * fixtures/ folders, libs/testing (env rule), scripts/ and bench/.
 * Run: `node --import tsx scripts/check-boundaries.ts`.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

export type RuleId = 'lib-depends-on-service' | 'service-depends-on-service' | 'pure-imports-io' | 'env-outside-config' | 'cross-package-path';
export interface Violation { rule: RuleId; file: string; message: string }
/** `dir` is relative to the root with `/`; `declared` names every package.json dependency of any kind. */
export interface WorkspacePackage { name: string; dir: string; tags: string[]; declared: string[] }
/** Packages a `type:pure` package may not reach (prefix match for scopes). */
export const IO_PACKAGES = ['@nats-io/', 'typeorm', 'pg', 'minio', 'imapflow'];
/** Packages whose source may read variables from process.env. */
export const ENV_READERS = ['libs/config', 'libs/telemetry'];
const ENV_RULE_EXEMPT = ['libs/testing'];
const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;
const TEST_FILE = /\.(?:test|spec)\.[cm]?[tj]sx?$/;
const SKIPPED_DIRS = new Set(['node_modules', 'test', 'tests', '__tests__', 'fixtures', 'dist', 'coverage']);
const BUILTINS = new Set(builtinModules);
const toPosix = (p: string) => p.split(sep).join('/');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** The workspace packages named by the root package.json `workspaces` (`dir/*` or exact folders). */
export function readWorkspace(root: string): WorkspacePackage[] {
  const patterns = (readJson(join(root, 'package.json')).workspaces as string[] | undefined) ?? [];
  const dirs = patterns.flatMap((p) => {
    if (!p.endsWith('/*')) return [p];
    const parent = p.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => `${parent}/${e.name}`);
  });
  return dirs.filter((d) => existsSync(join(root, d, 'package.json'))).map((dir) => {
    const pkg = readJson(join(root, dir, 'package.json'));
    const kinds = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
    const declared = kinds.flatMap((k) => Object.keys((pkg[k] as Record<string, string> | undefined) ?? {}));
    const tags = ((pkg.nx as { tags?: string[] } | undefined)?.tags ?? []).slice();
    return { name: String(pkg.name), dir, tags, declared };
  });
}

/** The package a bare specifier names (`pg/lib/x` → `pg`, `@a/b/c` → `@a/b`); undefined for builtins. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0])) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const isService = (p: WorkspacePackage) => p.tags.includes('type:service');
const isIo = (name: string) => IO_PACKAGES.some((io) => (io.endsWith('/') ? name.startsWith(io) : name === io));

function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      if (e.isDirectory() && !SKIPPED_DIRS.has(e.name)) walk(join(abs, e.name));
      else if (e.isFile() && SOURCE.test(e.name) && !TEST_FILE.test(e.name) && !e.name.endsWith('.d.ts')) out.push(join(abs, e.name));
    }
  };
  if (existsSync(join(root, dir))) walk(join(root, dir));
  return out;
}

interface FileFacts { imports: string[]; envReads: number[] }

/** Module specifiers and the lines that pick variables out of process.env. */
export function scanSource(fileName: string, text: string): FileFacts {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const facts: FileFacts = { imports: [], envReads: [] };
  const visit = (node: ts.Node): void => {
    const spec = moduleSpecifier(node);
    if (spec !== undefined) facts.imports.push(spec);
    if (isProcessEnv(node) && !passesWholeEnv(node)) facts.envReads.push(sf.getLineAndCharacterOfPosition(node.getStart()).line + 1);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return facts;
}

function moduleSpecifier(node: ts.Node): string | undefined {
  if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
    return node.moduleSpecifier.text;
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    const e = node.moduleReference.expression;
    return ts.isStringLiteral(e) ? e.text : undefined;
  }
  if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
    const dynamic = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const require = ts.isIdentifier(node.expression) && node.expression.text === 'require';
    if (dynamic || require) return node.arguments[0].text;
  }
  return undefined;
}

function isProcessEnv(node: ts.Node): node is ts.PropertyAccessExpression {
  if (!ts.isPropertyAccessExpression(node) || node.name.text !== 'env') return false;
  const target = node.expression;
  if (ts.isIdentifier(target)) return target.text === 'process';
  return ts.isPropertyAccessExpression(target) && target.name.text === 'process' && ts.isIdentifier(target.expression) && target.expression.text === 'globalThis';
}

/** `f(process.env)`, `f(c ? process.env : x)`, `{ ...process.env }` pass it on; reads, destructuring, aliases do not. */
function passesWholeEnv(node: ts.Node): boolean {
  let value: ts.Node = node;
  while (ts.isParenthesizedExpression(value.parent) || ts.isAsExpression(value.parent) || (ts.isConditionalExpression(value.parent) && value !== value.parent.condition)) {
    value = value.parent;
  }
  const parent = value.parent;
  if (ts.isCallExpression(parent) || ts.isNewExpression(parent)) return parent.arguments?.includes(value as ts.Expression) ?? false;
  return ts.isSpreadAssignment(parent) || ts.isSpreadElement(parent);
}

/** Every boundary violation in the workspace at `root`. */
export function checkBoundaries(root: string): Violation[] {
  const packages = readWorkspace(root);
  const byName = new Map(packages.map((p) => [p.name, p]));
  const violations: Violation[] = [];
  for (const pkg of packages) {
    const manifest = `${pkg.dir}/package.json`;
    for (const dep of pkg.declared) violations.push(...dependencyViolations(pkg, dep, manifest, byName));
    violations.push(...transitiveIo(pkg, byName, manifest));
    for (const abs of sourceFiles(root, pkg.dir)) violations.push(...fileViolations(root, pkg, abs, { packages, byName }));
  }
  return violations;
}

function dependencyViolations(pkg: WorkspacePackage, dep: string, file: string, byName: Map<string, WorkspacePackage>): Violation[] {
  const target = byName.get(dep);
  // An app (the CLI) is a composition root like a service's main.ts: it may
  // call a service's public exports (e.g. the classifier's classifyFile).
  if (target && target !== pkg && isService(target) && !pkg.tags.includes('type:app')) {
    const rule: RuleId = isService(pkg) ? 'service-depends-on-service' : 'lib-depends-on-service';
    return [{ rule, file, message: `${pkg.name} depends on the service ${dep}; shared code belongs in libs/` }];
  }
  if (pkg.tags.includes('type:pure') && isIo(dep)) {
    return [{ rule: 'pure-imports-io', file, message: `${pkg.name} is type:pure but uses ${dep}` }];
  }
  return [];
}

/** A pure package must not reach I/O through the workspace packages it depends on. */
function transitiveIo(pkg: WorkspacePackage, byName: Map<string, WorkspacePackage>, file: string): Violation[] {
  if (!pkg.tags.includes('type:pure')) return [];
  const seen = new Set<string>([pkg.name]);
  const queue = pkg.declared.filter((d) => byName.has(d));
  const found: Violation[] = [];
  while (queue.length > 0) {
    const via = byName.get(queue.shift() as string) as WorkspacePackage;
    if (seen.has(via.name)) continue;
    seen.add(via.name);
    for (const d of via.declared) {
      if (isIo(d)) found.push({ rule: 'pure-imports-io', file, message: `${pkg.name} is type:pure but reaches ${d} through ${via.name}` });
      else if (byName.has(d)) queue.push(d);
    }
  }
  return found;
}

interface Index { packages: WorkspacePackage[]; byName: Map<string, WorkspacePackage> }

function fileViolations(root: string, pkg: WorkspacePackage, abs: string, index: Index): Violation[] {
  const file = toPosix(relative(root, abs));
  const facts = scanSource(abs, readFileSync(abs, 'utf8'));
  const out: Violation[] = [];
  for (const spec of facts.imports) {
    if (spec.startsWith('.')) {
      const target = toPosix(relative(root, resolve(dirname(abs), spec)));
      const owner = index.packages.find((p) => target === p.dir || target.startsWith(`${p.dir}/`));
      if (owner && owner !== pkg) out.push({ rule: 'cross-package-path', file, message: `imports ${spec} from ${owner.name} by path; import it by package name` });
      continue;
    }
    const name = packageOf(spec);
    if (name) out.push(...dependencyViolations(pkg, name, file, index.byName));
  }
  const mayReadEnv = [...ENV_READERS, ...ENV_RULE_EXEMPT].some((d) => pkg.dir === d);
  if (!mayReadEnv) {
    for (const line of new Set(facts.envReads)) {
      out.push({ rule: 'env-outside-config', file: `${file}:${line}`, message: 'reads process.env; add the setting to a libs/config schema and pass the config down' });
    }
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
  const found = checkBoundaries(root);
  for (const v of found) console.error(`${v.file}: [${v.rule}] ${v.message}`);
  console.log(found.length === 0 ? 'workspace boundaries: ok' : `workspace boundaries: ${found.length} violation(s)`);
  process.exit(found.length === 0 ? 0 : 1);
}
