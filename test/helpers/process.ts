import type { ChildProcess } from 'node:child_process';

/** SIGTERM (a graceful stop) and wait for `exit`; SIGKILL if it has not gone after `killAfterMs`. */
export async function stopProcess(child: ChildProcess, exit: Promise<unknown>, killAfterMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  await exit;
  clearTimeout(timer);
}
