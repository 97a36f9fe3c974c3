// Which Pythons can run the anchors' Python scripts (py/*.py) live: plain asyncio on `--python`
// (default python3), and uvloop on the first interpreter that imports it (the anchors'
// run_all.sh looks in the same places: uvloop here comes from Debian's python3-uvloop).
import { spawnSync } from 'node:child_process';

function probe(python, code) {
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Returns `{ asyncio, uvloop, asyncioMissing, uvloopMissing }`: `asyncio` and `uvloop` are
 * `{ python, label, version }` (label like the recorded columns': `asyncio py3.11.7`,
 * `uvloop 0.17.0 py3.11.2`; version: Python's; uvloop also has `uvloopVersion`) or null, with
 * the reason in `...Missing`.
 */
export function detectPythons(opts) {
  if (opts.noPython === true) {
    const why = 'live Python runs turned off (--no-python)';
    return { asyncio: null, uvloop: null, asyncioMissing: why, uvloopMissing: why };
  }
  const python = typeof opts.python === 'string' ? opts.python : 'python3';
  const version = probe(python, 'import platform; print(platform.python_version())');
  const asyncio = version ? { python, label: `asyncio py${version}`, version } : null;
  const candidates = [...new Set([python, 'python3', '/usr/bin/python3'])];
  let uvloop = null;
  for (const candidate of candidates) {
    const out = probe(
      candidate,
      'import platform, uvloop; print(platform.python_version(), uvloop.__version__)',
    );
    if (out) {
      const [pv, uv] = out.split(' ');
      uvloop = { python: candidate, label: `uvloop ${uv} py${pv}`, version: pv, uvloopVersion: uv };
      break;
    }
  }
  return {
    asyncio,
    uvloop,
    asyncioMissing: asyncio ? null : `${python} cannot be run`,
    uvloopMissing: uvloop
      ? null
      : `uvloop is not installed here (none of ${candidates.join(', ')} imports it; install Debian's python3-uvloop)`,
  };
}
