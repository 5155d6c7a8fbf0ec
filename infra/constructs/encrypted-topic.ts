import { Aws, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Properties of an {@link EncryptedTopic}. */
export interface EncryptedTopicProps {
  /** The AWS service principal that publishes to it (`ses.amazonaws.com`, `cloudwatch.amazonaws.com`). */
  readonly publisher: string;
  readonly displayName: string;
}

/**
 * An SNS topic encrypted with its own customer managed key (SNS cannot use the AWS managed key
 * for messages published by AWS services), TLS only. The publisher, an AWS service principal,
 * may use the key on behalf of this account only; the right to publish is the topic owner's to
 * grant (an SES event destination adds its own statement, the alarms theirs).
 */
export class EncryptedTopic extends Construct {
  public readonly topic: Topic;

  constructor(scope: Construct, id: string, props: EncryptedTopicProps) {
    super(scope, id);
    const key = new Key(this, 'Key', {
      description: `Encrypts the messages of the ${id} SNS topic`,
      enableKeyRotation: true,
      // It protects messages in flight only: nothing stored outlives the topic.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowPublisherServiceToEncryptMessages',
        principals: [new ServicePrincipal(props.publisher)],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: props.displayName,
      masterKey: key,
      enforceSSL: true,
    });
  }
}
