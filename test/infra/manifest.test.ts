import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionKey } from '#shared/manifest/index.ts';
import type { Binding } from '#shared/manifest/types.ts';
import { HouseFunction } from '../../infra/house-function.ts';
import {
  actionsOf,
  appTemplates,
  environmentOf,
  functionByEntry,
  type Statement,
  statementsOf,
} from './support/templates.ts';

/**
 * The function manifest (`shared/manifest`) against the synthesized stateless stack: each
 * function's environment is exactly its schema's keys (plus the house defaults), and its role
 * grants exactly the commands its manifest declares on exactly those resources, plus what its
 * triggers need (DESIGN §7: one manifest, no copies to drift).
 */

/** How the template names each bound resource (in import names or logical ids). */
const RESOURCE_FRAGMENT: Record<string, string> = {
  'table:reviews': 'GetAttReviewsTable',
  'table:notifications': 'GetAttNotificationsTable',
  'table:idempotency': 'GetAttIdempotencyTable',
  'queue:focalPointMail': 'GetAttFocalPointMailQueue',
  'queue:escalation': 'GetAttEscalationQueue',
  'queue:plannerDlq': 'GetAttPlannerDlq',
  'secret:signing': 'RefSigningSecret',
};

/** What each function's triggers add to its role (event source mappings, async failure destinations). */
const TRIGGER_GRANTS: Record<FunctionKey, Record<string, string[]>> = {
  api: {},
  planner: {
    GetAttReviewsTable: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
    '*': ['dynamodb:ListStreams'],
    GetAttPlannerDlq: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
  },
  sweep: { SweepScheduleDlq: ['sqs:SendMessage'] },
  mailer: {
    GetAttFocalPointMailQueue: [
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ],
  },
  escalator: {
    GetAttEscalationQueue: [
      'sqs:ChangeMessageVisibility',
      'sqs:DeleteMessage',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:ReceiveMessage',
    ],
  },
  feedback: { GetAttFeedbackDlq: ['sqs:SendMessage'] },
  digest: { DigestScheduleDlq: ['sqs:SendMessage'] },
};

/** The (resource fragment → actions) a binding grants. */
function grantsOf(binding: Binding): Record<string, string[]> {
  switch (binding.kind) {
    case 'table': {
      const fragment = RESOURCE_FRAGMENT[`table:${binding.table}`] ?? binding.table;
      return {
        [fragment]: [...binding.commands, ...(binding.commandsOnKeys?.commands ?? [])].map(
          (c) => `dynamodb:${c}`,
        ),
        ...(binding.indexes?.length ? { [`${fragment}:index`]: ['dynamodb:Query'] } : {}),
      };
    }
    case 'queue':
      return { [RESOURCE_FRAGMENT[`queue:${binding.queue}`] ?? binding.queue]: ['sqs:SendMessage'] };
    case 'secret':
      return {
        [RESOURCE_FRAGMENT[`secret:${binding.secret}`] ?? binding.secret]: ['secretsmanager:GetSecretValue'],
      };
    case 'email':
      return { ses: ['ses:SendRawEmail'] };
    case 'setting':
      return {};
  }
}

/** The fragment a statement's resource stands for, in the vocabulary above. */
function fragmentOf(statement: Statement): string {
  const resource = JSON.stringify(statement.Resource);
  if (resource === '"*"') return '*';
  if (actionsOf(statement).every((a) => a.startsWith('ses:'))) return 'ses';
  for (const fragment of [
    ...Object.values(RESOURCE_FRAGMENT),
    'GetAttFeedbackDlq',
    'SweepScheduleDlq',
    'DigestScheduleDlq',
  ]) {
    if (resource.includes(fragment)) return resource.includes('/index/') ? `${fragment}:index` : fragment;
  }
  return resource;
}

function merge(into: Record<string, string[]>, from: Record<string, string[]>): void {
  for (const [key, actions] of Object.entries(from)) into[key] = [...(into[key] ?? []), ...actions];
}

const normalise = (grants: Record<string, string[]>) =>
  Object.fromEntries(
    Object.entries(grants)
      .map(([key, actions]) => [key, [...new Set(actions)].sort()] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );

describe('the function manifest', () => {
  let template: Template;
  let houseVariables: string[];

  beforeAll(() => {
    template = appTemplates().stateless;
    // The house construct's own defaults, read off a function that binds nothing.
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Bare');
    new HouseFunction(stack, 'Bare', { entry: 'shared/adapters/dynamodb-keys.ts' });
    const bare = Template.fromStack(stack).findResources('AWS::Lambda::Function');
    const variables = Object.values(bare)[0]?.Properties.Environment.Variables as Record<string, unknown>;
    houseVariables = Object.keys(variables);
  });

  it.each(Object.entries(FUNCTIONS))("gives %s exactly its schema's environment", (_key, spec) => {
    const variables = environmentOf(template, spec.entry);
    expect(Object.keys(variables).sort()).toEqual([...houseVariables, ...Object.keys(spec.env.shape)].sort());
    expect(Object.keys(spec.bindings).sort()).toEqual(Object.keys(spec.env.shape).sort());
  });

  it.each(Object.entries(FUNCTIONS))(
    'grants %s exactly the commands its manifest declares, and what its triggers need',
    (key, spec) => {
      const expected: Record<string, string[]> = {};
      for (const binding of Object.values(spec.bindings) as Binding[]) merge(expected, grantsOf(binding));
      merge(expected, TRIGGER_GRANTS[key as FunctionKey]);
      const granted: Record<string, string[]> = {};
      for (const statement of statementsOf(template, spec.entry)) {
        const actions = actionsOf(statement);
        // The house construct's own: its log group, and active tracing.
        if (actions.every((a) => a.startsWith('logs:') || a.startsWith('xray:'))) continue;
        merge(granted, { [fragmentOf(statement)]: actions });
      }
      expect(normalise(granted)).toEqual(normalise(expected));
    },
  );

  it('scopes the feedback function’s writes to the Reviews table to undeliverable-address items', () => {
    const puts = statementsOf(template, FUNCTIONS.feedback.entry).filter(
      (s) =>
        actionsOf(s).includes('dynamodb:PutItem') &&
        JSON.stringify(s.Resource).includes('GetAttReviewsTable'),
    );
    expect(puts).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:PutItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ADDRESS#*'] } },
      }),
    ]);
  });

  it('serves every API route from the one API function, and each function from its own entry', () => {
    expect(FUNCTIONS.api.routes?.length).toBeGreaterThan(10);
    const entries = Object.values(FUNCTIONS).map((spec) => spec.entry);
    expect(new Set(entries).size).toBe(entries.length);
    for (const entry of entries) expect(functionByEntry(template, entry)).toBeDefined();
  });
});
