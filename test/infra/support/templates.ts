import { Match, Template } from 'aws-cdk-lib/assertions';
import { expect } from 'vitest';
import { buildApp } from '../../../infra/app.ts';

/**
 * Context that skips asset bundling and staging: the templates are the same, synthesis is fast,
 * and no synth copies the console deployment's AWS CLI layer (a 21 MB zip) into its output.
 */
export const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-asset-staging': true };

export type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  DeletionPolicy?: string;
};
export type Statement = {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
  Principal?: unknown;
  Sid?: string;
};

/** Both templates of the app built with `context`, without bundling. */
export function appTemplates(context: Record<string, unknown> = {}): {
  stateful: Template;
  stateless: Template;
} {
  const { stateful, stateless } = buildApp({ ...SKIP_BUNDLING, ...context });
  return { stateful: Template.fromStack(stateful), stateless: Template.fromStack(stateless) };
}

/** The one resource of `type` matching `props`; fails the test unless there is exactly one. */
export function onlyResource(template: Template, type: string, props: object = {}): [string, Resource] {
  const found = Object.entries(template.findResources(type, props));
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
}

/**
 * The logical id of the one resource of `type` whose id is `<parent construct ids><constructId><8 hex digits>`
 * (the path of a resource inside a construct of the stack is part of its logical id).
 */
export function logicalIdOf(template: Template, type: string, constructId: string): string {
  const pattern = new RegExp(`^[A-Za-z0-9]*?${constructId}[0-9A-F]{8}$`);
  const ids = Object.keys(template.findResources(type)).filter((id) => pattern.test(id));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

/** The house function built from `entry` (found by its `untoc:entry` metadata). */
export function functionByEntry(template: Template, entry: string): [string, Resource] {
  const found = Object.entries(template.findResources('AWS::Lambda::Function')).filter(
    ([, fn]) => fn.Metadata?.['untoc:entry'] === entry,
  );
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
}

/** The environment variables of the function built from `entry`. */
export function environmentOf(template: Template, entry: string): Record<string, unknown> {
  const [, fn] = functionByEntry(template, entry);
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

/** Every statement of the (one) policy attached to the role of the function built from `entry`. */
export function statementsOf(template: Template, entry: string): Statement[] {
  const [, fn] = functionByEntry(template, entry);
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleId }] },
  });
  expect(Object.keys(policies)).toHaveLength(1);
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

export const actionsOf = (statement: Statement): string[] =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** Whether the statement's resources mention `fragment` (a logical id or an export name part). */
export const mentions = (statement: Statement, fragment: string): boolean =>
  JSON.stringify(statement.Resource).includes(fragment);

/**
 * `Fn::ImportValue` of an export of the stateful stack whose name matches `fragment` (a
 * regular expression), as a vitest matcher (`toEqual`, `toMatchObject`).
 */
export function importOf(fragment: string): object {
  return {
    'Fn::ImportValue': expect.stringMatching(
      new RegExp(`^UntocReviewTracker-[a-z0-9-]+-Stateful:.*${fragment}`),
    ),
  };
}

/** {@link importOf} as a CDK assertions matcher (`hasResourceProperties`, `findResources`). */
export function importMatching(fragment: string): object {
  return {
    'Fn::ImportValue': Match.stringLikeRegexp(`^UntocReviewTracker-[a-z0-9-]+-Stateful:.*${fragment}`),
  };
}
