/** vitest's global setup for the end-to-end tests: the system packages they drive, installed or named. */
import { ensureSystemPackages } from './system-packages.ts';

export default function setup(): void {
  ensureSystemPackages();
}
