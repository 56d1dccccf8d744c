// Runs or compiles one WebAssembly module in node (V8) for bench/run.py. The V8 tier is
// chosen by node's flags, which run.py passes (see ENGINES there); this script only reports
// which tier the code really got, so a flag that stopped working is caught.
//
//   node [flags] node_runner.mjs run [--timing FILE] WASM [ARGS...]
//     Runs a Sightglass program as Sightglass does: WASI preview1 (node:wasi) with the
//     current directory preopened as ".", argv = [basename of WASM, ARGS...], no
//     environment, and the "bench" imports timed with process.hrtime. Exit status = the
//     guest's; a trap prints "wasm trap: MESSAGE" on stderr and exits 134. --timing writes
//     one JSON line {"bench_ns", "pairs", "tier"} at the end.
//
//   node [flags] node_runner.mjs compile WASM
//     Times `new WebAssembly.Module(bytes)` (synchronous compilation; with
//     --no-wasm-lazy-compilation every function is compiled inside it) and prints one JSON
//     line {"bytes", "wall_ns", "cpu_ns", "tier"}. cpu_ns is this process's user+system
//     time over the same interval: close to wall_ns when V8 compiled on one thread only.
//
// "tier" is "liftoff", "turbofan" or "unknown" for the module's first exported function (or
// _start), read with V8's %IsLiftoffFunction/%IsTurboFanFunction, which need
// --allow-natives-syntax; without that flag it is "unknown".
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';

function tierOf(fn) {
  if (typeof fn !== 'function') return 'unknown';
  try {
    const probe = new Function('f', 'return [%IsLiftoffFunction(f), %IsTurboFanFunction(f)]');
    const [liftoff, turbofan] = probe(fn);
    return liftoff ? 'liftoff' : turbofan ? 'turbofan' : 'unknown';
  } catch {
    return 'unknown'; // no --allow-natives-syntax: the % syntax does not parse
  }
}

function firstFunction(exports) {
  if (typeof exports._start === 'function') return exports._start;
  return Object.values(exports).find((v) => typeof v === 'function');
}

function usage() {
  process.stderr.write('usage: node_runner.mjs run [--timing FILE] WASM [ARGS...]\n' +
                       '       node_runner.mjs compile WASM\n');
  process.exit(2);
}

async function runProgram(argv) {
  let timing = null;
  while (argv.length && argv[0].startsWith('--')) {
    if (argv[0] === '--timing' && argv.length > 1) {
      timing = argv[1];
      argv = argv.slice(2);
    } else {
      usage();
    }
  }
  if (!argv.length) usage();
  const wasmPath = argv[0];
  const { WASI } = await import('node:wasi');
  const wasi = new WASI({
    version: 'preview1',
    args: [path.basename(wasmPath), ...argv.slice(1)],
    env: {},
    preopens: { '.': '.' },
    returnOnExit: true,
  });
  // Keep the WASI object reachable until the end: node 20 may otherwise collect it while
  // the guest still runs (a GC during a large memory.grow), and uvwasi then aborts.
  globalThis.keepAlive = wasi;
  let started = null;
  let totalNs = 0n;
  let pairs = 0;
  const bench = {
    start() { started = process.hrtime.bigint(); },
    end() {
      const t = process.hrtime.bigint();
      if (started !== null) {
        totalNs += t - started;
        pairs++;
        started = null;
      }
    },
  };
  const module = new WebAssembly.Module(fs.readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(module, {
    bench,
    wasi_snapshot_preview1: wasi.wasiImport,
  });
  let code = 0;
  try {
    code = wasi.start(instance);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    process.stderr.write(`wasm trap: ${e.message}\n`);
    code = 134;
  }
  if (timing) {
    const tier = tierOf(firstFunction(instance.exports));
    fs.writeFileSync(timing, JSON.stringify({ bench_ns: Number(totalNs), pairs, tier }) + '\n');
  }
  process.exitCode = code;
}

function compileModule(argv) {
  if (argv.length !== 1) usage();
  const bytes = fs.readFileSync(argv[0]);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const module = new WebAssembly.Module(bytes);
  const t1 = process.hrtime.bigint();
  const cpu = process.cpuUsage(cpu0);
  // Instantiating (to ask for the tier) happens after the timed part. A module whose imports
  // cannot be stubbed simply reports "unknown".
  let tier = 'unknown';
  try {
    const imports = {};
    for (const imp of WebAssembly.Module.imports(module)) {
      imports[imp.module] ??= {};
      if (imp.kind === 'function') imports[imp.module][imp.name] = () => 0;
    }
    tier = tierOf(firstFunction(new WebAssembly.Instance(module, imports).exports));
  } catch {
    tier = 'unknown';
  }
  process.stdout.write(JSON.stringify({
    bytes: bytes.length,
    wall_ns: Number(t1 - t0),
    cpu_ns: (cpu.user + cpu.system) * 1000,
    tier,
  }) + '\n');
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'run') await runProgram(rest);
else if (mode === 'compile') compileModule(rest);
else usage();
