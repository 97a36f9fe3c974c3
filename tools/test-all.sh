#!/usr/bin/env bash
# Runs every check of the repository, continuing after failures so that each result is
# reported, and prints one line "N passed, N failed, N skipped" LAST. Exits 1 if anything
# failed. `npm test` runs this script; `.ci/run` runs `npm ci` and then `npm test`.
#
# Counted: jest tests of every package (packages/*/jest-results.json), node --test tests of
# tools/test/, and each other check (prettier, layers, name map, bench smoke, examples) as one
# test.
set -uo pipefail
cd "$(dirname "$0")/.."
export CI=true NX_DAEMON=false NX_NO_CLOUD=true

passed=0
failed=0
skipped=0
failures=()

# check NAME CMD...: runs one non-test check and counts it as 1 passed or 1 failed.
check() {
  local name=$1
  shift
  echo
  echo "=== $name: $*"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    failures+=("$name")
  fi
}

check "prettier" npx --no-install prettier --check .
check "layers" node tools/check-layers.mjs
check "name map" node tools/name-map.mjs --check

# node --test: spec output for people, a TAP copy for the counts.
echo
echo "=== node --test tools/test/"
tap=$(mktemp)
shopt -s nullglob
tool_tests=(tools/test/*.test.mjs)
shopt -u nullglob
if ((${#tool_tests[@]} > 0)); then
  node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" "${tool_tests[@]}"
  node_rc=$?
  node_pass=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
  node_fail=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
  node_cancelled=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
  node_skip=$(sed -n 's/^# \(skipped\|todo\) \([0-9]*\)$/\2/p' "$tap" | awk '{s += $1} END {print s + 0}')
  if [[ -z "$node_pass" || -z "$node_fail" ]]; then
    echo "node --test printed no summary (exit code $node_rc): counted as 1 failed"
    failed=$((failed + 1))
    failures+=("node --test")
  else
    passed=$((passed + node_pass))
    failed=$((failed + node_fail + ${node_cancelled:-0}))
    skipped=$((skipped + node_skip))
    if ((node_fail + ${node_cancelled:-0} > 0)); then failures+=("node --test"); fi
  fi
fi
rm -f "$tap"

# nx: build, typecheck and test every package. Jest results are counted one by one. A failed
# nx run with no failing jest result (a build or typecheck error) counts as 1 failed, so the
# summary never says "0 failed" when the script exits 1.
echo
echo "=== nx run-many -t build typecheck test"
rm -f packages/*/jest-results.json
# A jest that never exits (an open handle after its tests finished) would hang CI forever: nx
# runs in its own process group, which a watchdog ends after TEST_ALL_NX_TIMEOUT seconds.
# Jest writes jest-results.json before it hangs, so the counts below still see its results.
nx_limit=${TEST_ALL_NX_TIMEOUT:-600}
setsid npx --no-install nx run-many -t build typecheck test --outputStyle=static &
nx_pid=$!
(
  sleep "$nx_limit" &
  trap 'kill $! 2>/dev/null; exit 0' TERM
  wait $!
  echo "test-all: nx run-many still running after ${nx_limit} s (a jest that does not exit?): stopping it" >&2
  kill -TERM -- -"$nx_pid" 2>/dev/null
  sleep 10
  kill -KILL -- -"$nx_pid" 2>/dev/null
) &
watchdog=$!
nx_rc=0
wait "$nx_pid" || nx_rc=$?
kill -TERM "$watchdog" 2>/dev/null
wait "$watchdog" 2>/dev/null

# The failing jest tests by name, printed again at the end where CI logs are read.
jest_failures=$(mktemp)
read -r jest_pass jest_fail jest_skip < <(
  JEST_FAILURES="$jest_failures" node -e '
    const fs = require("fs");
    const named = [];
    const plain = (text) => String(text ?? "").replace(/\x1b\[[0-9;]*m/g, "");
    let p = 0, f = 0, s = 0;
    for (const d of fs.readdirSync("packages").sort()) {
      const dir = `packages/${d}`;
      if (!fs.existsSync(`${dir}/package.json`)) continue;
      if (!JSON.parse(fs.readFileSync(`${dir}/package.json`, "utf8")).scripts?.test) continue;
      const file = `${dir}/jest-results.json`;
      if (!fs.existsSync(file)) {
        console.error(`${dir}: no jest-results.json (jest did not run or crashed): counted as 1 failed`);
        f++;
        continue;
      }
      const r = JSON.parse(fs.readFileSync(file, "utf8"));
      p += r.numPassedTests;
      f += r.numFailedTests + r.numRuntimeErrorTestSuites;
      s += r.numPendingTests + r.numTodoTests;
      for (const suite of r.testResults) {
        const file = suite.name.slice(suite.name.indexOf(dir));
        const failed = suite.assertionResults.filter((a) => a.status === "failed");
        for (const a of failed) {
          const why = plain(a.failureMessages[0]).split("\n")[0];
          named.push(`  ${file}: ${a.fullName}\n      ${why.slice(0, 300)}`);
        }
        if (failed.length === 0 && suite.status === "failed") {
          named.push(`  ${file}: ${plain(suite.message).split("\n").find((l) => l.trim()) ?? ""}`);
        }
      }
    }
    fs.writeFileSync(process.env.JEST_FAILURES, named.join("\n"));
    console.log(`${p} ${f} ${s}`);
  '
)
passed=$((passed + ${jest_pass:-0}))
failed=$((failed + ${jest_fail:-1}))
skipped=$((skipped + ${jest_skip:-0}))
if ((${jest_fail:-1} > 0)); then
  failures+=("jest")
elif ((nx_rc != 0)); then
  failed=$((failed + 1))
  failures+=("nx build/typecheck")
fi

if [[ -f tools/bench/run.mjs ]]; then
  check "bench smoke" node tools/bench/run.mjs --smoke
fi

# The examples (built by nx above) must run to completion: the demo and the README examples.
check "demo" node examples/dist/demo.js
check "README example" node examples/dist/readme-example.js
check "transports README example" node examples/dist/transports-readme.js
check "streams README example" node examples/dist/streams-readme.js
check "examples tests" node --test examples/test/*.test.mjs
# The guides' examples (docs/*.md excerpt these files) must run too.
for ex in getting-started cancellation sync-locks sync-signals queue-workers \
  transports-flow-control transports-datagram transports-subprocess transports-tls; do
  check "example $ex" node "examples/dist/$ex.js"
done

# The API reference builds with every public name documented; TSDoc examples type-check.
check "API reference" node tools/docs/build-api.mjs --check
check "TSDoc examples" node tools/docs/check-tsdoc-examples.mjs
# The packages as users get them: packed, installed outside the repo, publint and attw.
check "pack check" node tools/pack-check/run.mjs

echo
if [[ -s "$jest_failures" ]]; then
  echo "Failed jest tests:"
  cat "$jest_failures"
  echo
fi
rm -f "$jest_failures"
if ((${#failures[@]} > 0)); then
  list=$(printf '%s, ' "${failures[@]}")
  echo "Failed: ${list%, }"
fi
echo "$passed passed, $failed failed, $skipped skipped"
if ((failed > 0)); then exit 1; fi
exit 0
