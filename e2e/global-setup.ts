import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { STATE_FILE } from './tests/state';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      if (address && typeof address === 'object') {
        const port = address.port;
        srv.close(() => resolve(port));
      } else {
        reject(new Error('no port'));
      }
    });
  });
}

// Starts the real wxportal binary on a fresh data dir, as a new user would, and reads the
// initial admin password it prints once on first start.
export default async function globalSetup() {
  const bin = process.env.WXPORTAL_BIN;
  if (!bin) throw new Error('WXPORTAL_BIN is not set (run through `cargo xtask test`)');
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'wxportal-e2e-'));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['serve', '--sandbox'], {
    env: {
      ...process.env,
      WXPORTAL_BIND: `127.0.0.1:${port}`,
      WXPORTAL_DATA_DIR: dataDir,
      WXPORTAL_PUBLIC_URL: url,
      RUST_LOG: process.env.RUST_LOG ?? 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const password = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not print an initial password and sandbox token in 60 s:\n${output}`)),
      60_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/Initial admin password: (\S+)/);
      // The sandbox control token is printed right after the password: wait for both.
      if (m && /Sandbox control token: \S+/.test(output)) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (process.env.WXPORTAL_E2E_VERBOSE) process.stderr.write(chunk);
    });
    child.on('exit', (code) => reject(new Error(`server exited early (${code}):\n${output}`)));
  });
  // Wait until it answers.
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  process.env.WXPORTAL_E2E_URL = url;
  // The sandbox control API (/sandbox/_sim/…) wants the per-start token the server printed;
  // playwright.config.ts sends it with every request of the tests.
  const token = output.match(/Sandbox control token: (\S+)/);
  if (!token) throw new Error(`server did not print a sandbox control token:\n${output}`);
  process.env.WXPORTAL_SANDBOX_CONTROL_TOKEN = token[1];
  mkdirSync(dirname(STATE_FILE), { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify({ url, initialPassword: password, pid: child.pid, dataDir }));
  child.unref();
}
