import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.ts';

/**
 * Reads the synthesized CDK app the way SAM local does (DESIGN §5): the local runtime
 * creates what the templates declare and wires it as they wire it, so the local and the
 * deployed topology come from one description and cannot drift.
 */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
}
export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: string } }>;
}
export interface StackTemplate {
  stackName: string;
  template: CfnTemplate;
}

/** Synthesizes every stack in-process with asset bundling skipped; returns their templates. */
export function synthesizeTemplates(context: Record<string, unknown> = {}): StackTemplate[] {
  const outdir = mkdtempSync(join(tmpdir(), 'untoc-synth-'));
  try {
    // Asset staging off too: local mode reads the template, never the assets (the console's
    // deployment would otherwise copy CDK's 21 MB AWS CLI layer into a temporary folder each start).
    const { app } = buildApp(
      { ...context, 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-asset-staging': true },
      { outdir },
    );
    return app.synth().stacks.map((s) => ({ stackName: s.stackName, template: s.template as CfnTemplate }));
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Every resource of a type across the stacks. */
export function resourcesOfType(
  stacks: StackTemplate[],
  type: string,
): { stackName: string; logicalId: string; resource: CfnResource }[] {
  return stacks.flatMap(({ stackName, template }) =>
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([logicalId, resource]) => ({ stackName, logicalId, resource })),
  );
}

/** A local resource's `Ref` value and attributes (`Arn`, `StreamArn`, `QueueUrl` …). */
export interface PhysicalResource {
  ref: string;
  attributes: Record<string, string>;
}

export const LOCAL_ACCOUNT = '000000000000';

/**
 * Resolves CloudFormation intrinsics (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`, `Fn::Join`,
 * `Fn::Sub` without variables map, `Fn::Select`) against the local resources. Anything it
 * cannot resolve is an error, so a wiring the local runtime does not understand fails loudly
 * instead of running differently from AWS.
 */
export class TemplateResolver {
  private readonly physical = new Map<string, PhysicalResource>();

  constructor(
    private readonly stacks: StackTemplate[],
    private readonly region: string,
  ) {}

  /** Registers the local counterpart of a template resource. */
  register(stackName: string, logicalId: string, resource: PhysicalResource): void {
    this.physical.set(`${stackName}/${logicalId}`, resource);
  }

  /** The registered resource, if any. */
  lookup(stackName: string, logicalId: string): PhysicalResource | undefined {
    return this.physical.get(`${stackName}/${logicalId}`);
  }

  resolve(stackName: string, value: unknown): unknown {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.resolve(stackName, v));
    const entries = Object.entries(value as Record<string, unknown>);
    const [key, arg] = entries[0] ?? [];
    if (entries.length === 1 && key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) {
      return this.intrinsic(stackName, key, arg);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(stackName, v)]));
  }

  /** Resolves to a string or throws. */
  resolveString(stackName: string, value: unknown): string {
    const resolved = this.resolve(stackName, value);
    if (typeof resolved !== 'string' && typeof resolved !== 'number') {
      throw new Error(`local runtime: expected a string for ${JSON.stringify(value)}`);
    }
    return String(resolved);
  }

  private pseudo(name: string): string | undefined {
    return {
      'AWS::Region': this.region,
      'AWS::AccountId': LOCAL_ACCOUNT,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::NoValue': '',
    }[name];
  }

  private intrinsic(stackName: string, fn: string, arg: unknown): unknown {
    switch (fn) {
      case 'Ref': {
        const name = String(arg);
        const pseudo = this.pseudo(name);
        if (pseudo !== undefined) return pseudo;
        const found = this.lookup(stackName, name);
        if (!found) throw new Error(`local runtime: no local resource for Ref ${stackName}/${name}`);
        return found.ref;
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg.map(String) : String(arg).split('.');
        const found = this.lookup(stackName, String(logicalId));
        const value = found?.attributes[String(attribute)];
        if (value === undefined)
          throw new Error(`local runtime: no attribute ${stackName}/${logicalId}.${attribute}`);
        return value;
      }
      case 'Fn::ImportValue': {
        const name = this.resolveString(stackName, arg);
        for (const stack of this.stacks) {
          for (const output of Object.values(stack.template.Outputs ?? {})) {
            if (output.Export?.Name === name) return this.resolve(stack.stackName, output.Value);
          }
        }
        throw new Error(`local runtime: no export named ${name}`);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg as [string, unknown[]];
        return parts.map((p) => this.resolveString(stackName, p)).join(separator);
      }
      case 'Fn::Select': {
        const [index, list] = arg as [number, unknown];
        const resolved = this.resolve(stackName, list);
        if (!Array.isArray(resolved)) throw new Error('local runtime: Fn::Select needs a list');
        return resolved[Number(index)];
      }
      case 'Fn::Sub': {
        if (typeof arg !== 'string')
          throw new Error('local runtime: Fn::Sub with a variables map is not supported');
        return arg.replace(/\$\{([^}]+)\}/g, (_, name: string) =>
          name.includes('.')
            ? this.resolveString(stackName, { 'Fn::GetAtt': name.split('.') })
            : this.resolveString(stackName, { Ref: name }),
        );
      }
      default:
        throw new Error(`local runtime: intrinsic ${fn} is not supported`);
    }
  }
}
