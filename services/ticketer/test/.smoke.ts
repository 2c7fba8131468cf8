import { spawn } from 'node:child_process';
import { createTestEnv, freePort } from '@postroom/testing';
console.log("start", process.version);
const env = await createTestEnv();
console.log("env", env.namespace);
const key = Buffer.alloc(32, 3).toString('base64');
try {
  for (const name of ['ticketer', 'sender', 'attachment']) {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
      env: { ...process.env, NATS_NAMESPACE: env.namespace, DATABASE_URL: env.databaseUrl, HEALTH_PORT: String(port), HEALTH_HOST: '127.0.0.1', ENCRYPTION_KEY: key },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let ready = 0;
    for (let i = 0; i < 100 && !ready; i++) {
      await new Promise((r) => setTimeout(r, 200));
      ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => (r.ok ? 1 : 0), () => 0);
    }
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', r));
    console.log(name, 'ready', ready, 'exit', code, out.slice(0, 600));
  }
} finally {
  await env.cleanup();
}
