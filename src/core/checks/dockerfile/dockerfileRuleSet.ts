import { From, Keyword } from 'dockerfile-ast';
import type { Instruction, JSONInstruction, ModifiableInstruction, PropertyInstruction } from 'dockerfile-ast';
import { isSecretName, redactSecrets } from '../../policy/redactSecrets';
import type { CheckFix, CheckOptions, CheckRange, CheckRule, CheckRuleSet, CheckedFile, RuleFinding } from '../checkTypes';
import type { ParsedDockerfile } from './dockerfileParse';
import { parseByStage, parseWhole } from './dockerfileParse';
import { DOCKERFILE_RULES as R } from './dockerfileRules';
import type { LogicalText, TextSpan } from './dockerfileText';
import { joinContinuations, logicalRange, toCheckRange } from './dockerfileText';
import type { ShellCommand, ShellWord } from './shellCommands';
import { programWords, splitShellCommands } from './shellCommands';

const KNOWN_KEYWORDS = new Set<string>(Object.values(Keyword));
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ash', 'ksh', 'busybox']);
const ARCHIVE = /\.(?:tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|gz|bz2|xz|zst|lz|lzma)$/i;
const URL = /^(?:https?|ftp|git):\/\/|^git@/i;

export const dockerfileRuleSet: CheckRuleSet = {
  kinds: ['dockerfile'],
  rules: Object.values(R),
  check(file: CheckedFile, options: CheckOptions): RuleFinding[] {
    try {
      return checkDockerfile(file.text, options, file.edited === true);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return [{ ruleId: R.parseError.id, range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `The Dockerfile could not be parsed: ${message}` }];
    }
  },
};

interface Stage {
  readonly from: From;
  readonly index: number;
  readonly alias: string | undefined;
  readonly instructions: Instruction[];
}

/** Everything one pass over a Dockerfile needs. */
class DockerfileCheck {
  readonly findings: RuleFinding[] = [];
  readonly lines: readonly string[];
  readonly escape: string;
  /** Every FROM, in order (stages are collected as the instructions are walked; a check may look ahead). */
  readonly froms: readonly From[];

  constructor(readonly text: string, parsed: ParsedDockerfile, readonly options: CheckOptions) {
    this.lines = text.split(/\r\n|\n|\r/);
    this.escape = parsed.escape;
    this.froms = parsed.instructions.filter((instruction): instruction is From => instruction instanceof From);
  }

  add(rule: CheckRule, range: CheckRange, message: string, fix?: CheckFix): void {
    this.findings.push(fix === undefined ? { ruleId: rule.id, range, message } : { ruleId: rule.id, range, message, fix });
  }
}

function checkDockerfile(text: string, options: CheckOptions, edited: boolean): RuleFinding[] {
  // as the user types, unchanged stages are not parsed again
  const parsed = edited ? parseByStage(text) : parseWhole(text);
  const check = new DockerfileCheck(text, parsed, options);
  const instructions = parsed.instructions;
  const stages: Stage[] = [];
  const first = instructions[0];
  if (first !== undefined && first.getKeyword() !== 'FROM' && first.getKeyword() !== 'ARG') {
    check.add(R.firstInstruction, toCheckRange(first.getInstructionRange()), `The first instruction is ${first.getKeyword()}; a Dockerfile must start with FROM (or ARG before FROM).`);
  }
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'FROM') {
      const from = instruction as From;
      checkFrom(check, from, stages);
      const alias = from.getBuildStage();
      stages.push({ from, index: stages.length, alias: alias === null ? undefined : alias.toLowerCase(), instructions: [] });
      continue;
    }
    if (!KNOWN_KEYWORDS.has(keyword)) {
      check.add(R.unknownInstruction, toCheckRange(instruction.getInstructionRange()), `Unknown instruction ${instruction.getInstruction()}.`);
      continue;
    }
    const stage = stages[stages.length - 1];
    stage?.instructions.push(instruction);
    if (stage === undefined) continue;
    switch (keyword) {
      case 'WORKDIR': checkWorkdir(check, instruction); break;
      case 'ADD': checkAdd(check, instruction as JSONInstruction); break;
      case 'COPY': checkCopyFrom(check, instruction as ModifiableInstruction, stage, stages); break;
      case 'CMD':
      case 'ENTRYPOINT': checkExecForm(check, instruction as JSONInstruction); break;
      case 'ENV':
      case 'ARG': checkSecrets(check, instruction as PropertyInstruction, keyword); break;
      case 'MAINTAINER': checkMaintainer(check, instruction); break;
      default: break;
    }
  }
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'ARG' && !stages.some((s) => s.instructions.includes(instruction))) checkSecrets(check, instruction as PropertyInstruction, 'ARG');
  }
  stages.forEach((stage, i) => checkStage(check, stage, i === stages.length - 1));
  checkUser(check, stages);
  return applyHadolintIgnores(check, instructions);
}

