import * as fs from 'node:fs';
import * as path from 'node:path';

/** The workspace's settings file could not be read as JSON with comments. */
export class WorkspaceSettingsError extends Error {}

export interface PermissionSettings {
  readonly allow?: unknown;
  readonly ask?: unknown;
  readonly deny?: unknown;
}

/**
 * The `devopsAgent.permissions.allow|ask|deny` values of a workspace's `.vscode/settings.json`, read as VS Code reads
 * that file (comments and trailing commas allowed), for callers outside VS Code such as the CLI. Empty when the file
 * does not exist. User settings live in VS Code's profile and are not read here.
 */
export function readWorkspacePermissionSettings(root: string): PermissionSettings {
  const file = path.join(root, '.vscode', 'settings.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new WorkspaceSettingsError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let settings: unknown;
  try {
    settings = JSON.parse(plainJson(text));
  } catch (error) {
    throw new WorkspaceSettingsError(`${file} is not valid JSON (${(error as Error).message})`);
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) throw new WorkspaceSettingsError(`${file} does not hold a settings object`);
  const values = settings as Record<string, unknown>;
  const nested = typeof values['devopsAgent.permissions'] === 'object' && values['devopsAgent.permissions'] !== null ? values['devopsAgent.permissions'] as Record<string, unknown> : {};
  const pick = (key: 'allow' | 'ask' | 'deny'): unknown => values[`devopsAgent.permissions.${key}`] ?? nested[key];
  return { allow: pick('allow'), ask: pick('ask'), deny: pick('deny') };
}

/** JSON with comments and trailing commas (VS Code's settings format) as plain JSON; strings are left untouched. */
export function plainJson(text: string): string {
  let out = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (c === ',') {
      // A comma followed only by blanks and comments before `}` or `]` is a trailing comma.
      let j = i + 1;
      for (;;) {
        while (j < text.length && /\s/.test(text[j] as string)) j++;
        if (text[j] === '/' && text[j + 1] === '/') while (j < text.length && text[j] !== '\n') j++;
        else if (text[j] === '/' && text[j + 1] === '*') j = text.indexOf('*/', j + 2) === -1 ? text.length : text.indexOf('*/', j + 2) + 2;
        else break;
      }
      if (text[j] !== '}' && text[j] !== ']') out += c;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
