// Samples the memory of a process and all its descendants (the CLI's Node and the Chromium it starts)
// from /proc, every `intervalMs`. Linux only; elsewhere it reports null figures and says why.
import fs from 'node:fs';

const PAGE_BYTES = 4096;

/** Pids of `rootPid` and every descendant, from /proc/<pid>/stat's ppid field. */
function listTree(rootPid) {
  const children = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const tree = [];
  const queue = [rootPid];
  while (queue.length) {
    const pid = queue.pop();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident bytes (sum of RSS, counts shared pages once per process) and PSS bytes (shared pages split). */
function measureTree(rootPid) {
  let rssBytes = 0;
  let pssBytes = 0;
  let processes = 0;
  for (const pid of listTree(rootPid)) {
    try {
      const statm = fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ');
      rssBytes += Number(statm[1]) * PAGE_BYTES;
      const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const pss = /^Pss:\s+(\d+) kB/m.exec(rollup);
      if (pss) pssBytes += Number(pss[1]) * 1024;
      processes++;
    } catch {
      // exited meanwhile
    }
  }
  return { rssBytes, pssBytes, processes };
}

/**
 * Starts sampling the tree under `rootPid`; `stop()` returns the peaks. PSS is the honest figure for
 * "Node and Chromium together" (Chromium's processes share most of their pages); RSS summed is an upper bound.
 */
export function sampleProcessTree(rootPid, intervalMs = 100) {
  const supported = fs.existsSync('/proc/self/statm');
  const peak = { rssBytes: 0, pssBytes: 0, processes: 0, samples: 0 };
  const tick = () => {
    const now = measureTree(rootPid);
    if (now.processes === 0) return;
    peak.samples++;
    peak.rssBytes = Math.max(peak.rssBytes, now.rssBytes);
    peak.pssBytes = Math.max(peak.pssBytes, now.pssBytes);
    peak.processes = Math.max(peak.processes, now.processes);
  };
  const timer = supported ? setInterval(tick, intervalMs) : null;
  if (supported) tick();
  return {
    stop() {
      if (timer) clearInterval(timer);
      return supported
        ? peak
        : { rssBytes: null, pssBytes: null, processes: null, samples: 0, note: 'no /proc' };
    },
  };
}

/**
 * CPU time (user + system, milliseconds) used so far by `rootPid` and its live descendants, from
 * /proc/<pid>/stat (plus what their exited children were reaped with). Unlike wall time it barely moves
 * with the load other work puts on the machine, so A/B figures compare on a busy machine.
 */
export function treeCpuMs(rootPid = process.pid) {
  const ticksPerSecond = 100; // USER_HZ on Linux
  let ticks = 0;
  for (const pid of listTree(rootPid)) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14–17 of stat, 11–14 after the command name.
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
    } catch {
      // exited meanwhile
    }
  }
  return (ticks * 1000) / ticksPerSecond;
}
