import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import {
  BackupPlan,
  BackupPlanRule,
  BackupResource,
  BackupVault,
  type IBackupVault,
} from 'aws-cdk-lib/aws-backup';
import {
  AccountRecovery,
  type CfnUserPool,
  CfnUserPoolGroup,
  FeaturePlan,
  type IUserPool,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
  type TableProps,
} from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import {
  AccountPrincipal,
  AccountRootPrincipal,
  AnyPrincipal,
  Effect,
  PolicyDocument,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  DkimIdentity,
  EmailIdentity,
  type IConfigurationSet,
  Identity,
} from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { type CfnQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  MAIL_QUEUE_MAX_RECEIVE_COUNT,
  MAIL_QUEUE_VISIBILITY_TIMEOUT_SECONDS,
  NOTIFICATIONS_DUE_INDEX,
  QUEUE_IDS,
  REVIEWS_INDEXES,
  ROLE_GROUPS,
} from './topology.ts';

/** How long a dead-letter queue keeps a message: the SQS maximum, time to investigate. */
const DLQ_RETENTION = Duration.days(14);
/**
 * How long a mail queue keeps a message. Shorter than the dead-letter queues' retention, as
 * AWS advises: a message keeps its original enqueue time when it is moved to its DLQ.
 */
const MAIL_QUEUE_RETENTION = Duration.days(4);
/** How long a recovery point of the tables is kept, in the plan's vault and in the copy vault (DESIGN §8). */
export const BACKUP_RETENTION = Duration.days(35);
/** When the daily backup starts: 05:00 UTC, a quiet hour before the day's 09:00 (Vienna) sends. */
const BACKUP_SCHEDULE = Schedule.cron({ hour: '5', minute: '0' });
/** What only the break-glass role may do to a recovery point of the vault. */
const RECOVERY_POINT_DELETION_ACTIONS = ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'];

/** An OpenID Connect identity provider whose JWTs the API accepts. */
export interface OidcIdentityProvider {
  /** The issuer URL, matched against the token's `iss` claim. */
  readonly issuer: string;
  /** Accepted audiences, matched against the token's `aud` (or `client_id`) claim. */
  readonly audience: readonly string[];
}

/**
 * What the stateless stack is given of the stateful one, as one typed prop: the tables, queues,
 * secrets, the e-mail configuration and whose tokens the API accepts.
 */
export interface StatefulResources {
  readonly tables: { readonly reviews: ITable; readonly notifications: ITable; readonly idempotency: ITable };
  readonly queues: {
    readonly focalPointMail: IQueue;
    readonly focalPointMailDlq: IQueue;
    readonly escalation: IQueue;
    readonly escalationDlq: IQueue;
    readonly plannerDlq: IQueue;
    readonly feedbackDlq: IQueue;
  };
  readonly secrets: { readonly signing: ISecret };
  readonly email: {
    /** Every e-mail is sent with it: TLS required, reputation metrics on. */
    readonly configurationSet: IConfigurationSet;
    /** The SES identities the mail functions may send from (and nothing else). */
    readonly senderIdentityArns: readonly string[];
  };
  readonly identityProvider: OidcIdentityProvider;
  /**
   * The officers' user pool, when this stack creates one: the stateless stack adds the console's
   * Hosted UI domain and app client to it (they name the console's URL, which lives there).
   */
  readonly userPool: IUserPool | undefined;
}

/** Properties of the {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  /**
   * Keep the data when the stack, a table, a queue or the user pool is deleted: `RETAIN`
   * plus deletion protection where the resource has it. Set to `false` only for throwaway
   * stages (context `retainData=false`).
   * @default true
   */
  readonly retainData?: boolean;
  /**
   * An organisation's own identity provider. When given, no user pool is created.
   * @default - a Cognito user pool created by this stack issues the tokens
   */
  readonly externalIdentityProvider?: OidcIdentityProvider;
  /**
   * The `From` address of every e-mail. Unless `senderDomain` is given, operators verify it (or
   * its domain) in SES themselves.
   */
  readonly senderEmail: string;
  /**
   * A domain to create an SES identity for (Easy DKIM); `senderEmail` must be an address of it.
   * Sending is then allowed from that identity only.
   * @default - no identity is created; sending is allowed from the identity of `senderEmail` or of
   *   its domain, whichever operators verify
   */
  readonly senderDomain?: string;
  /**
   * A backup vault (`arn:aws:backup:<region>:<account>:backup-vault:<name>`, another Region or
   * account of the organisation) that receives a copy of every recovery point, kept
   * {@link BACKUP_RETENTION}. Needs `retainData`: a throwaway stage has no backup plan.
   * @default - recovery points stay in this stack's vault only
   */
  readonly backupCopyVaultArn?: string;
}

