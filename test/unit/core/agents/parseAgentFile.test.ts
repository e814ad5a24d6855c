import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentDefinition, AgentProblem } from '../../../../src/core/agents/agentDefinition';
import {
  AGENT_NAME_PATTERN, agentNameFromFile, extractCertificateTriggers, loadAgentFile, parseAgentText, slugAgentName,
} from '../../../../src/core/agents/parseAgentFile';
import { HARNESS_TOOL_NAMES } from '../../../../src/core/agents/toolNames';

const REPO_ROOT = path.resolve(__dirname, '../../../../..');
const SHARED = path.resolve(REPO_ROOT, '..', 'shared');
const SEED = path.join(SHARED, 'seed', 'devops-engineer.md');
const CORPUS = path.join(SHARED, 'corpus', 'agents');

const SEED_TRIGGERS = [
  'review', 'evaluate', 'determine', 'assess', 'validate', 'sign-off', 'approve', 'certify', 'analyze', 'investigate',
  'examine', 'recommend', 'advise', 'suggest', 'decide', 'choose', 'select', 'verify', 'confirm', 'check', 'audit',
  'inspect', 'test', 'compare', 'contrast', 'benchmark', 'prioritize', 'rank', 'score',
];
const STATUSES = [
  'APPROVED', 'CONDITIONALLY_APPROVED', 'REJECTED', 'REQUIRES_REMEDIATION', 'GO', 'NO_GO', 'RECOMMEND', 'DO_NOT_RECOMMEND',
  'ADVISORY_ONLY', 'NEEDS_FURTHER_REVIEW', 'EMERGENCY_STOP',
];
const ALL = [...HARNESS_TOOL_NAMES];

function parse(text: string, file = '/work/agents/fallback.agent.md'): AgentDefinition {
  return parseAgentText(text, { source: 'workspace', file });
}

function errors(agent: AgentDefinition): AgentProblem[] {
  return agent.problems.filter((p) => p.severity === 'error');
}

function warnings(agent: AgentDefinition): AgentProblem[] {
  return agent.problems.filter((p) => p.severity === 'warning');
}

const BASIC = '---\nname: deployer\ndescription: Ships things\ntools: Read, Bash\nmodel: sonnet\n---\n\nYou deploy.\n';

interface Case {
  readonly title: string;
  readonly text: string;
  readonly file?: string;
  readonly expect: (agent: AgentDefinition) => void;
}

