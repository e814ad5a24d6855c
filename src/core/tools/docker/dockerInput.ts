import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { rejectUnknownFields } from '../framework/unknownInputFields';

const DOCKER_READ_ACTIONS = ['ps', 'images', 'inspect', 'logs', 'stats'] as const;
const DOCKER_EXECUTE_ACTIONS = ['build', 'run', 'stop', 'rm', 'exec'] as const;
type DockerAction = (typeof DOCKER_READ_ACTIONS)[number] | (typeof DOCKER_EXECUTE_ACTIONS)[number];

/** A command as argv, and as the model wrote it (a string runs through /bin/sh -c). */
interface DockerCommand {
  readonly argv: readonly string[];
  readonly shown: string;
}

export type DockerInput =
  | { readonly action: 'ps'; readonly all: boolean }
  | { readonly action: 'images' }
  | { readonly action: 'inspect'; readonly target: string }
  | { readonly action: 'logs'; readonly container: string; readonly tail: number; readonly timestamps: boolean }
  | { readonly action: 'stats'; readonly container?: string }
  | { readonly action: 'build'; readonly context: string; readonly dockerfile?: string; readonly tag: string; readonly buildArgs?: Readonly<Record<string, string>> }
  | {
      readonly action: 'run';
      readonly image: string;
      readonly command?: DockerCommand;
      readonly env?: Readonly<Record<string, string>>;
      readonly name?: string;
      readonly detach: boolean;
      readonly rm: boolean;
      readonly timeoutMs?: number;
    }
  | { readonly action: 'stop'; readonly container: string; readonly timeoutSeconds: number }
  | { readonly action: 'rm'; readonly container: string; readonly force: boolean }
  | { readonly action: 'exec'; readonly container: string; readonly command: DockerCommand; readonly timeoutMs?: number };

const DEFAULT_LOG_TAIL = 200;
const MAX_TIMEOUT_MS = 600_000;
export const RESULT_OVERHEAD_CHARS = 800;
export const MAX_STATS_CONTAINERS = 20;
/** Label on everything this tool creates, so a user can find (and clean up) what the agent started. */
export const DOCKER_CREATED_BY_LABEL = 'devops-agent.created-by';

const CONTAINER_REF = /^\/?[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/;
// repository[:tag][@digest] with an optional registry host:port; the engine enforces the full grammar
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

export function checked(value: string, pattern: RegExp, key: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed.length > 512 || !pattern.test(trimmed)) throw new ToolInputError(`Docker: "${key}" must be ${what}; got ${JSON.stringify(value)}.`);
  return trimmed;
}

