export default {
  testEnvironment: 'node',
  // @tsio/* -> TS sources through the "@tsio/source" export condition (no build needed)
  testEnvironmentOptions: {
    customExportConditions: ['@tsio/source', 'node', 'node-addons'],
    // Jest 30's default 'soft' cleanup wraps globals a test file left behind in accessors
    // whose setter recurses forever when a later file in the same worker writes them again
    // (jestjs/jest#16044: "Maximum call stack size exceeded" at Reflect.set). Each test file
    // runs in its own context anyway.
    globalsCleanup: 'off',
  },
  transform: { '^.+\\.[cm]?[jt]sx?$': '@swc/jest' },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // One test that hangs must fail alone, not every test after it in its file.
  setupFilesAfterEnv: ['<rootDir>/../../tools/jest/stop-leftover-loop.ts'],
  // Real sockets and child processes on a loaded 2-core CI machine: a hang still fails.
  testTimeout: 15000,
  // A running tsio loop keeps the process alive (as a running asyncio loop blocks its thread),
  // so a failing test that leaves one running would otherwise hang the run after reporting.
  forceExit: true,
};
