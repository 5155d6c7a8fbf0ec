import { ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import { SKIP_BUNDLING } from './support/templates.ts';

/**
 * cdk-nag's `Serverless` pack, run beside `AwsSolutions` (which gates the synth). What it
 * raises that a careful engineer would fix is fixed (the SNS subscription has its dead-letter
 * queue, every asynchronously invoked function its failure destination, every function
 * active tracing and a retained, bounded log group). What is left is listed here with why it
 * stays, so a new finding fails this test instead of passing unnoticed.
 */
const DOCUMENTED: Record<string, { why: string; resources: string[] }> = {
  'Serverless-SQSRedrivePolicy': {
    why: 'these queues are themselves the dead-letter queues; a redrive from a DLQ would have nowhere to go',
    resources: [
      'Stateful/FocalPointMailDlq',
      'Stateful/EscalationDlq',
      'Stateful/PlannerDlq',
      'Stateful/FeedbackDlq',
      'Stateless/Pipeline/SweepScheduleDlq',
      'Stateless/Digest/DigestScheduleDlq',
      'Stateless/MailFeedback/FeedbackSubscriptionDlq',
    ],
  },
  'Serverless-LambdaDLQ': {
    why:
      'a dead-letter target applies to asynchronous invocations only: the API (synchronous), the planner ' +
      '(stream) and the mail consumers (SQS, redriven by their queues) have none to send; the sweep, the ' +
      'feedback function and the digest, invoked asynchronously, have on-failure destinations instead, which keep ' +
      'the error too',
    resources: [
      'ApiFunction',
      'PlannerFunction',
      'SweepFunction',
      'MailerFunction',
      'EscalatorFunction',
      'FeedbackFunction',
      'DigestFunction',
    ],
  },
  'Serverless-LambdaLatestVersion': {
    why: 'nodejs22.x is pinned on purpose (bundles target node22; a runtime move is a tested change), as for AwsSolutions-L1',
    resources: [
      'ApiFunction',
      'PlannerFunction',
      'SweepFunction',
      'MailerFunction',
      'EscalatorFunction',
      'FeedbackFunction',
      'DigestFunction',
    ],
  },
  'Serverless-LambdaEventSourceMappingDestination': {
    why: 'SQS event source mappings take no destination: a failed message returns to its queue and, after five receives, to its alarmed DLQ',
    resources: ['MailerFunction', 'EscalatorFunction'],
  },
};

describe('cdk-nag Serverless', () => {
  it('raises only the findings documented here, each on the resources named', () => {
    const { app } = buildApp({
      ...SKIP_BUNDLING,
      stage: 'prod',
      senderEmail: 'no-reply@un.example',
      secretariatEmail: 'untoc.review@un.org',
    });

    const violations = new ServerlessChecks().validateScope(app).violations;

    const found: Record<string, string[]> = {};
    for (const violation of violations) {
      const paths = violation.violatingResources.map((r) => r.constructPath ?? '?');
      found[violation.ruleName] = [...(found[violation.ruleName] ?? []), ...paths];
    }
    expect(Object.keys(found).sort()).toEqual(Object.keys(DOCUMENTED).sort());
    for (const [rule, { resources, why }] of Object.entries(DOCUMENTED)) {
      expect(why.length).toBeGreaterThan(40);
      const paths = found[rule] ?? [];
      expect(paths, rule).toHaveLength(resources.length);
      for (const resource of resources)
        expect(
          paths.some((p) => p.includes(resource)),
          `${rule} on ${resource}`,
        ).toBe(true);
    }
  });
});
