import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['*/src/**/*.test.ts', '*/test/**/*.test.ts', 'e2e/**/*.test.ts'],
    // Generous: the machine is shared and noisy, and the end-to-end files run a hub, CouchDB and
    // the cloud each; speed is measured by the benches, never by a test's time limit.
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // What a screen or a store is waited for before a test gives up: a hub behind a busy
    // machine may take seconds where it takes milliseconds alone.
    expect: { poll: { timeout: 30_000, interval: 100 } },
    // A test that fails once runs once more, and fails the run if it fails again. On this shared
    // two-core machine a full run starts a hub, CouchDB, the cloud and Chromium per file, two files
    // at a time, and a browser step or a simulated device now and then misses its wait under
    // that load, each time another one, where every one passes alone. `--reporter=verbose` marks
    // a test that needed its second try (retry x1), so one that keeps needing it can be found.
    retry: 1,
    // The machine has two cores; heavy integration files spawn hubs of their own.
    maxWorkers: 2,
    // A worker runs its files one after another in one module graph rather than importing the
    // hub, the cloud and their libraries again for each file: that import was a third of the run's
    // time. What a file starts it closes, and no test relies on a module being fresh; the one test
    // that mocks a module (electron, in the receipt printer's) mocks what no other file imports.
    isolate: false,
    // One temporary folder for the run, removed when it ends (what the tests leave behind).
    globalSetup: ['scripts/test-temp-folder.ts'],
  },
});
