// Mocha's spec reporter, plus a JSON file of counts (MOCHA_COUNTS_FILE) that scripts/test-all.sh adds up.
const Mocha = require('mocha');
const fs = require('node:fs');
class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    runner.on('pass', () => counts.passed++);
    runner.on('fail', () => counts.failed++);
    runner.on('pending', () => counts.skipped++);
    runner.once('end', () => {
      const file = process.env.MOCHA_COUNTS_FILE;
      if (file) fs.writeFileSync(file, JSON.stringify(counts));
    });
  }
}
module.exports = CountingReporter;
