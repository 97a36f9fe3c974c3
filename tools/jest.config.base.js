export default {
  testEnvironment: 'node',
  // @tsio/* -> TS sources through the "@tsio/source" export condition (no build needed)
  testEnvironmentOptions: { customExportConditions: ['@tsio/source', 'node', 'node-addons'] },
  transform: { '^.+\\.[cm]?[jt]sx?$': '@swc/jest' },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // A running tsio loop keeps the process alive (as a running asyncio loop blocks its thread),
  // so a failing test that leaves one running would otherwise hang the run after reporting.
  forceExit: true,
};
