import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';

const SKIP_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

interface ValidationReport {
  pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; severity: string }> }>;
}

/** Synthesizes like the CLI does; an unacknowledged cdk-nag error makes `synth()` throw. */
function synthReport(app: App): ValidationReport {
  const assembly = app.synth();
  return JSON.parse(
    readFileSync(join(assembly.directory, 'validation-report.json'), 'utf8'),
  ) as ValidationReport;
}

/** Every finding of the pack, errors and warnings, after acknowledgements. */
function findings(app: App): Array<{ rule: string; severity: string | undefined; paths: string[] }> {
  return new AwsSolutionsChecks().validateScope(app).violations.map((violation) => ({
    rule: violation.ruleName,
    severity: violation.severity,
    paths: violation.violatingResources.map((resource) => resource.constructPath ?? '?'),
  }));
}

/** The `cdk_nag` acknowledgements written into each resource's metadata, per logical id. */
function acknowledgements(
  stacks: Stack[],
  app: App,
): Array<{ resource: string; id: string; reason: string }> {
  const assembly = app.synth();
  return stacks.flatMap((stack) => {
    const resources = assembly.getStackByName(stack.stackName).template.Resources as Record<
      string,
      { Metadata?: { cdk_nag?: { rules_to_suppress: Array<{ id: string; reason: string }> } } }
    >;
    return Object.entries(resources).flatMap(([logicalId, resource]) =>
      (resource.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((rule) => ({ resource: logicalId, ...rule })),
    );
  });
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['the default deployment', {}],
    ['a throwaway stage', { retainData: 'false' }],
    ['an external identity provider', { oidcIssuer: 'https://login.example.org', oidcAudience: 'untoc-api' }],
  ])('leaves no unacknowledged finding, error or warning, in %s', (_name, context) => {
    const { app } = buildApp({ ...SKIP_BUNDLING, ...context });

    const report = synthReport(app);

    const nagReports = report.pluginReports.filter((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nagReports.flatMap((plugin) => plugin.violations)).toEqual([]);
    expect(findings(app)).toEqual([]);
  });

  it('acknowledges exactly three findings, each on one resource with a written reason', () => {
    const { app, stateful, stateless } = buildApp(SKIP_BUNDLING);

    const acks = acknowledgements([stateful, stateless], app);

    expect(acks.map(({ resource, id }) => [id, resource]).sort()).toEqual(
      [
        ['AwsSolutions-APIG4', expect.stringMatching(/^HttpApiGEThealth[0-9A-F]{8}$/)],
        [
          'AwsSolutions-IAM5[Resource::*]',
          expect.stringMatching(/^ApiFunctionRoleDefaultPolicy[0-9A-F]{8}$/),
        ],
        ['AwsSolutions-L1', expect.stringMatching(/^ApiFunction[0-9A-F]{8}$/)],
      ].sort(),
    );
    for (const { reason } of acks) expect(reason.length).toBeGreaterThan(40);
  });

  it('fails the synth on an unacknowledged error, such as a route without authorization', () => {
    const { app, stateless } = buildApp(SKIP_BUNDLING);
    stateless.httpApi.addRoutes({
      path: '/probe',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('ProbeIntegration', stateless.apiFunction.function),
    });

    expect(() => app.synth()).toThrow(/AwsSolutions-APIG4/);
  });

  it('reports an unacknowledged warning, such as a table without point-in-time recovery', () => {
    const { app, stateful } = buildApp(SKIP_BUNDLING);
    new Table(stateful, 'ProbeTable', { partitionKey: { name: 'pk', type: AttributeType.STRING } });

    expect(findings(app)).toEqual([
      {
        rule: 'AwsSolutions-DDB3',
        severity: 'warning',
        paths: ['UntocReviewTracker-Stateful/ProbeTable/Resource'],
      },
    ]);
  });
});