const CASES: readonly Case[] = [
  {
    title: 'a plain LF file',
    text: BASIC,
    expect: (a) => {
      assert.equal(a.name, 'deployer');
      assert.equal(a.description, 'Ships things');
      assert.deepEqual(a.tools, ['Read', 'Bash']);
      assert.equal(a.toolsSpecified, 'list');
      assert.equal(a.model, 'sonnet');
      assert.equal(a.body, '\nYou deploy.\n');
      assert.equal(a.bodyStartLine, 7);
      assert.equal(a.memoryDir, 'docs/ai/agents/deployer');
      assert.equal(a.file, '/work/agents/fallback.agent.md');
      assert.deepEqual(a.problems, []);
    },
  },
  {
    title: 'CRLF line endings (same result as LF, no \\r left in the body)',
    text: BASIC.replace(/\n/g, '\r\n'),
    expect: (a) => {
      const lf = parse(BASIC);
      assert.deepEqual({ ...a }, { ...lf });
      assert.ok(!a.body.includes('\r'));
    },
  },
  {
    title: 'a UTF-8 byte order mark',
    text: `\uFEFF${BASIC}`,
    expect: (a) => {
      assert.equal(a.name, 'deployer');
      assert.deepEqual(a.problems, []);
      assert.equal(a.bodyStartLine, 7);
    },
  },
  {
    title: 'BOM and CRLF together',
    text: `\uFEFF${BASIC.replace(/\n/g, '\r\n')}`,
    expect: (a) => {
      assert.equal(a.name, 'deployer');
      assert.deepEqual(a.tools, ['Read', 'Bash']);
      assert.deepEqual(a.problems, []);
    },
  },
  {
    title: 'double-encoded UTF-8 (mojibake) is repaired, with a warning on its line',
    text: '---\nname: m\ndescription: d\n---\n# Title\n## ðŸ“‹ MANDATORY\nmemory â†’ Do BOTH\n',
    expect: (a) => {
      assert.equal(a.body, '# Title\n## 📋 MANDATORY\nmemory → Do BOTH\n');
      assert.equal(warnings(a).length, 1);
      assert.equal(warnings(a)[0].line, 6);
      assert.match(warnings(a)[0].message, /mojibake/);
    },
  },
  {
    title: 'legitimately non-ASCII text is not "repaired"',
    text: '---\nname: intl\ndescription: Café — “naïve” it’s 中文\n---\nÜnïcödé 📋 → ✓ Straße ½\n',
    expect: (a) => {
      assert.equal(a.description, 'Café — “naïve” it’s 中文');
      assert.equal(a.body, 'Ünïcödé 📋 → ✓ Straße ½\n');
      assert.deepEqual(a.problems, []);
    },
  },
  {
    title: 'tools as a YAML block list',
    text: '---\nname: l\ndescription: d\ntools:\n  - Read\n  - Grep\n---\n',
    expect: (a) => assert.deepEqual(a.tools, ['Read', 'Grep']),
  },
  {
    title: 'tools as a flow list of VS Code chat-mode names',
    text: "---\nname: l\ndescription: d\ntools: ['codebase', 'editFiles', 'runCommands', 'changes']\n---\n",
    expect: (a) => {
      assert.deepEqual(a.tools, ['Read', 'Write', 'Edit', 'Bash', 'Glob', 'Grep', 'Git']);
      assert.equal(a.toolsSpecified, 'list');
    },
  },
  {
    title: "tools: ['*'] grants everything",
    text: "---\nname: l\ndescription: d\ntools: ['*']\n---\n",
    expect: (a) => {
      assert.deepEqual(a.tools, ALL);
      assert.equal(a.toolsSpecified, 'all');
    },
  },
  {
    title: 'tools: * grants everything',
    text: "---\nname: l\ndescription: d\ntools: '*'\n---\n",
    expect: (a) => {
      assert.deepEqual(a.tools, ALL);
      assert.equal(a.toolsSpecified, 'all');
    },
  },
  {
    title: 'absent tools grant everything',
    text: '---\nname: l\ndescription: d\n---\n',
    expect: (a) => {
      assert.deepEqual(a.tools, ALL);
      assert.equal(a.toolsSpecified, 'all');
      assert.deepEqual(a.problems, []);
    },
  },
  {
    title: 'an empty tools key (null) counts as absent',
    text: '---\nname: l\ndescription: d\ntools:\n---\n',
    expect: (a) => assert.equal(a.toolsSpecified, 'all'),
  },
  {
    title: 'tools: [] grants nothing, with a warning',
    text: '---\nname: l\ndescription: d\ntools: []\n---\n',
    expect: (a) => {
      assert.deepEqual(a.tools, []);
      assert.equal(a.toolsSpecified, 'list');
      assert.equal(warnings(a)[0].line, 4);
    },
  },
  {
    title: 'tools separated by spaces only',
    text: '---\nname: l\ndescription: d\ntools: Read Grep\n---\n',
    expect: (a) => assert.deepEqual(a.tools, ['Read', 'Grep']),
  },
  {
    title: 'tools given as a mapping grant nothing, with a warning',
    text: '---\nname: l\ndescription: d\ntools:\n  read: true\n---\n',
    expect: (a) => {
      assert.deepEqual(a.tools, []);
      assert.match(warnings(a)[0].message, /must be a list/);
    },
  },
  {
    title: 'unknown tools are kept, each with a warning on the tools line',
    text: '---\nname: u\ndescription: d\nmodel: haiku\ntools: Read, WebFetch, mcp__ctx__docs, outagedeck/*, task-analysis\n---\n',
    expect: (a) => {
      assert.deepEqual(a.tools, ['Read']);
      assert.deepEqual(a.unknownTools, ['WebFetch', 'mcp__ctx__docs', 'outagedeck/*', 'task-analysis']);
      assert.equal(warnings(a).length, 4);
      for (const w of warnings(a)) {
        assert.equal(w.line, 5);
        assert.match(w.message, /not provided by this harness/);
      }
    },
  },
  {
    title: 'disallowedTools removes exact harness names only',
    text: '---\nname: d\ndescription: d\ntools: Read, Edit, Bash\ndisallowedTools: Bash, NotebookEdit\n---\n',
    expect: (a) => {
      assert.deepEqual(a.tools, ['Read', 'Edit']);
      assert.equal('disallowedTools' in a.extra, false);
    },
  },
  {
    title: 'name:"x" without a space is repaired with a warning',
    text: '---\nname:"x"\ndescription: y\n---\nbody\n',
    expect: (a) => {
      assert.equal(a.name, 'x');
      assert.equal(a.description, 'y');
      assert.deepEqual(errors(a), []);
      assert.equal(warnings(a).length, 1);
      assert.equal(warnings(a)[0].line, 2);
      assert.match(warnings(a)[0].message, /missing space after 'name:'/);
    },
  },
  {
    title: "a description with an unquoted ': ' is repaired with a warning",
    text: "---\nname: a\ndescription: Use it. Triggers on: 'assumptions', 'validate'.\ntools: Read\n---\n",
    expect: (a) => {
      assert.equal(a.description, "Use it. Triggers on: 'assumptions', 'validate'.");
      assert.deepEqual(a.tools, ['Read']);
      assert.deepEqual(errors(a), []);
      assert.equal(warnings(a)[0].line, 3);
    },
  },
  {
    title: 'a description running over lines with key-like lines in it is read as one text',
    text: '---\nname: inv\ndescription: Use this agent for: hard cases\n\n<example>\nContext: a child\nuser: "help"\n</example>\ncolor: indigo\ntools: Read, Write\n---\nbody\n',
    expect: (a) => {
      assert.equal(a.name, 'inv');
      assert.equal(a.description, 'Use this agent for: hard cases\n\n<example>\nContext: a child\nuser: "help"\n</example>');
      assert.deepEqual(a.extra, { color: 'indigo' });
      assert.deepEqual(a.tools, ['Read', 'Write']);
      assert.deepEqual(errors(a), []);
      assert.equal(warnings(a)[0].line, 3);
    },
  },
  {
    title: 'tabs used for indentation are repaired with a warning',
    text: '---\nname: t\ndescription: d\ntools:\n\t- Read\n\t- Bash\n---\n',
    expect: (a) => {
      assert.deepEqual(a.tools, ['Read', 'Bash']);
      assert.deepEqual(warnings(a).map((w) => w.line), [5, 6]);
      assert.deepEqual(errors(a), []);
    },
  },
  {
    title: 'a top-level key indented by a tab is unindented',
    text: '---\nname: t\n\tdescription: tabbed\n---\n',
    expect: (a) => {
      assert.equal(a.description, 'tabbed');
      assert.equal(warnings(a)[0].line, 3);
    },
  },
  {
    title: 'invalid YAML is an error on the right file line, and grants no tools',
    text: '---\nname: a\ndescription: b\nname: c\n---\nbody\n',
    file: '/w/dup.md',
    expect: (a) => {
      assert.equal(errors(a).length, 1);
      assert.equal(errors(a)[0].line, 4);
      assert.match(errors(a)[0].message, /invalid YAML.*unique/);
      assert.equal(a.name, 'dup');
      assert.deepEqual(a.tools, []);
      assert.equal(a.body, 'body\n');
    },
  },
  {
    title: 'an unclosed flow list is an error on the line where YAML notices it',
    text: '\uFEFF---\r\nname: a\r\ndescription: b\r\ntools: [Read, Write\r\nmodel: x\r\n---\r\n',
    expect: (a) => {
      assert.equal(errors(a).length, 1);
      assert.equal(errors(a)[0].line, 5);
    },
  },
  {
    title: 'ambiguous nesting is not guessed at',
    text: '---\nname: a\ndescription: b\n  model: x\n---\n',
    expect: (a) => {
      assert.ok(errors(a).length > 0);
      assert.ok(errors(a).every((e) => e.line === 3 || e.line === 4));
    },
  },
  {
    title: 'a frontmatter that is a list is an error',
    text: '---\n- a\n- b\n---\n',
    expect: (a) => assert.match(errors(a)[0].message, /not a mapping/),
  },
  {
    title: 'an alias bomb is refused, not expanded',
    text: `---\n${['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`)].join('\n')}\n---\n`,
    expect: (a) => assert.equal(errors(a).length, 1),
  },
  {
    title: 'no frontmatter is an error on line 1, the whole text is the body',
    text: '# Vital Health\n\n- **name:** x\n',
    file: '/w/.github/agents/Vulkan Graphics API expert.agent.md',
    expect: (a) => {
      assert.equal(errors(a)[0].line, 1);
      assert.match(errors(a)[0].message, /no frontmatter/);
      assert.equal(a.body, '# Vital Health\n\n- **name:** x\n');
      assert.equal(a.bodyStartLine, 1);
      assert.equal(a.name, 'vulkan-graphics-api-expert');
    },
  },
  {
    title: 'an indented frontmatter is reported on the line of its ---',
    text: '\n    ---\n    name: sqs\n    ---\n',
    expect: (a) => {
      assert.equal(errors(a).length, 1);
      assert.equal(errors(a)[0].line, 2);
      assert.match(errors(a)[0].message, /first line/);
    },
  },
  {
    title: 'an unclosed frontmatter is an error and grants no tools',
    text: '---\nname: a\ndescription: b\n',
    expect: (a) => {
      assert.match(errors(a)[0].message, /never closed/);
      assert.deepEqual(a.tools, []);
    },
  },
  {
    title: 'an empty file',
    text: '',
    expect: (a) => {
      assert.equal(errors(a).length, 1);
      assert.equal(errors(a)[0].line, 1);
      assert.match(errors(a)[0].message, /empty/);
      assert.equal(a.name, 'fallback');
    },
  },
  {
    title: 'binary garbage',
    text: randomBytes(4096).toString('latin1'),
    expect: (a) => {
      assert.match(errors(a)[0].message, /binary/);
      assert.equal(a.body, '');
      assert.deepEqual(a.tools, []);
    },
  },
  {
    title: 'binary garbage decoded as UTF-8',
    text: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131 + 7) % 256)).toString('utf8'),
    expect: (a) => assert.match(errors(a)[0].message, /binary/),
  },
  {
    title: 'no name: the file name is used (.agent.md), with a warning',
    text: '---\ndescription: d\n---\n',
    file: '/w/.github/agents/foo.agent.md',
    expect: (a) => {
      assert.equal(a.name, 'foo');
      assert.match(warnings(a)[0].message, /no 'name'.*'foo'/);
    },
  },
  {
    title: 'no name: the file name is used (.chatmode.md)',
    text: '---\ndescription: d\n---\n',
    file: '/w/.github/chatmodes/bar.chatmode.md',
    expect: (a) => assert.equal(a.name, 'bar'),
  },
  {
    title: 'a name is lowercased silently when that makes it valid',
    text: '---\nname: Context7-Expert\ndescription: d\n---\n',
    expect: (a) => {
      assert.equal(a.name, 'context7-expert');
      assert.deepEqual(a.problems, []);
    },
  },
  {
    title: 'an invalid name is slugged with a warning on its line',
    text: '---\ndescription: d\nname: Python DevOps/CI-CD Expert\n---\n',
    expect: (a) => {
      assert.equal(a.name, 'python-devops-ci-cd-expert');
      assert.equal(warnings(a)[0].line, 3);
      assert.equal(a.memoryDir, 'docs/ai/agents/python-devops-ci-cd-expert');
    },
  },
  {
    title: 'a name with nothing usable falls back to the file name',
    text: '---\nname: 专家\ndescription: d\n---\n',
    file: '/w/.claude/agents/expert.md',
    expect: (a) => assert.equal(a.name, 'expert'),
  },
  {
    title: 'no description is a warning',
    text: "---\nname: n\ntools: ['codebase']\n---\n",
    expect: (a) => {
      assert.equal(a.description, '');
      assert.match(warnings(a)[0].message, /no 'description'/);
    },
  },
  {
    title: 'keys we do not interpret are kept in extra, nested values included',
    text: '---\nname: e\ndescription: d\ncolor: blue\nmaxTurns: 50\nmcp-servers:\n  ctx:\n    type: http\n    tools: ["a", "b"]\n---\n',
    expect: (a) => assert.deepEqual(a.extra, { color: 'blue', maxTurns: 50, 'mcp-servers': { ctx: { type: 'http', tools: ['a', 'b'] } } }),
  },
  {
    title: 'a model list keeps its first entry as the hint',
    text: '---\nname: m\ndescription: d\nmodel:\n   - GPT-4.1\n   - Claude Sonnet 4.6\n---\n',
    expect: (a) => assert.equal(a.model, 'GPT-4.1'),
  },
  {
    title: 'permissions are read from the frontmatter',
    text: '---\nname: p\ndescription: d\npermissions:\n  allow: ["Bash(git status)"]\n  ask: ["Bash(docker *)"]\n  deny: ["Bash(rm -rf *)"]\n---\n',
    expect: (a) => {
      assert.deepEqual(a.permissions, { allow: ['Bash(git status)'], ask: ['Bash(docker *)'], deny: ['Bash(rm -rf *)'] });
      assert.deepEqual(a.problems, []);
      assert.equal('permissions' in a.extra, false);
    },
  },
  {
    title: 'malformed permissions are ignored with warnings',
    text: '---\nname: p\ndescription: d\npermissions:\n  allow: 3\n  sometimes: [x]\n---\n',
    expect: (a) => {
      assert.deepEqual(a.permissions, { allow: [], ask: [], deny: [] });
      assert.equal(warnings(a).length, 2);
    },
  },
  {
    title: 'no permissions key gives empty rules',
    text: BASIC,
    expect: (a) => assert.deepEqual(a.permissions, { allow: [], ask: [], deny: [] }),
  },
];

describe('core/agents/parseAgentFile', () => {
  describe('parseAgentText', () => {
    for (const c of CASES) {
      it(c.title, () => {
        const agent = parse(c.text, c.file);
        assert.match(agent.name, AGENT_NAME_PATTERN);
        for (const p of agent.problems) assert.ok(Number.isInteger(p.line) && p.line >= 1, `problem line ${p.line}`);
        c.expect(agent);
      });
    }

    it('parses a 2 MB file whole', () => {
      const body = `${'## Section\nSome text about pipelines and containers.\n'.repeat(50_000)}`;
      const text = `---\nname: big\ndescription: d\ntools: Read\n---\n${body}`;
      assert.ok(text.length > 2_000_000);
      const agent = parse(text);
      assert.equal(agent.name, 'big');
      assert.equal(agent.body, body);
      assert.deepEqual(agent.problems, []);
    });

    it('keeps a fallbackName given explicitly', () => {
      assert.equal(parseAgentText('---\ndescription: d\n---\n', { source: 'bundled', fallbackName: 'devops-engineer' }).name, 'devops-engineer');
      assert.equal(parseAgentText('---\ndescription: d\n---\n', { source: 'bundled' }).name, 'agent');
    });
  });

  describe('names', () => {
    it('derives names from file names', () => {
      assert.equal(agentNameFromFile('/a/foo.agent.md'), 'foo');
      assert.equal(agentNameFromFile('/a/bar.chatmode.md'), 'bar');
      assert.equal(agentNameFromFile('/a/baz.md'), 'baz');
      assert.equal(agentNameFromFile('C.Agent.MD'), 'C');
    });

    it('slugs names', () => {
      assert.equal(slugAgentName('.NET Self-Learning Architect'), 'net-self-learning-architect');
      assert.equal(slugAgentName('Cloud and SaaS Outage Triage'), 'cloud-and-saas-outage-triage');
      assert.equal(slugAgentName('__x__'), 'x__');
      assert.equal(slugAgentName('中文'), '');
    });
  });

  describe('extractCertificateTriggers', () => {
    it('reads the quoted words of a list-item section and stops at the next item', () => {
      const body = [
        'Do "this" first.',
        '5. **Certificate Triggers - Concepts Like**:',
        '   - **"Review", "evaluate"** - opinions',
        '   - **“sign-off”** - formal',
        '',
        '6. **No Exceptions**: "always"',
      ].join('\n');
      assert.deepEqual(extractCertificateTriggers(body), ['review', 'evaluate', 'sign-off']);
    });

    it('reads a heading section up to the next heading of the same level', () => {
      const body = '## Certificate triggers\n\n- "audit"\n\n### Details\n- "rank"\n## Other\n- "not this"\n';
      assert.deepEqual(extractCertificateTriggers(body), ['audit', 'rank']);
    });

    it('reads a paragraph followed by an unindented list', () => {
      assert.deepEqual(extractCertificateTriggers('Certificate triggers:\n- "score"\n- "test"\nAfter "x".\n'), ['score', 'test']);
    });

    it('returns [] when the body has no such section', () => {
      assert.deepEqual(extractCertificateTriggers('# Agent\n- "review"\n'), []);
      assert.deepEqual(extractCertificateTriggers(''), []);
    });
  });

  describe('loadAgentFile', () => {
    let dir: string;
    before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agents-load-')); });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('loads a file and keeps its absolute path', async () => {
      const file = path.join(dir, 'deployer.md');
      fs.writeFileSync(file, BASIC);
      const agent = await loadAgentFile(path.relative(process.cwd(), file), 'user');
      assert.equal(agent.file, file);
      assert.equal(agent.source, 'user');
      assert.equal(agent.name, 'deployer');
    });

    it('reports a missing file as a problem instead of throwing', async () => {
      const agent = await loadAgentFile(path.join(dir, 'missing.agent.md'), 'workspace');
      assert.equal(agent.name, 'missing');
      assert.deepEqual(agent.problems.map((p) => [p.line, p.severity]), [[1, 'error']]);
      assert.match(agent.problems[0].message, /no such file/);
      assert.deepEqual(agent.tools, []);
    });

    it('reports a directory', async () => {
      const sub = path.join(dir, 'folder.md');
      fs.mkdirSync(sub);
      assert.match((await loadAgentFile(sub, 'workspace')).problems[0].message, /directory/);
    });

    it('reports a binary file', async () => {
      const file = path.join(dir, 'image.md');
      fs.writeFileSync(file, Buffer.concat([Buffer.from('---\nname: x\n---\n'), randomBytes(2048), Buffer.from([0, 0, 0])]));
      const agent = await loadAgentFile(file, 'workspace');
      assert.match(agent.problems[0].message, /binary/);
      assert.equal(agent.body, '');
    });

    it('reads UTF-16 files by their byte order mark', async () => {
      const le = path.join(dir, 'le.md');
      const be = path.join(dir, 'be.md');
      fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BASIC, 'utf16le')]));
      const swapped = Buffer.from(BASIC, 'utf16le');
      swapped.swap16();
      fs.writeFileSync(be, Buffer.concat([Buffer.from([0xfe, 0xff]), swapped]));
      for (const file of [le, be]) {
        const agent = await loadAgentFile(file, 'workspace');
        assert.equal(agent.name, 'deployer');
        assert.deepEqual(agent.problems, []);
      }
    });

    it('loads a 2 MB file from disk', async () => {
      const file = path.join(dir, 'big.md');
      const body = 'x'.repeat(80).concat('\n').repeat(26_000);
      fs.writeFileSync(file, `---\nname: big\ndescription: d\n---\n${body}`);
      assert.ok(fs.statSync(file).size > 2_000_000);
      const agent = await loadAgentFile(file, 'workspace');
      assert.equal(agent.body.length, body.length);
      assert.deepEqual(agent.problems, []);
    });
  });

  describe('the seed agent (../shared/seed/devops-engineer.md)', () => {
    let seed: AgentDefinition;
    before(async function () {
      if (!fs.existsSync(SEED)) {
        console.log(`    (skipped: ${SEED} is absent; it exists only in the project workspace)`);
        this.skip();
      }
      seed = await loadAgentFile(SEED, 'workspace');
    });

    it('loads with exactly its 7 tools and its frontmatter facts', () => {
      assert.equal(seed.name, 'devops-engineer');
      assert.deepEqual([...seed.tools].sort(), ['Bash', 'Docker', 'Git', 'Glob', 'Grep', 'Read', 'Write']);
      assert.equal(seed.toolsSpecified, 'list');
      assert.deepEqual(seed.unknownTools, []);
      assert.equal(seed.model, 'sonnet');
      assert.match(seed.description, /^Expert DevOps engineer/);
      assert.deepEqual(errors(seed), []);
    });

    it('has its mojibake repaired, with one warning on the first affected line', () => {
      assert.ok(!seed.body.includes('ðŸ'));
      assert.ok(!seed.body.includes('â†'));
      assert.ok(seed.body.includes('## 📋 MANDATORY CERTIFICATION REQUIREMENT'));
      assert.ok(seed.body.includes('If asked to write code → Do BOTH'));
      const raw = fs.readFileSync(SEED, 'utf8').split('\n');
      const line = raw.findIndex((l) => l.includes('ðŸ“‹')) + 1;
      assert.deepEqual(seed.problems.map((p) => [p.line, p.severity]), [[line, 'warning']]);
    });

    it('lists its 11 certificate statuses and its trigger words', () => {
      for (const status of STATUSES) assert.ok(seed.body.includes(`**${status}**:`), status);
      assert.deepEqual(seed.certificateTriggers, SEED_TRIGGERS);
      assert.equal(seed.memoryDir, 'docs/ai/agents/devops-engineer');
    });
  });

  describe('the corpus of real agent files (../shared/corpus/agents)', () => {
    const files = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((f) => f.endsWith('.md')).sort() : [];
    if (files.length === 0) {
      it('is skipped: the corpus is absent', function () {
        console.log(`    (skipped: ${CORPUS} is absent; it exists only in the project workspace)`);
        this.skip();
      });
    }
    for (const name of files) {
      it(`loads ${name}`, async () => {
        const file = path.join(CORPUS, name);
        const lineCount = fs.readFileSync(file, 'utf8').split(/\r\n|\n|\r/).length;
        const agent = await loadAgentFile(file, 'workspace');
        assert.match(agent.name, AGENT_NAME_PATTERN);
        assert.ok(agent.bodyStartLine >= 1 && agent.bodyStartLine <= lineCount + 1);
        for (const p of agent.problems) {
          assert.ok(Number.isInteger(p.line) && p.line >= 1 && p.line <= lineCount, `${p.line}: ${p.message}`);
          assert.ok(p.message.length > 0);
        }
        assert.ok(!agent.body.includes('\r'));
        for (const tool of agent.tools) assert.ok(ALL.includes(tool as (typeof ALL)[number]), tool);
      });
    }

    const expectations: Record<string, (a: AgentDefinition) => void> = {
      '0xfurai__claude-code-subagents__agents_sqs-expert.md': (a) => assert.deepEqual(errors(a).map((e) => e.line), [2]),
      '66six11__vulkan_study__.github_agents_Vulkan_Graphics_API_expert.agent.md': (a) => assert.deepEqual(errors(a).map((e) => e.line), [1]),
      'GianlucaMondillo__Pediatric-MD-Claude-Code-SubAgents__care-coordination_diagnostic_investigator.md': (a) => {
        assert.equal(a.name, 'diagnostic-investigator');
        assert.deepEqual(errors(a), []);
        assert.match(a.description, /<example>\nContext: Unclear multisystem disease/);
        assert.deepEqual(a.tools, ['Read', 'Write', 'Edit']);
        assert.deepEqual(a.unknownTools, ['WebSearch']);
      },
      'VoltAgent__awesome-claude-code-subagents__categories_08-business-product_assumption-mapping.md': (a) => {
        assert.deepEqual(errors(a), []);
        assert.match(a.description, /Triggers on: 'assumptions'/);
      },
      'davila7__claude-code-templates__cli-tool_components_agents_api-graphql_api-architect.md': (a) => {
        assert.deepEqual(errors(a), []);
        assert.equal(a.model, 'sonnet');
        assert.deepEqual(a.extra, { color: 'blue', permissionMode: 'acceptEdits' });
      },
      'wshobson__agents__plugins_cicd-automation_agents_deployment-engineer.md': (a) => {
        assert.equal(a.name, 'deployment-engineer');
        assert.equal(a.toolsSpecified, 'all');
        assert.deepEqual(a.problems, []);
      },
      'github__awesome-copilot__agents_launchdarkly-flag-cleanup.agent.md': (a) => assert.equal(a.toolsSpecified, 'all'),
      'wshobson__agents__plugins_arm-cortex-microcontrollers_agents_arm-cortex-expert.md': (a) => assert.deepEqual(a.tools, []),
      'lst97__claude-code-sub-agents__agents_infrastructure_deployment-engineer.md': (a) => {
        assert.deepEqual(a.tools, ['Read', 'Write', 'Edit', 'Bash', 'Glob', 'Grep']);
        assert.ok(a.unknownTools.includes('mcp__context7__resolve-library-id'));
      },
      'epam__edp-cluster-add-ons__.github_chatmodes_devops.chatmode.md': (a) => assert.ok(a.tools.includes('Git') && a.tools.includes('Bash')),
    };
    for (const [name, expect] of Object.entries(files.length > 0 ? expectations : {})) {
      it(`reads ${name} as its author meant`, async () => {
        const file = path.join(CORPUS, name);
        assert.ok(fs.existsSync(file), `${file} is part of the corpus`);
        expect(await loadAgentFile(file, 'workspace'));
      });
    }
  });
});
