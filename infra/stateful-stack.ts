import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
  type TableProps,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { NOTIFICATIONS_DUE_INDEX, REVIEWS_INDEXES } from './topology.ts';

/** Properties of the {@link StatefulStack}. */
export interface StatefulStackProps extends StackProps {
  /**
   * Keep the data when the stack or a table is deleted: `RETAIN` plus deletion protection.
   * Set to `false` only for throwaway stages (context `retainData=false`).
   * @default true
   */
  readonly retainData?: boolean;
}

/**
 * The data of the app: the Reviews, Notifications and Idempotency tables. Deployed and
 * retained independently of the functions and the API, which receive the tables as props.
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

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
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
  }
}
