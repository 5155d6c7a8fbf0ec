import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { App, Stack } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { SKIP_BUNDLING } from './support/templates.ts';

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
    [
      'an external identity provider',
      {
        oidcIssuer: 'https://login.example.org',
        oidcAudience: 'untoc-api',
        oidcAuthorizationEndpoint: 'https://login.example.org/authorize',
        oidcTokenEndpoint: 'https://login.example.org/token',
        oidcConsoleClientId: 'untoc-console',
      },
    ],
    [
      'stage prod, as deployed',
      { stage: 'prod', senderEmail: 'no-reply@example.org', secretariatEmail: 'untoc@example.org' },
    ],
    [
      'a custom console domain',
      {
        consoleDomainName: 'untoc-console.example.org',
        consoleCertificateArn:
          'arn:aws:acm:us-east-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
      },
    ],
    ['an explicit Hosted UI domain prefix', { cognitoDomainPrefix: 'unodc-untoc-review' }],
    ['a sender domain identity', { senderDomain: 'example.org' }],
    [
      'a backup copy vault',
      { backupCopyVaultArn: 'arn:aws:backup:eu-west-1:111122223333:backup-vault:copies' },
    ],
  ])('leaves no unacknowledged finding, error or warning, in %s', (_name, context) => {
    const { app } = buildApp({ ...SKIP_BUNDLING, ...context });

    const report = synthReport(app);

    const nagReports = report.pluginReports.filter((plugin) => plugin.pluginName === 'AwsSolutions');
    expect(nagReports.flatMap((plugin) => plugin.violations)).toEqual([]);
    expect(findings(app)).toEqual([]);
  });

  it('acknowledges exactly thirty-nine findings, each on one resource with a written reason', () => {
    const { app, stateful, stateless } = buildApp(SKIP_BUNDLING);

    const acks = acknowledgements([stateful, stateless], app);

    // Logical ids are `<construct path><8 hex digits>`; the hash is checked, then dropped.
    const acknowledged = acks.map(({ id, resource }) => {
      expect(resource).toMatch(/[0-9A-F]{8}$/);
      return `${id} on ${resource.slice(0, -8)}`;
    });
    const functions = [
      'SecretariatApiApi',
      'PipelinePlanner',
      'PipelineSweep',
      'PipelineMailer',
      'PipelineEscalator',
      'MailFeedbackFeedback',
      'DigestDigest',
    ];
    expect(acknowledged.sort()).toEqual(
      [
        'AwsSolutions-APIG4 on SecretariatApiHttpApiGEThealth',
        'AwsSolutions-APIG4 on SecretariatApiHttpApiGETrespondtoken',
        'AwsSolutions-APIG4 on SecretariatApiHttpApiPOSTrespondtoken',
        ...functions.map((fn) => `AwsSolutions-IAM5[Resource::*] on ${fn}FunctionRoleDefaultPolicy`),
        ...functions.map((fn) => `AwsSolutions-L1 on ${fn}Function`),
        'AwsSolutions-SQS3 on PlannerDlq',
        'AwsSolutions-SQS3 on FeedbackDlq',
        'AwsSolutions-SQS3 on PipelineSweepScheduleDlq',
        'AwsSolutions-SQS3 on DigestDigestScheduleDlq',
        'AwsSolutions-SQS3 on MailFeedbackFeedbackSubscriptionDlq',
        'AwsSolutions-SMG4 on SigningSecret',
        ...['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores'].map(
          (policy) =>
            `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}] on BackupServiceRole`,
        ),
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:backup:<AWS::Region>:<AWS::AccountId>:recovery-point:*] on BackupBreakGlassRole',
        // The console: its log bucket, its distribution (default certificate) and CDK's deployment handler.
        'AwsSolutions-S1 on ConsoleAccessLogs',
        ...['CFR1', 'CFR2', 'CFR4'].map((rule) => `AwsSolutions-${rule} on ConsoleDistribution`),
        'AwsSolutions-L1 on CustomCDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C',
        ...[
          'Action::s3:GetObject*',
          'Action::s3:GetBucket*',
          'Action::s3:List*',
          'Action::s3:DeleteObject*',
          'Action::s3:Abort*',
          'Resource::<ConsoleBucket86B6957C.Arn>/*',
          'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
          'Resource::*',
        ].map((finding) => `AwsSolutions-IAM5[${finding}] on ConsoleDeploymentRoleDefaultPolicy`),
      ].sort(),
    );
    for (const { reason } of acks) expect(reason.length).toBeGreaterThan(40);
  });

  it('names dynamodb:ListStreams in the wildcard reason of the stream consumer only', () => {
    const { app, stateful, stateless } = buildApp(SKIP_BUNDLING);

    const wildcardReasons = acknowledgements([stateful, stateless], app).filter(
      ({ id }) => id === 'AwsSolutions-IAM5[Resource::*]',
    );

    const house = wildcardReasons.filter(({ resource }) => resource.includes('FunctionRoleDefaultPolicy'));
    expect(house).toHaveLength(7);
    for (const { resource, reason } of house) {
      expect(reason).toContain('xray:PutTraceSegments');
      expect(reason.includes('dynamodb:ListStreams')).toBe(resource.includes('PlannerFunction'));
    }
    // The one other: CDK's BucketDeployment handler, whose wildcard is CloudFront's invalidation.
    const others = wildcardReasons.filter((ack) => !house.includes(ack));
    expect(others.map(({ resource }) => resource.slice(0, -8))).toEqual([
      'ConsoleDeploymentRoleDefaultPolicy',
    ]);
    expect(others[0]?.reason).toContain('cloudfront:CreateInvalidation');
  });

  it('fails the synth on an unacknowledged error, such as a route without authorization', () => {
    const { app, stateless } = buildApp(SKIP_BUNDLING);
    stateless.api.httpApi.addRoutes({
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
        paths: ['UntocReviewTracker-dev-Stateful/ProbeTable/Resource'],
      },
    ]);
  });
});
