// Child processes for the e2e test: run a command to completion with a time limit and a log file, and stop a whole
// process group. code-server forks the extension host and the language server; killing only its pid would leave
// them running, so it is started detached (its own group) and the group is killed.
import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';

export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr go here, so a failure can show what the tool said. */
  logFile: string;
  timeoutMs: number;
}

/** Runs a command with stdin closed (a tool that prompts fails instead of hanging); rejects with the log's tail. */
export function runLogged(command: string, args: string[], options: RunOptions): Promise<void> {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', fd, fd], detached: true });
  closeSync(fd);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child.pid, 'SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took longer than ${options.timeoutMs / 1000} s and was stopped. Its log (${options.logFile}) ends with:\n${tail(options.logFile)}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`Could not start ${command}: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit code ${code}`}). Its log (${options.logFile}) ends with:\n${tail(options.logFile)}`));
    });
  });
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Signals every process in the group led by `pid`; quiet when the group is already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left to stop.
  }
}

/** SIGTERM, then SIGKILL for whatever is left after `graceMs`. */
export async function stopGroup(pid: number | undefined, graceMs = 5000): Promise<void> {
  if (pid === undefined || !groupAlive(pid)) return;
  killGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pid)) killGroup(pid, 'SIGKILL');
}

/** Pids in process group `pgid` whose command line contains `text` (read from /proc: Linux only, like the test). */
export function findInGroup(pgid: number, text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 5 of /proc/PID/stat is the process group; the command name before it may contain spaces, so split
      // after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (group !== pgid) continue;
      const commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (commandLine.includes(text)) found.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}
