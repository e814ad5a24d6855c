// One GitHub Actions workflow or action file, parsed once: its jobs, steps, triggers and `uses:` references, shared
// by the structure checks (actionlint) and the security audits (zizmor).
import type { Node, YAMLMap } from 'yaml';
import type { CheckFix, CheckOptions, CheckRange, CheckedFile, RuleFinding } from '../checkTypes';
import type { YamlEntry, YamlSource } from '../yaml/yamlSource';

export const DANGEROUS_TRIGGERS = ['pull_request_target', 'workflow_run'];

/** A step (or reusable-workflow job) with where it sits. */
export interface StepContext {
  readonly node: YAMLMap;
  readonly jobNode: YAMLMap | undefined;
}

export class ActionsDocument {
  readonly isWorkflow: boolean;

  constructor(readonly src: YamlSource, readonly root: YAMLMap, file: CheckedFile, readonly options: CheckOptions) {
    this.isWorkflow = file.kind === 'github-workflow';
  }

  finding(ruleId: string, range: CheckRange, message: string, fix?: CheckFix): RuleFinding {
    return fix ? { ruleId, range, message, fix } : { ruleId, range, message };
  }

  private jobList: YamlEntry[] | undefined;
  private stepList: StepContext[] | undefined;

  jobs(): YamlEntry[] {
    this.jobList ??= this.isWorkflow ? this.src.entries(this.src.get(this.root, 'jobs')) : [];
    return this.jobList;
  }

  steps(): StepContext[] {
    this.stepList ??= this.collectSteps();
    return this.stepList;
  }

  private collectSteps(): StepContext[] {
    const out: StepContext[] = [];
    if (this.isWorkflow) {
      for (const job of this.jobs()) {
        const jobNode = this.src.map(job.value);
        for (const step of this.src.items(this.src.get(jobNode, 'steps'))) {
          const node = this.src.map(step);
          if (node) out.push({ node, jobNode });
        }
      }
    } else {
      for (const step of this.src.items(this.src.at(this.root, 'runs', 'steps'))) {
        const node = this.src.map(step);
        if (node) out.push({ node, jobNode: undefined });
      }
    }
    return out;
  }

  triggers(): YamlEntry[] | Node[] {
    const on = this.src.get(this.root, 'on');
    const asMap = this.src.entries(on);
    if (asMap.length > 0) return asMap;
    const seq = this.src.items(on);
    if (seq.length > 0) return seq;
    return on ? [on] : [];
  }

  triggerNames(): { name: string; node: Node }[] {
    return this.triggers().map((trigger) => {
      if ('keyNode' in trigger) return { name: trigger.key, node: trigger.keyNode };
      return { name: this.src.str(trigger) ?? '', node: trigger };
    });
  }

  hasDangerousTrigger(): boolean {
    return this.triggerNames().some((trigger) => DANGEROUS_TRIGGERS.includes(trigger.name));
  }

  private lines: string[] | undefined;

  /** One-based column just after the last character of a line. */
  lineEnd(line: number): number {
    this.lines ??= this.src.text.split('\n');
    const lines = this.lines;
    const text = (lines[line - 1] ?? '').replace(/\r$/, '');
    return text.length + 1;
  }

  // ---- zizmor: unpinned-uses, actionlint: malformed uses ----

  allUses(): { value: Node; text: string; isJob: boolean }[] {
    const out: { value: Node; text: string; isJob: boolean }[] = [];
    for (const step of this.steps()) {
      const value = this.src.get(step.node, 'uses');
      const text = this.src.str(value);
      if (value && text !== undefined) out.push({ value, text, isJob: false });
    }
    for (const job of this.jobs()) {
      const value = this.src.get(job.value, 'uses');
      const text = this.src.str(value);
      if (value && text !== undefined) out.push({ value, text, isJob: true });
    }
    return out;
  }
}
