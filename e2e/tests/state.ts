import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const STATE_FILE = join(__dirname, '..', '.state', 'e2e-state.json');

export interface E2eState {
  url: string;
  initialPassword: string;
  pid: number;
  dataDir: string;
}

export function state(): E2eState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8'));
}

/** The admin password after the first-login test changed it. */
export const ADMIN_PASSWORD = 'Portal-admin-2026';
export const ADMIN_STORAGE = join(__dirname, '..', '.state', 'admin-storage.json');