/** The AWS Backup plan of the tables, its vault and the roles that act on its recovery points. */
export interface TableBackup {
  /** Daily, kept {@link BACKUP_RETENTION}, optionally copied to `backupCopyVaultArn`. */
  readonly plan: BackupPlan;
  /**
   * Holds the recovery points (AWS managed key `aws/backup`); retained with the data. Its access
   * policy denies deleting or shortening a recovery point to everyone but {@link breakGlassRole}.
   */
  readonly vault: BackupVault;
  /** The role AWS Backup backs the tables up with; pass it to `start-restore-job` to restore. */
  readonly serviceRole: Role;
  /** The one principal the vault lets delete or shorten a recovery point (assumed by the account's admins). */
  readonly breakGlassRole: Role;
}

/**
 * The data of the app: the Reviews, Notifications and Idempotency tables, the queues
 * holding notifications on their way out (messages are data too) and, unless an external
 * identity provider is configured, the Cognito user pool (its users are data too).
 * Deployed and retained independently of the functions and the API, which receive tables,
 * queues and the identity provider as props.
 */
export class StatefulStack extends Stack {
  /**
   * Reviews, their history events, focal points and the pause/extension ledger; its stream
   * (new and old images) is the outbox of the planner.
   */
  public readonly reviewsTable: Table;
  /** One item per planned notification; the sparse `due` index holds those waiting to be sent. */
  public readonly notificationsTable: Table;
  /** Powertools idempotency records (`id` key, `expiration` TTL). */
  public readonly idempotencyTable: Table;
  /**
   * The tables' AWS Backup plan and vault, when the data is retained (`retainData`, always in
   * `prod`). A throwaway stage has none: its data is destroyed on teardown anyway, and a vault
   * holding recovery points would make the teardown fail.
   */
  public readonly backup: TableBackup | undefined;
  /** Mail to focal points (stage notices, reminders, overdue notices), consumed by the mailer. */
  public readonly focalPointMailQueue: Queue;
  /** Dead-letter queue of the focal-point mail queue. */
  public readonly focalPointMailDlq: Queue;
  /** Escalations to the Secretariat, consumed by the escalator. */
  public readonly escalationQueue: Queue;
  /** Dead-letter queue of the escalation queue. */
  public readonly escalationDlq: Queue;
  /**
   * On-failure destination of the planner's stream event source mapping: records of the
   * stream batches the planner gave up on (shard, sequence numbers), for a replay.
   */
  public readonly plannerDlq: Queue;
  /**
   * On-failure destination of the feedback function's asynchronous invocations: the
   * invocation records (SES bounce or complaint event as `requestPayload`) of the events the
   * function still failed on after Lambda's retries, for a replay.
   */
  public readonly feedbackDlq: Queue;
  /**
   * The deployment's signing secret (generated): the API signs its listing cursors with it, so
   * a cursor it did not issue is refused (DESIGN §4).
   */
  public readonly signingSecret: Secret;
  /**
   * The configuration set every e-mail is sent with: TLS required, reputation metrics. Lives here
   * with the identity, so replacing the stateless stack never deletes a verified identity.
   */
  public readonly configurationSet: ConfigurationSet;
  /** The sender domain's SES identity, when `senderDomain` is given. */
  public readonly senderIdentity: EmailIdentity | undefined;
  /** Everything the stateless stack is given, as one typed prop. */
  public readonly resources: StatefulResources;
  /** The user pool of the Secretariat's officers, when this stack creates one. */
  public readonly userPool: UserPool | undefined;
  /** The Secretariat tooling's app client, when this stack creates a user pool. */
  public readonly userPoolClient: UserPoolClient | undefined;
  /**
   * Whose tokens the API accepts: the external identity provider when one is given,
   * otherwise the user pool's issuer URL and the app client as the one audience.
   */
  public readonly identityProvider: OidcIdentityProvider;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const retainData = props.retainData ?? true;
    const common: Pick<
      TableProps,
      | 'billingMode'
      | 'encryption'
      | 'pointInTimeRecoverySpecification'
      | 'removalPolicy'
      | 'deletionProtection'
    > = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: retainData,
    };

    this.reviewsTable = new Table(this, 'ReviewsTable', {
      ...common,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    this.reviewsTable.addGlobalSecondaryIndex({
      indexName: REVIEWS_INDEXES.list,
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.reviewsTable.addGlobalSecondaryIndex({
      indexName: REVIEWS_INDEXES.openDeadlines,
      partitionKey: { name: 'gsi2pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi2sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    this.notificationsTable = new Table(this, 'NotificationsTable', {
      ...common,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
    });
    // Sparse: only items carrying `duePk`/`dueAt` (those still waiting) appear in it.
    this.notificationsTable.addGlobalSecondaryIndex({
      indexName: NOTIFICATIONS_DUE_INDEX,
      partitionKey: { name: 'duePk', type: AttributeType.STRING },
      sortKey: { name: 'dueAt', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    // The layout Powertools' DynamoDBPersistenceLayer uses by default.
    this.idempotencyTable = new Table(this, 'IdempotencyTable', {
      ...common,
      partitionKey: { name: 'id', type: AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
    });
    if (!retainData && props.backupCopyVaultArn !== undefined) {
      throw new Error(
        'backupCopyVaultArn is refused with retainData=false: a stage whose data is destroyed on teardown has no backup plan to copy from',
      );
    }
    this.backup = retainData
      ? this.createTableBackup(
          [this.reviewsTable, this.notificationsTable, this.idempotencyTable],
          props.backupCopyVaultArn,
        )
      : undefined;

    const queueRemovalPolicy = retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    this.focalPointMailDlq = this.deadLetterQueue(QUEUE_IDS.focalPointMailDlq, queueRemovalPolicy);
    this.focalPointMailQueue = this.mailQueue(
      QUEUE_IDS.focalPointMail,
      this.focalPointMailDlq,
      queueRemovalPolicy,
    );
    this.escalationDlq = this.deadLetterQueue(QUEUE_IDS.escalationDlq, queueRemovalPolicy);
    this.escalationQueue = this.mailQueue(QUEUE_IDS.escalation, this.escalationDlq, queueRemovalPolicy);
    this.plannerDlq = this.deadLetterQueue(QUEUE_IDS.plannerDlq, queueRemovalPolicy);
    Validations.of(this.plannerDlq.node.defaultChild as CfnQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'PlannerDlq is itself a dead-letter queue: the on-failure destination of the planner stream event ' +
        'source mapping (in the stateless stack), which cdk-nag does not recognise as a DLQ use. It has no ' +
        'consumer to fail, and its depth is alarmed.',
    });
    this.feedbackDlq = this.deadLetterQueue(QUEUE_IDS.feedbackDlq, queueRemovalPolicy);
    Validations.of(this.feedbackDlq.node.defaultChild as CfnQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "FeedbackDlq is itself a dead-letter queue: the on-failure destination of the feedback function's " +
        'asynchronous invocations (in the stateless stack), which cdk-nag does not recognise as a DLQ use. It ' +
        'has no consumer to fail, and its depth is alarmed.',
    });

    new CfnOutput(this, 'FocalPointQueueUrl', {
      value: this.focalPointMailQueue.queueUrl,
      description: 'Focal-point mail queue (consumed by the mailer)',
    });
    new CfnOutput(this, 'EscalationQueueUrl', {
      value: this.escalationQueue.queueUrl,
      description: 'Escalation queue (consumed by the escalator)',
    });
    new CfnOutput(this, 'FocalPointMailDlqUrl', {
      value: this.focalPointMailDlq.queueUrl,
      description: 'Dead-letter queue of the focal-point mail queue: redrive after fixing the cause',
    });
    new CfnOutput(this, 'EscalationDlqUrl', {
      value: this.escalationDlq.queueUrl,
      description: 'Dead-letter queue of the escalation queue: redrive after fixing the cause',
    });
    new CfnOutput(this, 'PlannerDlqUrl', {
      value: this.plannerDlq.queueUrl,
      description: 'Stream batches the planner gave up on (shard and sequence numbers, for a replay)',
    });
    new CfnOutput(this, 'FeedbackDlqUrl', {
      value: this.feedbackDlq.queueUrl,
      description:
        'SES feedback events the feedback function gave up on (invocation records: replay the requestPayload)',
    });

    this.signingSecret = new Secret(this, 'SigningSecret', {
      description: 'Signs what the UNTOC review tracker API hands out (listing cursors)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    Validations.of(this.signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A generated HMAC key, not a credential of another system: nothing to rotate it against. Replacing it ' +
        '(secretsmanager rotate-secret with a generated value, or put-secret-value) only invalidates the ' +
        'listing cursors handed out before, which clients answer by listing again from the first page.',
    });

    if (props.externalIdentityProvider) {
      this.userPool = undefined;
      this.userPoolClient = undefined;
      this.identityProvider = props.externalIdentityProvider;
    } else {
      const { userPool, client } = this.createUserPool(retainData);
      this.userPool = userPool;
      this.userPoolClient = client;
      this.identityProvider = {
        issuer: `https://cognito-idp.${this.region}.amazonaws.com/${userPool.userPoolId}`,
        audience: [client.userPoolClientId],
      };
      new CfnOutput(this, 'UserPoolId', {
        value: userPool.userPoolId,
        description: 'User pool of the Secretariat officers (create users and add them to a group here)',
      });
      new CfnOutput(this, 'UserPoolClientId', {
        value: client.userPoolClientId,
        description: "App client of the Secretariat's tooling (SRP sign-in, no secret)",
      });
    }

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
    });
    this.senderIdentity = this.createSenderIdentity(props.senderEmail, props.senderDomain);
    const senderIdentityArns = this.senderIdentity
      ? [this.senderIdentity.emailIdentityArn]
      : // Operators verify either the address or its domain; SES authorises a send against
        // whichever identity it uses, so both ARNs are named (and nothing else).
        [this.sesIdentityArn(props.senderEmail), this.sesIdentityArn(domainOf(props.senderEmail))];
    new CfnOutput(this, 'SesConfigurationSetName', {
      value: this.configurationSet.configurationSetName,
      description: 'SES configuration set every e-mail is sent with (bounce and complaint events go to SNS)',
    });
    new CfnOutput(this, 'SesSenderIdentity', {
      value: props.senderDomain ?? props.senderEmail,
      description: this.senderIdentity
        ? 'SES domain identity created by this stack: publish the three DKIM CNAME records (outputs ' +
          'DkimRecord1..3) before sending; leave the SES sandbox for mail to unverified recipients'
        : 'No SES identity is created: verify this sender address (or its domain) in SES before ' +
          'sending, and leave the SES sandbox for mail to unverified recipients',
    });
    this.senderIdentity?.dkimRecords.forEach((record, i) => {
      new CfnOutput(this, `DkimRecord${i + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DKIM record ${i + 1} of 3 of the sender domain: publish it in the domain's DNS`,
      });
    });

    if (this.userPool) {
      // Invitations and password resets go out through the organisation's own SES identity and
      // configuration set (its bounces and complaints are watched), not Cognito's default
      // sender with its daily cap and foreign From address. Set on the L1 here because the
      // identity is created after the pool.
      const cfnPool = this.userPool.node.defaultChild as CfnUserPool;
      cfnPool.emailConfiguration = {
        emailSendingAccount: 'DEVELOPER',
        from: `UNTOC review tracker <${props.senderEmail}>`,
        sourceArn: this.senderIdentity?.emailIdentityArn ?? this.sesIdentityArn(props.senderEmail),
        configurationSet: this.configurationSet.configurationSetName,
      };
    }

    this.resources = {
      tables: {
        reviews: this.reviewsTable,
        notifications: this.notificationsTable,
        idempotency: this.idempotencyTable,
      },
      queues: {
        focalPointMail: this.focalPointMailQueue,
        focalPointMailDlq: this.focalPointMailDlq,
        escalation: this.escalationQueue,
        escalationDlq: this.escalationDlq,
        plannerDlq: this.plannerDlq,
        feedbackDlq: this.feedbackDlq,
      },
      secrets: { signing: this.signingSecret },
      email: { configurationSet: this.configurationSet, senderIdentityArns },
      identityProvider: this.identityProvider,
      userPool: this.userPool,
    };
  }

  /**
   * AWS Backup for the tables, on top of their point-in-time recovery: a daily recovery point of
   * each, kept {@link BACKUP_RETENTION} in a vault of this stack and, when `copyVaultArn` is given,
   * copied to that vault (another Region or account survives the loss of this one).
   *
   * The vault uses the AWS managed key (`aws/backup`): with AWS Backup's advanced DynamoDB
   * features the recovery points are encrypted with the vault's key, and an AWS managed key
   * cannot be deleted or have its policy changed, so no one in the account can make the backups
   * unreadable, and there is no key policy to keep in step with a copy destination (the tables
   * themselves use AWS managed keys too).
   */
  private createTableBackup(tables: readonly Table[], copyVaultArn: string | undefined): TableBackup {
    const breakGlassRole = new Role(this, 'BackupBreakGlassRole', {
      description:
        'Break glass: the only principal that may delete or shorten a recovery point of the tables backup vault',
      // Who may assume it is the account's IAM policies' decision (grant sts:AssumeRole to the few).
      assumedBy: new AccountRootPrincipal(),
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        RecoveryPointDeletion: new PolicyDocument({
          statements: [
            new PolicyStatement({
              actions: RECOVERY_POINT_DELETION_ACTIONS,
              // Recovery point ARNs carry no vault; the vault policy below is what scopes it.
              resources: [
                this.formatArn({
                  service: 'backup',
                  resource: 'recovery-point',
                  resourceName: '*',
                  arnFormat: ArnFormat.COLON_RESOURCE_NAME,
                }),
              ],
            }),
          ],
        }),
      },
    });
    Validations.of(breakGlassRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:backup:<AWS::Region>:<AWS::AccountId>:recovery-point:*]',
      reason:
        'backup:DeleteRecoveryPoint and backup:UpdateRecoveryPointLifecycle act on recovery points, whose ARNs are ' +
        'generated per backup and carry no vault name, so no narrower ARN exists. The vault access policy is what ' +
        'scopes them: it denies both actions on its recovery points to every principal but this role.',
    });
    const vault = new BackupVault(this, 'BackupVault', {
      // Recovery points outlive the stack like the tables do; the vault is only created for
      // stages whose data is retained.
      removalPolicy: RemovalPolicy.RETAIN,
      accessPolicy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'DenyRecoveryPointDeletionExceptBreakGlass',
            effect: Effect.DENY,
            principals: [new AnyPrincipal()],
            actions: RECOVERY_POINT_DELETION_ACTIONS,
            resources: ['*'],
            conditions: { ArnNotEquals: { 'aws:PrincipalArn': breakGlassRole.roleArn } },
          }),
        ],
      }),
    });
    const copyVault: IBackupVault | undefined =
      copyVaultArn === undefined
        ? undefined
        : BackupVault.fromBackupVaultArn(this, 'BackupCopyVault', copyVaultArn);
    if (copyVault) {
      // Restoring from the copy starts with copying its recovery point back into this vault
      // (`start-copy-job` run in the copy's account), which the vault must accept.
      vault.addToAccessPolicy(
        new PolicyStatement({
          sid: 'AllowCopyBackFromCopyVaultAccount',
          principals: [new AccountPrincipal(copyVault.env.account)],
          actions: ['backup:CopyIntoBackupVault'],
          resources: ['*'],
        }),
      );
    }
    const plan = new BackupPlan(this, 'BackupPlan', {
      // A display name (plans are identified by id), with the stage in it, for the console.
      backupPlanName: this.stackName,
      backupVault: vault,
      backupPlanRules: [
        new BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: BACKUP_SCHEDULE,
          deleteAfter: BACKUP_RETENTION,
          ...(copyVault
            ? { copyActions: [{ destinationBackupVault: copyVault, deleteAfter: BACKUP_RETENTION }] }
            : {}),
        }),
      ],
    });
    const serviceRole = new Role(this, 'BackupServiceRole', {
      description: 'AWS Backup backs up (and restores) the tables of the UNTOC review tracker with it',
      assumedBy: new ServicePrincipal('backup.amazonaws.com'),
    });
    // Attaches AWS's own backup and restore policies to the role.
    plan.addSelection('Tables', {
      resources: tables.map((table) => BackupResource.fromDynamoDbTable(table)),
      role: serviceRole,
      allowRestores: true,
    });
    for (const policy of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores']) {
      Validations.of(serviceRole).acknowledge({
        id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/${policy}]`,
        reason:
          `${policy} is the policy AWS Backup documents for its service role and maintains as the service ` +
          'changes (advanced DynamoDB backups, copy jobs); a hand-written copy could silently stop backups or ' +
          'restores. The role is assumable by backup.amazonaws.com only.',
      });
    }

    new CfnOutput(this, 'BackupVaultName', {
      value: vault.backupVaultName,
      description: 'AWS Backup vault of the daily recovery points of the tables (kept 35 days)',
    });
    new CfnOutput(this, 'BackupVaultArn', {
      value: vault.backupVaultArn,
      description: 'ARN of the AWS Backup vault of the tables',
    });
    new CfnOutput(this, 'BackupServiceRoleArn', {
      value: serviceRole.roleArn,
      description: 'Role to pass to aws backup start-restore-job (--iam-role-arn) to restore a table',
    });
    new CfnOutput(this, 'BackupBreakGlassRoleArn', {
      value: breakGlassRole.roleArn,
      description: 'The only principal allowed to delete or shorten a recovery point of the vault',
    });
    return { plan, vault, serviceRole, breakGlassRole };
  }

  /** The domain identity (Easy DKIM) when `senderDomain` is given; none otherwise. */
  private createSenderIdentity(
    senderEmail: string,
    senderDomain: string | undefined,
  ): EmailIdentity | undefined {
    if (senderDomain === undefined) return undefined;
    const domain = domainOf(senderEmail);
    if (domain !== senderDomain.toLowerCase()) {
      throw new Error(`senderEmail '${senderEmail}' must be an address of senderDomain '${senderDomain}'`);
    }
    return new EmailIdentity(this, 'SenderIdentity', {
      identity: Identity.domain(senderDomain),
      dkimIdentity: DkimIdentity.easyDkim(),
      configurationSet: this.configurationSet,
    });
  }

  /** The ARN of an SES identity (address or domain) in this account and region. */
  private sesIdentityArn(identity: string): string {
    return this.formatArn({ service: 'ses', resource: 'identity', resourceName: identity });
  }

  /**
   * Secretariat officers only, created by an administrator. MFA is required (TOTP, no SMS):
   * the API exposes which States are late, which the mechanism keeps confidential
   * (DESIGN.md section 2), and the users are a handful of officers who can enrol an app.
   */
  private createUserPool(retainData: boolean): { userPool: UserPool; client: UserPoolClient } {
    const userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: retainData,
    });
    for (const group of ROLE_GROUPS) {
      new CfnUserPoolGroup(this, `Group-${group}`, {
        userPoolId: userPool.userPoolId,
        groupName: group,
        description:
          group === 'secretariat' ? 'Secretariat officers: read and write' : 'Secretariat staff: read only',
      });
    }
    const client = userPool.addClient('SecretariatToolingClient', {
      generateSecret: false,
      // Command-line tooling signs in with SRP; no hosted UI, so no OAuth flows or callback URLs.
      authFlows: { userSrp: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });
    return { userPool, client };
  }

  /**
   * A queue of outgoing mail: SQS-managed encryption, TLS only, and a dead-letter queue after
   * {@link MAIL_QUEUE_MAX_RECEIVE_COUNT} receives. Its visibility timeout is six times the
   * consumer's timeout (shared constant in `topology.ts`).
   */
  private mailQueue(id: string, deadLetterQueue: Queue, removalPolicy: RemovalPolicy): Queue {
    return new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(MAIL_QUEUE_VISIBILITY_TIMEOUT_SECONDS),
      retentionPeriod: MAIL_QUEUE_RETENTION,
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: MAIL_QUEUE_MAX_RECEIVE_COUNT },
      removalPolicy,
    });
  }

  /** A dead-letter queue: SQS-managed encryption, TLS only, 14 days' retention. */
  private deadLetterQueue(id: string, removalPolicy: RemovalPolicy): Queue {
    return new Queue(this, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
      removalPolicy,
    });
  }
}

/** The domain part of an e-mail address, lower-cased. */
function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}
