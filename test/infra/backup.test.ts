import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/app.ts';
import {
  appTemplates,
  logicalIdOf,
  onlyResource,
  SKIP_BUNDLING,
  type Statement,
} from './support/templates.ts';

const COPY_VAULT_ARN = 'arn:aws:backup:eu-west-1:111122223333:backup-vault:untoc-copies';
const PROD = { stage: 'prod', senderEmail: 'no-reply@un.example', secretariatEmail: 'untoc.review@un.org' };

type Rule = {
  RuleName: string;
  ScheduleExpression: string;
  Lifecycle: { DeleteAfterDays: number; MoveToColdStorageAfterDays?: number };
  TargetBackupVault: unknown;
  CopyActions?: Array<{ DestinationBackupVaultArn: unknown; Lifecycle: { DeleteAfterDays: number } }>;
};

/** The rules of the stack's one backup plan. */
function rulesOf(template: Template): Rule[] {
  const [, plan] = onlyResource(template, 'AWS::Backup::BackupPlan');
  return (plan.Properties.BackupPlan as { BackupPlanRule: Rule[] }).BackupPlanRule;
}

/** The statements of the one vault's access policy. */
function vaultPolicyOf(template: Template): Statement[] {
  const [, vault] = onlyResource(template, 'AWS::Backup::BackupVault');
  return (vault.Properties.AccessPolicy as { Statement: Statement[] }).Statement;
}