function checkFrom(check: DockerfileCheck, from: From, earlier: readonly Stage[]): void {
  const image = from.getImage();
  const imageRange = from.getImageRange();
  if (image === null || imageRange === null || image.includes('$')) return;
  const name = (from.getImageName() ?? image).toLowerCase();
  if (name === 'scratch' || earlier.some((stage) => stage.alias === image.toLowerCase())) return;
  const tag = from.getImageTag();
  const digest = from.getImageDigest();
  if (tag === null && digest === null) {
    check.add(R.untaggedImage, toCheckRange(imageRange), `${image} has no tag, so it means ${image}:latest; pin a version.`);
  } else if (tag === 'latest' && digest === null) {
    const tagRange = from.getImageTagRange() ?? imageRange;
    check.add(R.latestTag, toCheckRange(tagRange), `${image} uses the :latest tag; pin a version (and a digest) so builds are reproducible.`);
  }
  const trusted = check.options.trustedRegistries;
  if (trusted.length > 0) {
    const registry = (from.getRegistry() ?? 'docker.io').toLowerCase();
    const full = `${registry}/${name}`;
    const dockerHub = registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io';
    const ok = trusted.some((entry) => {
      const t = entry.toLowerCase().replace(/\/+$/, '');
      return full === t || full.startsWith(`${t}/`) || registry === t || (dockerHub && (t === 'docker.io' || t === 'hub.docker.com'));
    });
    if (!ok) check.add(R.untrustedRegistry, toCheckRange(imageRange), `${image} comes from ${registry}, which is not in trustedRegistries (${trusted.join(', ')}).`);
  }
}