function containerRef(fields: ToolInputFields, key = 'container'): string {
  return checked(fields.requiredString(key, 'a container name or id'), CONTAINER_REF, key, 'a container name or id (see the ps action)').replace(/^\//, '');
}

function imageRef(value: string, key: string): string {
  return checked(value, IMAGE_REF, key, 'an image reference such as local/busybox:latest or myapp:1.2');
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function parseCommand(fields: ToolInputFields, required: boolean): DockerCommand | undefined {
  const raw = fields.raw('command');
  if (raw === undefined) {
    if (required) throw new ToolInputError('Docker: "command" is required: a shell command string, or an argv list like ["ls", "-la", "/app"].');
    return undefined;
  }
  if (typeof raw === 'string') {
    if (raw.trim().length === 0) throw new ToolInputError('Docker: "command" must not be empty.');
    return { argv: ['/bin/sh', '-c', raw], shown: raw };
  }
  const list = fields.optionalStringList('command');
  if (list === undefined || !Array.isArray(raw) || raw.length !== list.length) {
    throw new ToolInputError('Docker: "command" must be a string (run with /bin/sh -c) or a list of non-empty strings (argv).');
  }
  return { argv: list, shown: list.map(shellQuote).join(' ') };
}

function parseTimeout(fields: ToolInputFields): number | undefined {
  return fields.optionalInteger('timeout_ms', 100, MAX_TIMEOUT_MS);
}

export function parseDockerInput(input: unknown): DockerInput {
  rejectUnknownFields('Docker', input, [...Object.keys(dockerInputProperties), 'buildArgs']);
  const fields = new ToolInputFields('Docker', input, '{"action": "ps"}');
  const action = fields.requiredChoice<DockerAction>('action', [...DOCKER_READ_ACTIONS, ...DOCKER_EXECUTE_ACTIONS]);
  switch (action) {
    case 'ps':
      return { action, all: fields.optionalBoolean('all') ?? false };
    case 'images':
      return { action };
    case 'inspect': {
      const target = fields.optionalString('target') ?? fields.optionalString('container') ?? fields.optionalString('image');
      if (target === undefined) throw new ToolInputError('Docker: inspect needs "target": a container or image name or id.');
      return { action, target: imageRef(target, 'target').replace(/^\//, '') };
    }
    case 'logs':
      return { action, container: containerRef(fields), tail: fields.optionalInteger('tail', 1, 100_000) ?? DEFAULT_LOG_TAIL, timestamps: fields.optionalBoolean('timestamps') ?? false };
    case 'stats': {
      const container = fields.optionalString('container');
      return container === undefined ? { action } : { action, container: containerRef(fields) };
    }
    case 'build': {
      const dockerfile = fields.optionalString('dockerfile');
      const buildArgs = fields.optionalStringMap('build_args') ?? fields.optionalStringMap('buildArgs');
      if (dockerfile !== undefined && dockerfile.startsWith('-')) throw new ToolInputError('Docker: "dockerfile" must be a path.');
      return {
        action,
        context: fields.requiredString('context', 'the build context folder, e.g. "." or "services/api"'),
        tag: imageRef(fields.requiredString('tag', 'the image name to build, e.g. myapp:dev'), 'tag'),
        ...(dockerfile !== undefined ? { dockerfile } : {}),
        ...(buildArgs !== undefined ? { buildArgs } : {}),
      };
    }
    case 'run': {
      const detach = fields.optionalBoolean('detach') ?? false;
      const rm = fields.optionalBoolean('rm') ?? !detach;
      const name = fields.optionalString('name');
      const command = parseCommand(fields, false);
      const env = fields.optionalStringMap('env');
      const timeoutMs = parseTimeout(fields);
      return {
        action,
        image: imageRef(fields.requiredString('image', 'the image to run, e.g. local/busybox:latest'), 'image'),
        detach,
        rm,
        ...(command !== undefined ? { command } : {}),
        ...(env !== undefined ? { env } : {}),
        ...(name !== undefined ? { name: checked(name, CONTAINER_NAME, 'name', 'a container name of at least 2 characters: letters, digits, _ . -') } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      };
    }
    case 'stop':
      return { action, container: containerRef(fields), timeoutSeconds: fields.optionalInteger('timeout_s', 0, 600) ?? 10 };
    case 'rm':
      return { action, container: containerRef(fields), force: fields.optionalBoolean('force') ?? false };
    case 'exec': {
      const timeoutMs = parseTimeout(fields);
      return { action, container: containerRef(fields), command: parseCommand(fields, true)!, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    }
  }
}

export function isExecuteAction(action: DockerAction): boolean {
  return (DOCKER_EXECUTE_ACTIONS as readonly string[]).includes(action);
}

export const dockerInputProperties = {
  action: { type: 'string', enum: [...DOCKER_READ_ACTIONS, ...DOCKER_EXECUTE_ACTIONS] },
  all: { type: 'boolean', description: 'ps: include stopped containers.' },
  target: { type: 'string', description: 'inspect: container or image name or id.' },
  container: { type: 'string', description: 'logs, stats, exec, stop, rm: container name or id.' },
  tail: { type: 'number', description: `logs: how many last lines (default ${DEFAULT_LOG_TAIL}).` },
  timestamps: { type: 'boolean', description: 'logs: prefix lines with timestamps.' },
  context: { type: 'string', description: 'build: the context folder, relative to the workspace.' },
  dockerfile: { type: 'string', description: 'build: Dockerfile path relative to the context (default Dockerfile).' },
  tag: { type: 'string', description: 'build: image name and tag, e.g. myapp:dev.' },
  build_args: { type: 'object', additionalProperties: { type: 'string' }, description: 'build: ARG values.' },
  image: { type: 'string', description: 'run: the image.' },
  command: { description: 'run, exec: a string (run with /bin/sh -c) or a list of arguments.', anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  env: { type: 'object', additionalProperties: { type: 'string' }, description: 'run: environment variables.' },
  name: { type: 'string', description: 'run: container name.' },
  detach: { type: 'boolean', description: 'run: start in the background and return at once (default false).' },
  rm: { type: 'boolean', description: 'run: remove the container when it exits (default true unless detach).' },
  timeout_ms: { type: 'number', description: 'run (not detached), exec: stop waiting after this many milliseconds (default 120000).' },
  timeout_s: { type: 'number', description: 'stop: seconds to wait before killing (default 10).' },
  force: { type: 'boolean', description: 'rm: remove even if running.' },
};
