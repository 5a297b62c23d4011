import { readFileSync, rmSync } from 'node:fs';
import { STATE_FILE } from './tests/state';

export default async function globalTeardown() {
  try {
    const state = JSON.parse(readFileSync(STATE_FILE, 'utf8'));
    if (state.pid) process.kill(state.pid, 'SIGTERM');
    rmSync(state.dataDir, { recursive: true, force: true });
    rmSync(STATE_FILE, { force: true });
  } catch {
    /* nothing to clean */
  }
}