function checkWorkdir(check: DockerfileCheck, instruction: Instruction): void {
  const range = instruction.getArgumentsRange();
  const value = (instruction.getArgumentsContent() ?? '').trim().replace(/^["']|["']$/g, '');
  if (range === null || value === '') return;
  if (value.startsWith('/') || value.startsWith('$') || value.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(value)) return;
  check.add(R.absoluteWorkdir, toCheckRange(range), `WORKDIR ${value} is relative; write the absolute path (e.g. /${value.replace(/^\.\//, '')}).`);
}

function checkAdd(check: DockerfileCheck, add: JSONInstruction): void {
  const args = isJsonForm(add) ? add.getJSONStrings().map((s) => s.getJSONValue()) : add.getArguments().map((a) => a.getValue());
  if (args.length < 2) return;
  const sources = args.slice(0, -1);
  const local = sources.filter((source) => !URL.test(source) && !ARCHIVE.test(source) && !source.includes('$'));
  if (local.length === 0) return;
  const addOnlyFlags = add.getFlags().filter((flag) => !['chown', 'chmod', 'link', 'exclude', 'parents'].includes(flag.getName()));
  const keywordRange = add.getInstructionRange();
  const fix: CheckFix | undefined = addOnlyFlags.length > 0 ? undefined : { title: 'Replace ADD with COPY', edits: [{ range: toCheckRange(keywordRange), newText: add.getInstruction() === 'add' ? 'copy' : 'COPY' }] };
  check.add(R.addForLocalFiles, toCheckRange(keywordRange), `ADD copies local ${local.length === 1 ? `file ${local[0]}` : 'files'}; use COPY (ADD is for URLs and archives).`, fix);
}

function checkCopyFrom(check: DockerfileCheck, copy: ModifiableInstruction, stage: Stage, stages: readonly Stage[]): void {
  const flag = copy.getFlags().find((f) => f.getName() === 'from');
  const value = flag?.getValue();
  if (flag === undefined || value === null || value === undefined || value === '') return;
  if (/[:/@$.]/.test(value)) return;
  if (/^\d+$/.test(value)) {
    if (Number(value) < stage.index) return;
    check.add(R.copyFromUnknownStage, toCheckRange(flag.getRange()), `COPY --from=${value}: stage ${value} is not defined before this stage (stage ${stage.index}).`);
    return;
  }
  const lower = value.toLowerCase();
  if (stages.slice(0, stage.index).some((s) => s.alias === lower)) return;
  const later = check.froms.slice(stage.index + 1).some((from) => from.getBuildStage()?.toLowerCase() === lower);
  check.add(R.copyFromUnknownStage, toCheckRange(flag.getRange()), later
    ? `COPY --from=${value}: stage ${value} is defined after this instruction.`
    : `COPY --from=${value}: no stage is named ${value}; Docker will try to pull an image of that name.`);
}

function isJsonForm(instruction: JSONInstruction): boolean {
  return instruction.getOpeningBracket() !== null && instruction.getClosingBracket() !== null;
}

function checkExecForm(check: DockerfileCheck, instruction: JSONInstruction): void {
  const args = instruction.getArguments();
  const firstArg = args[0];
  if (firstArg === undefined || isJsonForm(instruction)) return;
  const span: TextSpan = { start: firstArg.getRange().start, end: instruction.getRange().end };
  const logical = joinContinuations(check.lines, span.start, span.end, check.escape);
  const command = logical.text.trim();
  const keyword = instruction.getKeyword();
  const exec = execFormOf(command);
  const fix: CheckFix | undefined = exec === undefined ? undefined : { title: `Write ${keyword} in JSON form`, edits: [{ range: toCheckRange(span), newText: exec }] };
  const message = command.startsWith('[')
    ? `${keyword} looks like JSON but is not valid JSON (strings need double quotes), so Docker runs it as a shell command.`
    : `${keyword} is in shell form: the program runs under /bin/sh -c and does not receive signals; use the JSON form.`;
  check.add(R.jsonCmd, toCheckRange(span), message, fix);
}

/** The JSON form of a shell-form command, when it is a plain command line with no shell features to lose. */
export function execFormOf(command: string): string | undefined {
  if (command.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(command.replace(/'/g, '"'));
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return `[${parsed.map((p) => JSON.stringify(p)).join(', ')}]`;
    } catch {
      return undefined;
    }
    return undefined;
  }
  if (/[$`*?~<>|&;(){}\\[\]#]/.test(command)) return undefined;
  const commands = splitShellCommands(command);
  if (commands.length !== 1) return undefined;
  const words = (commands[0] as ShellCommand).words.map((w) => w.value);
  if (words.length === 0) return undefined;
  return `[${words.map((w) => JSON.stringify(w)).join(', ')}]`;
}

function checkSecrets(check: DockerfileCheck, instruction: PropertyInstruction, keyword: 'ENV' | 'ARG'): void {
  for (const property of instruction.getProperties()) {
    const name = property.getName();
    const value = property.getValue();
    const valueRange = property.getValueRange();
    if (value !== null && value !== '' && valueRange !== null) {
      if (redactSecrets(`${name}=${value}`).total > 0) {
        check.add(R.secretInEnv, toCheckRange(valueRange), `${keyword} ${name} holds a secret-looking value; it is stored in the image and its history.`);
      }
    } else if (keyword === 'ARG' && isSecretName(name)) {
      check.add(R.secretBuildArg, toCheckRange(property.getNameRange()), `ARG ${name} passes a secret as a build argument; its value is recorded in the image history. Use RUN --mount=type=secret.`);
    }
  }
}

function checkMaintainer(check: DockerfileCheck, instruction: Instruction): void {
  const who = (instruction.getArgumentsContent() ?? '').trim().replace(/^"|"$/g, '');
  const range = toCheckRange(instruction.getRange());
  const fix: CheckFix | undefined = range.line === range.endLine
    ? { title: 'Replace MAINTAINER with an OCI authors label', edits: [{ range, newText: `LABEL org.opencontainers.image.authors=${JSON.stringify(who)}` }] }
    : undefined;
  check.add(R.maintainer, toCheckRange(instruction.getInstructionRange()), 'MAINTAINER is deprecated; use LABEL org.opencontainers.image.authors.', fix);
}

interface StageState {
  pipefailShell: boolean;
  nonPosixShell: boolean;
  pipNoCacheDirEnv: boolean;
}

function checkStage(check: DockerfileCheck, stage: Stage, isFinal: boolean): void {
  const state: StageState = { pipefailShell: false, nonPosixShell: false, pipNoCacheDirEnv: false };
  const cmds: Instruction[] = [];
  const entrypoints: Instruction[] = [];
  let previous: Instruction | undefined;
  let previousRunFlags = '';
  for (const instruction of stage.instructions) {
    const keyword = instruction.getKeyword();
    if (keyword === 'SHELL') {
      const shell = (instruction as JSONInstruction).getJSONStrings().map((s) => s.getJSONValue());
      const program = (shell[0] ?? '').toLowerCase();
      state.nonPosixShell = /pwsh|powershell|cmd(?:\.exe)?$/.test(program);
      state.pipefailShell = shell.some((word, i) => word === 'pipefail' && /^-[a-z]*o$/.test(shell[i - 1] ?? '')) || shell.includes('-opipefail');
    } else if (keyword === 'ENV') {
      if ((instruction as PropertyInstruction).getProperties().some((p) => p.getName() === 'PIP_NO_CACHE_DIR')) state.pipNoCacheDirEnv = true;
    } else if (keyword === 'RUN') {
      const run = instruction as JSONInstruction;
      const parts = isJsonForm(run) ? undefined : runText(check, run);
      const flags = parts?.flags ?? run.getFlags().map((f) => f.toString());
      checkRun(check, run, parts?.shell, flags, state, isFinal);
      const flagsKey = [...flags].sort().join(' ');
      if (previous?.getKeyword() === 'RUN' && previousRunFlags === flagsKey) {
        check.add(R.consecutiveRun, toCheckRange(instruction.getInstructionRange()), 'This RUN follows another RUN; join them with && to save a layer.');
      }
      previousRunFlags = flagsKey;
    } else if (keyword === 'CMD') cmds.push(instruction);
    else if (keyword === 'ENTRYPOINT') entrypoints.push(instruction);
    previous = instruction;
  }
  for (const cmd of cmds.slice(0, -1)) check.add(R.multipleCmd, toCheckRange(cmd.getInstructionRange()), `This stage has ${cmds.length} CMD instructions; only the last one takes effect.`);
  for (const entrypoint of entrypoints.slice(0, -1)) check.add(R.multipleEntrypoint, toCheckRange(entrypoint.getInstructionRange()), `This stage has ${entrypoints.length} ENTRYPOINT instructions; only the last one takes effect.`);
}

/**
 * The flags (`--mount=…`) of a shell-form RUN and its shell text, read from the file's lines: dockerfile-ast works
 * out every argument's position again on each getArguments()/getFlags() call, which dominated a keystroke's cost.
 */
function runText(check: DockerfileCheck, run: Instruction): { flags: string[]; shell: LogicalText } | undefined {
  const logical = joinContinuations(check.lines, run.getInstructionRange().end, run.getRange().end, check.escape);
  const text = logical.text;
  const flags: string[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i += 1;
  };
  skipSpace();
  while (text.startsWith('--', i)) {
    const start = i;
    while (i < text.length && !/\s/.test(text[i] as string)) i += 1;
    flags.push(text.slice(start, i));
    skipSpace();
  }
  if (i >= text.length) return undefined;
  return { flags, shell: { text: text.slice(i), positions: logical.positions.slice(i) } };
}

function runCacheMounts(flags: readonly string[]): string[] {
  return flags.filter((f) => f.startsWith('--mount=') && /(?:[=,])type=cache(?:,|$)/.test(f));
}

function checkRun(check: DockerfileCheck, run: JSONInstruction, shell: LogicalText | undefined, flags: readonly string[], state: StageState, isFinal: boolean): void {
  let logical: LogicalText;
  let commands: ShellCommand[];
  const json = isJsonForm(run);
  if (json) {
    // Exec form: one command whose words are the JSON strings, at the positions of the strings.
    const strings = run.getJSONStrings();
    if (strings.length === 0) return;
    const positions = strings.flatMap((s) => [s.getRange().start, s.getRange().end]);
    logical = { text: strings.map((s) => s.getJSONValue()).join(' '), positions };
    commands = [{ words: strings.map((s, i) => ({ value: s.getJSONValue(), start: 2 * i, end: 2 * i + 1 })), separatorBefore: '', separatorOffset: -1 }];
  } else {
    if (shell === undefined) return;
    logical = shell;
    commands = splitShellCommands(logical.text);
  }
  const range = (word: ShellWord): CheckRange => (json ? jsonWordRange(logical, word) : logicalRange(logical, word.start, word.end));
  const after = (word: ShellWord): CheckRange => {
    const r = range(word);
    return { line: r.endLine, column: r.endColumn, endLine: r.endLine, endColumn: r.endColumn };
  };
  const cacheMounts = runCacheMounts(flags);
  let aptInstall: ShellWord | undefined;
  let aptListsRemoved = false;
  let pipefailSet = false;
  commands.forEach((command, index) => {
    const leading = command.words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.value) && !['then', 'do', 'else', 'if', '!', '{', 'while', 'until', 'elif'].includes(w.value));
    if (leading?.value === 'sudo') check.add(R.sudo, range(leading), 'sudo in a build: run this step before switching USER instead.');
    const words = programWords(command);
    const program = words[0];
    if (program === undefined) return;
    const name = program.value.replace(/^.*\//, '');
    const rest = words.slice(1);
    if (name === 'set' && rest.some((w, i) => w.value === 'pipefail' && /^-[a-z]*o$/.test(rest[i - 1]?.value ?? ''))) pipefailSet = true;
    if (name === 'cd') check.add(R.cdInRun, range(program), 'cd only lasts for this RUN; use WORKDIR to change directory.');
    if (name === 'rm' && rest.some((w) => w.value.includes('/var/lib/apt/lists'))) aptListsRemoved = true;
    if (name === 'apt-get' && rest.some((w) => w.value === 'dist-clean')) aptListsRemoved = true;
    if (name === 'apt' && rest.some((w) => !w.value.startsWith('-'))) {
      check.add(R.aptNotAptGet, range(program), 'apt is for interactive use; use apt-get in scripts.', { title: 'Use apt-get', edits: [{ range: range(program), newText: program.value.replace(/apt$/, 'apt-get') }] });
    }
    if (name === 'apt-get') {
      const parsed = subcommand(rest, ['-o', '-t', '-c', '--target-release', '--option', '--config-file', '--default-release']);
      if (parsed?.sub.value === 'install') {
        aptInstall ??= program;
        checkAptInstall(check, parsed, range, after);
      }
    }
    if (/^pip[0-9.]*$/.test(name) || (/^python[0-9.]*$/.test(name) && rest[0]?.value === '-m' && /^pip[0-9.]*$/.test(rest[1]?.value ?? ''))) {
      const pipArgs = name.startsWith('python') ? rest.slice(2) : rest;
      const parsed = subcommand(pipArgs, PIP_VALUE_OPTIONS);
      if (parsed?.sub.value === 'install') checkPipInstall(check, parsed, range, after, state.pipNoCacheDirEnv || cacheMounts.length > 0);
    }
    if (name === 'npm') {
      const parsed = subcommand(rest, ['--registry', '--prefix', '--cache', '-w', '--workspace', '--userconfig', '--loglevel']);
      if (parsed !== undefined && ['install', 'i', 'add', 'isntall', 'in'].includes(parsed.sub.value)) checkNpmInstall(check, parsed, range);
    }
    if (name === 'apk') {
      const parsed = subcommand(rest, ['-t', '--virtual', '-X', '--repository', '--repositories-file', '-p', '--root', '--arch', '--cache-dir', '--keys-dir']);
      if (parsed?.sub.value === 'add') checkApkAdd(check, parsed, range, after, cacheMounts.some((m) => m.includes('/var/cache/apk')));
    }
    if (name === 'curl' || name === 'wget') {
      const next = commands[index + 1];
      const shell = next?.separatorBefore === '|' ? programWords(next)[0] : undefined;
      if (shell !== undefined && SHELLS.has(shell.value.replace(/^.*\//, ''))) {
        const start = range(program);
        const end = range(shell);
        check.add(R.curlPipeShell, { line: start.line, column: start.column, endLine: end.endLine, endColumn: end.endColumn }, `${name} output is piped straight into ${shell.value}: download to a file and verify its checksum before running it.`);
      }
    }
    if (SHELLS.has(name) && rest.some((w) => /\$\((?:curl|wget)\s/.test(w.value))) {
      check.add(R.curlPipeShell, range(program), `${name} runs a script downloaded by a command substitution: download to a file and verify its checksum before running it.`);
    }
  });
  if (!json && !state.pipefailShell && !state.nonPosixShell && !pipefailSet) {
    // `a | b)` inside `case … in` is a pattern list, not a pipe.
    let caseDepth = 0;
    const piped = commands.find((c) => {
      if (c.words[0]?.value === 'case') caseDepth += 1;
      if (c.words.some((w) => w.value === 'esac')) caseDepth = Math.max(0, caseDepth - 1);
      return c.separatorBefore === '|' && !(caseDepth > 0 && c.words.length === 1);
    });
    if (piped !== undefined) {
      check.add(R.pipefail, logicalRange(logical, piped.separatorOffset, piped.separatorOffset + 1), 'This RUN has a pipe but the shell does not set -o pipefail: a failure before the last command goes unnoticed.');
    }
  }
  if (isFinal && aptInstall !== undefined && !aptListsRemoved && !cacheMounts.some((m) => m.includes('/var/lib/apt'))) {
    check.add(R.aptListsNotRemoved, range(aptInstall), 'apt-get lists stay in this layer; end the RUN with && rm -rf /var/lib/apt/lists/*.');
  }
}

function jsonWordRange(logical: LogicalText, word: ShellWord): CheckRange {
  const start = logical.positions[word.start];
  const end = logical.positions[word.end];
  if (start === undefined || end === undefined) return { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return toCheckRange({ start, end });
}

interface Subcommand {
  readonly sub: ShellWord;
  /** Options (with their values joined for `--opt value`), then the operands. */
  readonly options: readonly string[];
  readonly operands: readonly ShellWord[];
}

const PIP_VALUE_OPTIONS = ['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-t', '--target', '--prefix', '--root', '-f', '--find-links', '--trusted-host', '--platform', '--python-version', '--implementation', '--abi', '--only-binary', '--no-binary', '--progress-bar', '--src', '--upgrade-strategy', '--cache-dir', '--log', '--user-agent', '--proxy', '--retries', '--timeout'];

function subcommand(words: readonly ShellWord[], valueOptions: readonly string[]): Subcommand | undefined {
  const options: string[] = [];
  const operands: ShellWord[] = [];
  let sub: ShellWord | undefined;
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i] as ShellWord;
    if (word.value.startsWith('-') && word.value.length > 1) {
      if (valueOptions.includes(word.value) && i + 1 < words.length) {
        options.push(`${word.value}=${(words[i + 1] as ShellWord).value}`);
        i += 1;
      } else options.push(word.value);
      continue;
    }
    if (sub === undefined) sub = word;
    else operands.push(word);
  }
  return sub === undefined ? undefined : { sub, options, operands };
}

type RangeOf = (word: ShellWord) => CheckRange;

function listNames(words: readonly ShellWord[]): string {
  const names = words.slice(0, 5).map((w) => w.value).join(', ');
  return words.length > 5 ? `${names} and ${words.length - 5} more` : names;
}

function spanOf(range: RangeOf, words: readonly ShellWord[]): CheckRange {
  const first = range(words[0] as ShellWord);
  const last = range(words[words.length - 1] as ShellWord);
  return first.line === last.line ? { ...first, endColumn: last.endColumn } : first;
}

function checkAptInstall(check: DockerfileCheck, parsed: Subcommand, range: RangeOf, after: RangeOf): void {
  const packages = parsed.operands.filter((w) => !w.value.startsWith('$'));
  const unpinned = packages.filter((w) => !w.value.includes('=') && !w.value.endsWith('.deb') && !w.value.includes('/'));
  if (unpinned.length > 0) check.add(R.aptUnpinned, spanOf(range, unpinned), `apt-get install without versions: ${listNames(unpinned)}.`);
  const yes = parsed.options.some((o) => o === '--yes' || o === '--assume-yes' || o === '-qq' || o === '-q=2' || o === '--quiet=2' || /^-[a-z]*y[a-z]*$/.test(o));
  if (!yes) check.add(R.aptGetYes, range(parsed.sub), 'apt-get install without -y waits for a confirmation and fails the build.', { title: 'Add -y', edits: [{ range: after(parsed.sub), newText: ' -y' }] });
  const noRecommends = parsed.options.some((o) => o === '--no-install-recommends' || /^-o=APT::Install-Recommends=(?:false|0|no)$/i.test(o));
  if (!noRecommends) {
    check.add(R.aptNoInstallRecommends, range(parsed.sub), 'apt-get install without --no-install-recommends also installs recommended packages.',
      { title: 'Add --no-install-recommends', edits: [{ range: after(parsed.sub), newText: ' --no-install-recommends' }] });
  }
}

function isPinnedPipRequirement(value: string): boolean {
  if (/[=<>~!@]/.test(value)) return true;
  if (value.startsWith('.') || value.startsWith('/') || value.startsWith('$') || value.includes('://') || value.startsWith('git+')) return true;
  return /\.(?:whl|tar\.gz|zip|tgz)$/i.test(value);
}

function checkPipInstall(check: DockerfileCheck, parsed: Subcommand, range: RangeOf, after: RangeOf, cacheOff: boolean): void {
  const unpinned = parsed.operands.filter((w) => !isPinnedPipRequirement(w.value));
  if (unpinned.length > 0) check.add(R.pipUnpinned, spanOf(range, unpinned), `pip install without versions: ${listNames(unpinned)}.`);
  if (!cacheOff && !parsed.options.includes('--no-cache-dir')) {
    check.add(R.pipNoCacheDir, range(parsed.sub), 'pip install keeps its download cache in the layer; add --no-cache-dir.',
      { title: 'Add --no-cache-dir', edits: [{ range: after(parsed.sub), newText: ' --no-cache-dir' }] });
  }
}

function checkNpmInstall(check: DockerfileCheck, parsed: Subcommand, range: RangeOf): void {
  if (parsed.operands.length === 0) {
    if (!parsed.options.some((o) => o === '-g' || o === '--global')) {
      check.add(R.npmInstallNotCi, range(parsed.sub), 'npm install may update the lockfile and install other versions than it lists; use npm ci.');
    }
    return;
  }
  const unpinned = parsed.operands.filter((w) => {
    const v = w.value;
    if (v.startsWith('.') || v.startsWith('/') || v.startsWith('$') || v.includes(':') || v.endsWith('.tgz') || v.endsWith('.tar.gz')) return false;
    return v.lastIndexOf('@') <= 0;
  });
  if (unpinned.length > 0) check.add(R.npmUnpinned, spanOf(range, unpinned), `npm install without versions: ${listNames(unpinned)}.`);
}

function checkApkAdd(check: DockerfileCheck, parsed: Subcommand, range: RangeOf, after: RangeOf, cacheMounted: boolean): void {
  const unpinned = parsed.operands.filter((w) => !w.value.includes('=') && !w.value.startsWith('$') && !w.value.includes('/') && !w.value.endsWith('.apk'));
  if (unpinned.length > 0) check.add(R.apkUnpinned, spanOf(range, unpinned), `apk add without versions: ${listNames(unpinned)}.`);
  if (!cacheMounted && !parsed.options.includes('--no-cache') && !parsed.options.includes('--no-network')) {
    check.add(R.apkNoCache, range(parsed.sub), 'apk add keeps the package index in the layer; add --no-cache.',
      { title: 'Add --no-cache', edits: [{ range: after(parsed.sub), newText: ' --no-cache' }] });
  }
}

function checkUser(check: DockerfileCheck, stages: readonly Stage[]): void {
  const final = stages[stages.length - 1];
  if (final === undefined) return;
  let stage: Stage | undefined = final;
  const seen = new Set<Stage>();
  while (stage !== undefined && !seen.has(stage)) {
    seen.add(stage);
    const users = stage.instructions.filter((i) => i.getKeyword() === 'USER');
    const last = users[users.length - 1];
    if (last !== undefined) {
      const user = (last.getArgumentsContent() ?? '').trim().split(':')[0] ?? '';
      if (stage === final && (user === 'root' || user === '0')) {
        check.add(R.lastUserRoot, toCheckRange(last.getArgumentsRange() ?? last.getRange()), `The last USER is ${user}: the container runs as root. Switch to an unprivileged user at the end.`);
      }
      return;
    }
    const base = (stage.from.getImage() ?? '').toLowerCase();
    if (/nonroot|rootless/.test(base)) return;
    const current: Stage = stage;
    stage = stages.slice(0, current.index).find((s) => s.alias === base);
  }
  const fromRange = toCheckRange(final.from.getRange());
  check.add(R.noUser, fromRange, `The final stage (${final.from.getImage() ?? 'FROM'}) has no USER instruction, so the container runs as root.`);
}

/** `# hadolint ignore=DL3008,DL3015` before an instruction, and `# hadolint global ignore=…` anywhere. */
function applyHadolintIgnores(check: DockerfileCheck, instructions: readonly Instruction[]): RuleFinding[] {
  const global = new Set<string>();
  const pending: { line: number; codes: string[] }[] = [];
  check.lines.forEach((line, index) => {
    const match = /^\s*#\s*hadolint\s+(global\s+)?ignore\s*=\s*([A-Za-z0-9,\s]+)/.exec(line);
    if (match === null) return;
    const codes = (match[2] as string).split(/[,\s]+/).filter((c) => c !== '').map((c) => c.toUpperCase());
    if (match[1] !== undefined) codes.forEach((c) => global.add(c));
    else pending.push({ line: index, codes });
  });
  if (global.size === 0 && pending.length === 0) return check.findings;
  const perInstruction = new Map<Instruction, Set<string>>();
  for (const { line, codes } of pending) {
    const next = instructions.find((i) => i.getRange().start.line > line);
    if (next === undefined) continue;
    const set = perInstruction.get(next) ?? new Set<string>();
    codes.forEach((c) => set.add(c));
    perInstruction.set(next, set);
  }
  const references = new Map(Object.values(R).map((rule) => [rule.id, rule.references.map((r) => r.toUpperCase())]));
  return check.findings.filter((finding) => {
    const refs = references.get(finding.ruleId) ?? [];
    if (refs.some((r) => global.has(r))) return false;
    const line = finding.range.line - 1;
    const owner = instructions.find((i) => i.getRange().start.line <= line && i.getRange().end.line >= line);
    const ignored = owner === undefined ? undefined : perInstruction.get(owner);
    return ignored === undefined || !refs.some((r) => ignored.has(r));
  });
}
