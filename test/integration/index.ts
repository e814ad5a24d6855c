import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

// Loaded by the extension host (extensionTestsPath): runs the integration suite named by DEVOPS_AGENT_TEST_SUITE.
export function run(): Promise<void> {
  const suite = process.env.DEVOPS_AGENT_TEST_SUITE ?? 'trusted';
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: path.resolve(__dirname, '../../../test/harness/countingReporter.cjs'),
    // DEVOPS_AGENT_TEST_GREP runs only the matching tests (a quick loop while developing one of them)
    ...(process.env.DEVOPS_AGENT_TEST_GREP ? { grep: process.env.DEVOPS_AGENT_TEST_GREP } : {}),
  });
  const dir = path.join(__dirname, suite);
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, file));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
