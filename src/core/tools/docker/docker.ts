import * as path from 'node:path';
import { PathRefusedError } from '../../policy/confinement';
import type { DockerEndpoint } from './dockerConnection';
import { connectDocker, dockerAddress } from './dockerConnection';
import { markdownFence } from '../framework/markdownFence';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import type { ToolRisk } from '../../policy/permissions';
import { ToolInputError } from '../framework/tool';
import { buildImage, containerLogs, containerStats, execInContainer, inspectTarget, listContainers, listImages, removeContainer, runContainer, stopContainer } from './dockerActions';
import { DockerFailure, failureText, isAbort } from './dockerFormat';
import type { DockerInput } from './dockerInput';
import { dockerInputProperties, isExecuteAction, parseDockerInput } from './dockerInput';

export const dockerTool: Tool<DockerInput> = {
  name: 'Docker',
  id: 'devops_docker',
  description:
    'Talks to the Docker engine. Read actions: ps (all?), images, inspect (target: container or image), logs (container; tail, default ' +
    '200; timestamps?), stats (container?, one sample: CPU %, memory, I/O). Actions that run things, confirmed first: build (context ' +
    'folder, tag, dockerfile relative to the context, build_args; honours .dockerignore), run (image; command as a string for /bin/sh -c ' +
    'or an argv list; env; name; detach, default false = wait and return exit code and output; rm, default true when not detached), ' +
    'exec (container, command), stop (container, timeout_s), rm (container, force?). Stderr lines are marked [stderr]; output is bounded.',
  inputSchema: {
    type: 'object',
    properties: dockerInputProperties,
    required: ['action'],
    additionalProperties: false,
  },
  risk: 'execute',

  parse: parseDockerInput,

  riskOf(input: DockerInput): ToolRisk {
    return isExecuteAction(input.action) ? 'execute' : 'read';
  },

  subjectOf(input: DockerInput): string {
    switch (input.action) {
      case 'inspect':
        return `inspect ${input.target}`;
      case 'logs':
        return `logs ${input.container}`;
      case 'stats':
        return input.container !== undefined ? `stats ${input.container}` : 'stats';
      case 'build':
        return `build ${input.tag}`;
      case 'run':
        return `run ${input.image}${input.command !== undefined ? ` ${input.command.shown}` : ''}`;
      case 'exec':
        return `exec ${input.container} ${input.command.shown}`;
      case 'stop':
      case 'rm':
        return `${input.action} ${input.container}`;
      default:
        return input.action;
    }
  },

  pathsOf(input: DockerInput): readonly string[] {
    if (input.action !== 'build') return [];
    if (input.dockerfile === undefined) return [input.context];
    return [input.context, path.isAbsolute(input.dockerfile) ? input.dockerfile : path.join(input.context, input.dockerfile)];
  },

  async preview(input: DockerInput, ctx: ToolContext): Promise<ToolPreview> {
    const endpoint = dockerAddress(ctx.environment);
    const engine = `Engine: \`${endpoint.address}\``;
    switch (input.action) {
      case 'build': {
        const args = input.buildArgs !== undefined ? `\n\nBuild args (values hidden): ${Object.keys(input.buildArgs).map((k) => `\`${k}\``).join(', ')}` : '';
        return {
          title: `Docker build ${input.tag}`,
          detail: `${markdownFence(`docker build -t ${input.tag} -f ${input.dockerfile ?? 'Dockerfile'} ${input.context}`, 'bash')}\n\nContext folder: \`${input.context}\` (.dockerignore honoured)${args}\n\n${engine}`,
        };
      }
      case 'run': {
        const env = input.env !== undefined ? `\n\nEnvironment (values hidden): ${Object.keys(input.env).map((k) => `\`${k}\``).join(', ')}` : '';
        const line = ['docker run', input.detach ? '--detach' : '', input.rm ? '--rm' : '', '--init', input.name !== undefined ? `--name ${input.name}` : '', input.image, input.command?.shown ?? '']
          .filter((p) => p !== '')
          .join(' ');
        return {
          title: `Docker run ${input.image}`,
          detail: `${markdownFence(line, 'bash')}\n\nImage: \`${input.image}\`\nCommand: ${input.command !== undefined ? `\`${input.command.shown}\`` : "the image's default"}\nContainer name: ${input.name !== undefined ? `\`${input.name}\`` : '(generated)'}${env}\n\n${engine}`,
        };
      }
      case 'exec':
        return { title: `Docker exec in ${input.container}`, detail: `${markdownFence(`docker exec ${input.container} ${input.command.shown}`, 'bash')}\n\n${engine}` };
      case 'stop':
        return { title: `Docker stop ${input.container}`, detail: `${markdownFence(`docker stop -t ${input.timeoutSeconds} ${input.container}`, 'bash')}\n\n${engine}` };
      case 'rm':
        return { title: `Docker rm ${input.container}`, detail: `${markdownFence(`docker rm ${input.force ? '--force ' : ''}${input.container}`, 'bash')}\n\n${engine}` };
      default:
        return { title: `Docker ${input.action}`, detail: `${markdownFence(`docker ${dockerTool.subjectOf(input)}`, 'bash')}\n\n${engine}` };
    }
  },

  async run(input: DockerInput, ctx: ToolContext): Promise<ToolResult> {
    let endpoint: DockerEndpoint;
    try {
      endpoint = await connectDocker(ctx.environment);
    } catch (error) {
      return { ok: false, text: `Cannot use the Docker host: ${(error as Error).message}` };
    }
    const { docker } = endpoint;
    try {
      switch (input.action) {
        case 'ps':
          return await listContainers(docker, input, ctx);
        case 'images':
          return await listImages(docker, ctx);
        case 'inspect':
          return await inspectTarget(docker, input.target, ctx);
        case 'logs':
          return await containerLogs(docker, input, ctx);
        case 'stats':
          return await containerStats(docker, input, ctx);
        case 'build':
          return await buildImage(docker, input, ctx);
        case 'run':
          return await runContainer(docker, input, ctx);
        case 'stop':
          return await stopContainer(docker, input, ctx);
        case 'rm':
          return await removeContainer(docker, input, ctx);
        case 'exec':
          return await execInContainer(docker, input, ctx);
      }
    } catch (error) {
      if (ctx.signal.aborted || isAbort(error)) return { ok: false, text: `docker ${input.action} was cancelled.` };
      if (error instanceof DockerFailure || error instanceof PathRefusedError || error instanceof ToolInputError) return { ok: false, text: error.message };
      return { ok: false, text: failureText(error, input, endpoint) };
    }
  },
};