describe('the backup of the tables', () => {
  let template: Template;

  beforeAll(() => {
    template = appTemplates().stateful;
  });

  it('backs up daily at 05:00 UTC into the stack vault and keeps each recovery point 35 days', () => {
    const vaultId = logicalIdOf(template, 'AWS::Backup::BackupVault', 'BackupVault');

    expect(rulesOf(template)).toEqual([
      {
        RuleName: 'Daily',
        ScheduleExpression: 'cron(0 5 * * ? *)',
        Lifecycle: { DeleteAfterDays: 35 },
        TargetBackupVault: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] },
      },
    ]);
  });

  it('copies nothing elsewhere unless backupCopyVaultArn is given', () => {
    const [rule] = rulesOf(template);

    expect(rule?.CopyActions).toBeUndefined();
  });

  it('selects exactly the Reviews, Notifications and Idempotency tables, by ARN', () => {
    const [, selection] = onlyResource(template, 'AWS::Backup::BackupSelection');
    const tableArns = ['ReviewsTable', 'NotificationsTable', 'IdempotencyTable'].map((id) => ({
      'Fn::GetAtt': [logicalIdOf(template, 'AWS::DynamoDB::Table', id), 'Arn'],
    }));

    const selected = selection.Properties.BackupSelection as { Resources: unknown[]; ListOfTags?: unknown };

    expect(selected.Resources).toHaveLength(3);
    expect(selected.Resources).toEqual(expect.arrayContaining(tableArns));
    expect(selected.ListOfTags).toBeUndefined();
    template.resourceCountIs('AWS::DynamoDB::Table', 3);
  });

  it('backs up and restores with a role only AWS Backup can assume, holding AWS Backup policies', () => {
    const [, selection] = onlyResource(template, 'AWS::Backup::BackupSelection');
    const roleId = logicalIdOf(template, 'AWS::IAM::Role', 'BackupServiceRole');
    const [, role] = onlyResource(template, 'AWS::IAM::Role', {
      Properties: { Description: Match.stringLikeRegexp('^AWS Backup backs up') },
    });

    expect((selection.Properties.BackupSelection as { IamRoleArn: unknown }).IamRoleArn).toEqual({
      'Fn::GetAtt': [roleId, 'Arn'],
    });
    expect(role.Properties.AssumeRolePolicyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' } },
      ],
    });
    expect(JSON.stringify(role.Properties.ManagedPolicyArns)).toMatch(
      /service-role\/AWSBackupServiceRolePolicyForBackup".*service-role\/AWSBackupServiceRolePolicyForRestores"/,
    );
  });

  it('encrypts the vault with the AWS managed key and creates no KMS key to lose', () => {
    const [, vault] = onlyResource(template, 'AWS::Backup::BackupVault');

    expect(vault.Properties.EncryptionKeyArn).toBeUndefined();
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  it('retains the vault, and leaves its name to CDK with the stage in it', () => {
    const [, vault] = onlyResource(template, 'AWS::Backup::BackupVault');

    expect(vault.DeletionPolicy).toBe('Retain');
    template.hasResource('AWS::Backup::BackupVault', { UpdateReplacePolicy: 'Retain' });
    expect(vault.Properties.BackupVaultName).toMatch(/^UntocReviewTrackerdevStatefulBackupVault[0-9A-F]{8}$/);
  });

  it('denies deleting or shortening a recovery point to every principal but the break-glass role', () => {
    const breakGlassId = logicalIdOf(template, 'AWS::IAM::Role', 'BackupBreakGlassRole');

    expect(vaultPolicyOf(template)).toEqual([
      {
        Sid: 'DenyRecoveryPointDeletionExceptBreakGlass',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'],
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': { 'Fn::GetAtt': [breakGlassId, 'Arn'] } } },
      },
    ]);
  });

  it('lets the break-glass role, assumable from the account for an hour, do only those two things', () => {
    const breakGlassId = logicalIdOf(template, 'AWS::IAM::Role', 'BackupBreakGlassRole');
    const role = template.findResources('AWS::IAM::Role')[breakGlassId] as {
      Properties: {
        AssumeRolePolicyDocument: { Statement: Statement[] };
        MaxSessionDuration: number;
        ManagedPolicyArns?: unknown;
        Policies: Array<{ PolicyDocument: { Statement: Statement[] } }>;
      };
    };

    const [trust] = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(JSON.stringify(trust?.Principal)).toMatch(/":iam::",\{"Ref":"AWS::AccountId"\},":root"/);
    expect(role.Properties.MaxSessionDuration).toBe(3600);
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    const statements = role.Properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toEqual([
      'backup:DeleteRecoveryPoint',
      'backup:UpdateRecoveryPointLifecycle',
    ]);
    expect(JSON.stringify(statements[0]?.Resource)).toMatch(/":recovery-point:\*"\]\]\}$/);
    expect(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: breakGlassId }] } }),
    ).toEqual({});
  });

  it('outputs the vault name and ARN, the restore role and the break-glass role', () => {
    const vaultId = logicalIdOf(template, 'AWS::Backup::BackupVault', 'BackupVault');

    template.hasOutput('BackupVaultName', { Value: { 'Fn::GetAtt': [vaultId, 'BackupVaultName'] } });
    template.hasOutput('BackupVaultArn', { Value: { 'Fn::GetAtt': [vaultId, 'BackupVaultArn'] } });
    template.hasOutput('BackupServiceRoleArn', {
      Value: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::IAM::Role', 'BackupServiceRole'), 'Arn'] },
    });
    template.hasOutput('BackupBreakGlassRoleArn', {
      Value: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::IAM::Role', 'BackupBreakGlassRole'), 'Arn'] },
    });
  });

  it('names the plan after the stack, so each stage has its own in the console', () => {
    const [, plan] = onlyResource(template, 'AWS::Backup::BackupPlan');

    expect((plan.Properties.BackupPlan as { BackupPlanName: string }).BackupPlanName).toBe(
      'UntocReviewTracker-dev-Stateful',
    );
  });

  describe('with backupCopyVaultArn', () => {
    it('copies each recovery point to that vault, kept 35 days there too', () => {
      const { stateful } = appTemplates({ backupCopyVaultArn: COPY_VAULT_ARN });

      const [rule] = rulesOf(stateful);

      expect(rule?.CopyActions).toEqual([
        { DestinationBackupVaultArn: COPY_VAULT_ARN, Lifecycle: { DeleteAfterDays: 35 } },
      ]);
    });

    it("lets the copy vault's account copy recovery points back into the stack vault, for a restore", () => {
      const { stateful } = appTemplates({ backupCopyVaultArn: COPY_VAULT_ARN });

      const allowed = vaultPolicyOf(stateful).filter((statement) => statement.Effect === 'Allow');

      expect(allowed).toEqual([
        {
          Sid: 'AllowCopyBackFromCopyVaultAccount',
          Effect: 'Allow',
          Principal: {
            AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111122223333:root']] },
          },
          Action: 'backup:CopyIntoBackupVault',
          Resource: '*',
        },
      ]);
    });

    it('takes a vault in another partition, Region and account', () => {
      const arn = 'arn:aws-us-gov:backup:us-gov-west-1:444455556666:backup-vault:Untoc_Copies-2';

      const [rule] = rulesOf(appTemplates({ backupCopyVaultArn: arn }).stateful);

      expect(rule?.CopyActions?.[0]?.DestinationBackupVaultArn).toBe(arn);
    });

    it.each([
      ['not an ARN', 'untoc-copies'],
      ['another service', 'arn:aws:s3:::untoc-copies'],
      ['a recovery point', 'arn:aws:backup:eu-west-1:111122223333:recovery-point:1EB3B5E7'],
      ['no account', 'arn:aws:backup:eu-west-1::backup-vault:untoc-copies'],
      ['no Region', 'arn:aws:backup::111122223333:backup-vault:untoc-copies'],
      ['a name AWS Backup refuses', 'arn:aws:backup:eu-west-1:111122223333:backup-vault:untoc copies'],
    ])('fails the synth naming backupCopyVaultArn on %s', (_case, value) => {
      expect(() => buildApp({ ...SKIP_BUNDLING, backupCopyVaultArn: value })).toThrow(
        /^context backupCopyVaultArn must be a backup vault ARN \(arn:aws:backup:<region>:<account>:backup-vault:<name>\), got '/,
      );
    });

    it('refuses it with retainData=false, which has no plan to copy from', () => {
      expect(() =>
        buildApp({ ...SKIP_BUNDLING, retainData: 'false', backupCopyVaultArn: COPY_VAULT_ARN }),
      ).toThrow(/backupCopyVaultArn is refused with retainData=false/);
    });
  });

  describe('per stage', () => {
    it('always backs up prod, and retains its vault', () => {
      const { stateful } = appTemplates(PROD);

      stateful.resourceCountIs('AWS::Backup::BackupPlan', 1);
      stateful.resourceCountIs('AWS::Backup::BackupSelection', 1);
      const [, vault] = onlyResource(stateful, 'AWS::Backup::BackupVault');
      expect(vault.DeletionPolicy).toBe('Retain');
      expect(vault.Properties.BackupVaultName).toMatch(/^UntocReviewTrackerprodStatefulBackupVault/);
    });

    it('backs up nothing in a throwaway stage (retainData=false): no plan, vault, role or output', () => {
      const { stateful } = appTemplates({ stage: 'pr-42', retainData: 'false' });

      stateful.resourceCountIs('AWS::Backup::BackupPlan', 0);
      stateful.resourceCountIs('AWS::Backup::BackupSelection', 0);
      stateful.resourceCountIs('AWS::Backup::BackupVault', 0);
      const ids = [
        ...Object.keys(stateful.findResources('AWS::IAM::Role')),
        ...Object.keys(stateful.findOutputs('*')),
      ];
      expect(ids.filter((id) => id.startsWith('Backup'))).toEqual([]);
    });

    it('exports nothing of the backup: the stateless stack does not depend on it', () => {
      const { stateful } = appTemplates({ backupCopyVaultArn: COPY_VAULT_ARN });

      const backupOutputs = Object.entries(stateful.findOutputs('*')).filter(([key]) =>
        key.startsWith('Backup'),
      );

      expect(backupOutputs.map(([key]) => key).sort()).toEqual(
        ['BackupBreakGlassRoleArn', 'BackupServiceRoleArn', 'BackupVaultArn', 'BackupVaultName'].sort(),
      );
      for (const [, output] of backupOutputs) expect(output.Export).toBeUndefined();
    });
  });
});
