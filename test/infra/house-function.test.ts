import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { HouseFunction, type HouseFunctionProps } from '../../infra/house-function.ts';

const ENTRY = 'functions/api.handler.ts';

interface Arranged {
  readonly template: Template;
  readonly stack: Stack;
  readonly table: Table;
}

/** A stack holding one house function and one table, synthesized without bundling. */
function arrange(
  props: Partial<HouseFunctionProps> = {},
  act: (fn: HouseFunction, table: Table) => void = () => {},
): Arranged {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'HouseFunctionTest');
  const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
  const fn = new HouseFunction(stack, 'Fn', { entry: ENTRY, ...props });
  act(fn, table);
  return { template: Template.fromStack(stack), stack, table };
}

function tableArn(stack: Stack, table: Table): unknown {
  return stack.resolve(table.tableArn);
}

function policyStatements(template: Template): Array<Record<string, unknown>> {
  const policies = Object.values(template.findResources('AWS::IAM::Policy'));
  return policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function actionsOf(statement: Record<string, unknown>): string[] {
  const action = statement.Action;
  return Array.isArray(action) ? (action as string[]) : [action as string];
}

describe('HouseFunction', () => {
  describe('defaults', () => {
    const { template } = arrange();

    it('runs on Node.js 22 on arm64 with active tracing, 512 MB and a 10 s timeout', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        MemorySize: 512,
        Timeout: 10,
        Handler: 'index.handler',
      });
    });

    it('sets the Powertools settings and enables source maps in the environment', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: {
            POWERTOOLS_SERVICE_NAME: 'untoc-review-tracker',
            POWERTOOLS_METRICS_NAMESPACE: 'UntocReviewTracker',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    });

    it('records the source entry and handler name in the function resource metadata', () => {
      template.hasResource('AWS::Lambda::Function', {
        Metadata: Match.objectLike({ 'untoc:entry': ENTRY, 'untoc:handler': 'handler' }),
      });
    });

    it('logs to its own log group kept for one month', () => {
      template.resourceCountIs('AWS::Logs::LogGroup', 1);
      template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
      const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
      template.hasResourceProperties('AWS::Lambda::Function', {
        LoggingConfig: { LogGroup: { Ref: logGroupId } },
      });
    });

    it('uses its own role without AWS managed policies', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({ Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }),
          ],
        },
        ManagedPolicyArns: Match.absent(),
      });
    });

    it('may write only to its own log group and send X-Ray traces, nothing more', () => {
      const [logGroupId] = Object.keys(template.findResources('AWS::Logs::LogGroup'));
      expect(policyStatements(template)).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] },
        },
        { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      ]);
    });
  });

  describe('props', () => {
    it('takes memory, timeout, extra environment and another handler export', () => {
      const { template } = arrange({
        memorySize: 1024,
        timeout: Duration.seconds(30),
        handler: 'main',
        environment: { FEATURE: 'on' },
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        MemorySize: 1024,
        Timeout: 30,
        Handler: 'index.main',
        Environment: { Variables: Match.objectLike({ FEATURE: 'on', POWERTOOLS_LOG_LEVEL: 'INFO' }) },
      });
      template.hasResource('AWS::Lambda::Function', {
        Metadata: Match.objectLike({ 'untoc:handler': 'main' }),
      });
    });

    it('records a ./-prefixed entry in its normalized project-relative form', () => {
      const { template } = arrange({ entry: `./${ENTRY}` });
      template.hasResource('AWS::Lambda::Function', { Metadata: Match.objectLike({ 'untoc:entry': ENTRY }) });
    });

    it.each([
      ['an absolute path', join(process.cwd(), ENTRY)],
      ['a path leaving the project', '../elsewhere/handler.ts'],
    ])('rejects %s as entry', (_kind, entry) => {
      expect(() => arrange({ entry })).toThrow(/relative to the project root/);
    });
  });

  describe('bindTable', () => {
    it('with read access sets the env var and grants only item reads on that table', () => {
      const { template, stack, table } = arrange({}, (fn, t) => fn.bindTable(t, 'THINGS_TABLE', 'read'));
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ THINGS_TABLE: stack.resolve(table.tableName) }) },
      });
      const tableStatements = policyStatements(template).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      expect(tableStatements).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:BatchGetItem',
            'dynamodb:Query',
            'dynamodb:ConditionCheckItem',
          ],
          Resource: tableArn(stack, table),
        },
      ]);
    });

    it('with readWrite access adds put, update and delete, and queries only the named indexes', () => {
      const { template, stack, table } = arrange({}, (fn, t) =>
        fn.bindTable(t, 'THINGS_TABLE', 'readWrite', { indexes: ['byOwner'] }),
      );
      const tableStatements = policyStatements(template).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('dynamodb:')),
      );
      expect(tableStatements).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'dynamodb:GetItem',
            'dynamodb:BatchGetItem',
            'dynamodb:Query',
            'dynamodb:ConditionCheckItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:DeleteItem',
          ],
          Resource: tableArn(stack, table),
        },
        {
          Effect: 'Allow',
          Action: 'dynamodb:Query',
          Resource: { 'Fn::Join': ['', [tableArn(stack, table), '/index/byOwner']] },
        },
      ]);
    });

    it('never grants Scan or table-wide wildcards', () => {
      const { template } = arrange({}, (fn, t) =>
        fn.bindTable(t, 'THINGS_TABLE', 'readWrite', { indexes: ['a'] }),
      );
      for (const statement of policyStatements(template)) {
        expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
        expect(actionsOf(statement).some((a) => a.endsWith('*'))).toBe(false);
        expect(JSON.stringify(statement.Resource)).not.toMatch(/\/index\/\*/);
      }
    });
  });

  describe('bindValue', () => {
    it('sets one plain environment variable and grants nothing', () => {
      const { template } = arrange({}, (fn) => fn.bindValue('GREETING', 'hello'));
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ GREETING: 'hello' }) },
      });
      expect(policyStatements(template)).toHaveLength(2);
    });
  });

  describe('bundling', () => {
    it('bundles locally (no Docker) into minified ESM with the require banner and a source map', () => {
      const app = new App({ context: { 'aws:cdk:enable-asset-metadata': true } });
      const stack = new Stack(app, 'BundledHouseFunctionTest');
      // A dependency-free module of the infra itself, so this test does not depend on the state
      // of the handlers; bundling ignores which export is the handler.
      new HouseFunction(stack, 'Fn', { entry: 'infra/topology.ts', handler: 'API_ROUTES' });
      const assembly = app.synth();
      const [fn] = Object.values(assembly.getStackByName(stack.stackName).template.Resources).filter(
        (resource) => (resource as { Type: string }).Type === 'AWS::Lambda::Function',
      ) as Array<{ Metadata: Record<string, string> }>;
      const assetDir = join(assembly.directory, fn?.Metadata['aws:asset:path'] ?? 'missing');
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire as __untocCreateRequire } from 'node:module';")).toBe(
        true,
      );
      expect(bundle).toMatch(/export\s*\{/);
      expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
      // Minified: the source's `{ method: 'GET', path: '/health', auth: 'none' }` loses its whitespace.
      expect(bundle).toContain('{method:"GET",path:"/health",auth:"none"}');
      expect(bundle.split('\n').length).toBeLessThanOrEqual(4);
    });
  });
});
