import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandInstructions, SLASH_COMMANDS } from '../../../../src/core/runtime/slashCommands';

// Compiled tests live in out/test/unit/core/runtime/.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');

describe('core/runtime/slashCommands', () => {
  it('has instructions for every command the participant declares, except /agent which picks the agent', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { chatParticipants: { commands: { name: string }[] }[] } };
    const declared = manifest.contributes.chatParticipants.flatMap((p) => p.commands.map((c) => c.name)).filter((n) => n !== 'agent');
    assert.deepEqual([...SLASH_COMMANDS].sort(), declared.sort());
  });

  it('gives each command its own heading and task', () => {
    for (const command of SLASH_COMMANDS) assert.match(commandInstructions(command) ?? '', new RegExp(`^# This request: /${command}\\n\\S`));
    assert.match(commandInstructions('review') ?? '', /certificate_create/);
    assert.match(commandInstructions('certify') ?? '', /certificate_create/);
    assert.match(commandInstructions('memory') ?? '', /memory_read.*memory_update/);
  });

  it('has nothing for no command, /agent, or names that are not commands', () => {
    for (const name of [undefined, '', 'agent', 'Review', 'toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      assert.equal(commandInstructions(name), undefined, String(name));
    }
  });
});
