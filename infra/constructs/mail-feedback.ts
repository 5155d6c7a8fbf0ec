import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { DimensionsMap } from 'aws-cdk-lib/aws-cloudwatch';
import {
  CloudWatchDimensionSource,
  ConfigurationSetEventDestination,
  EmailSendingEvent,
  EventDestination,
} from 'aws-cdk-lib/aws-ses';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type CfnQueue, type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { feedbackFunction } from '#shared/manifest/feedback.ts';
import type { HouseFunction } from '../house-function.ts';
import { type BindableResources, manifestFunction } from '../manifest-bindings.ts';
import { EncryptedTopic } from './encrypted-topic.ts';

/** Properties of {@link MailFeedback}. */
export interface MailFeedbackProps {
  readonly resources: BindableResources;
  /** Where the feedback function's failed asynchronous invocations go (kept for a replay). */
  readonly feedbackDlq: IQueue;
}

/**
 * The SES auto-tag every message sent with a configuration set carries, its value the set's name:
 * the one dimension of the sending-event metrics, so they stay one series per event type.
 */
const CONFIGURATION_SET_TAG = 'ses:configuration-set';

/**
 * SES feedback: the configuration set's bounce and complaint events go to an encrypted topic,
 * which invokes the feedback function (mark the address undeliverable, tell the Secretariat);
 * and its sending events are counted in CloudWatch (`AWS/SES`) for the alarms and the dashboard.
 * The configuration set and the identity are the stateful stack's; the event destinations live
 * here with what they feed.
 */
export class MailFeedback extends Construct {
  /** Receives the configuration set's bounce and complaint events; feeds the feedback function. */
  public readonly topic: Topic;
  public readonly function: HouseFunction;
  /** SES feedback events SNS could not deliver to the function (alarmed). */
  public readonly subscriptionDlq: Queue;
  /**
   * The dimensions of the sending-event metrics the configuration set publishes (`AWS/SES`
   * `Send`, `Delivery`, `Reject`, `Bounce`, `Complaint`, `DeliveryDelay`).
   */
  public readonly sendingEventDimensions: DimensionsMap;

  constructor(scope: Construct, id: string, props: MailFeedbackProps) {
    super(scope, id);
    this.topic = new EncryptedTopic(this, 'SesFeedback', {
      publisher: 'ses.amazonaws.com',
      displayName: 'SES bounce and complaint events of the configuration set',
    }).topic;
    new ConfigurationSetEventDestination(this, 'BouncesAndComplaints', {
      configurationSet: props.resources.email.configurationSet,
      destination: EventDestination.snsTopic(this.topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });
    // Unlike the SNS destination above (its topic is this stack's and the topic policy names the
    // configuration set, so it could not be stateful without a cross-stack cycle), this one names
    // nothing but the configuration set and could live in either stack. It lives here, beside the
    // alarms and the dashboard that read its dimension, so the dimension and its readers change
    // in one deployment and the stateful stack exports nothing more.
    const configurationSetName = props.resources.email.configurationSet.configurationSetName;
    this.sendingEventDimensions = { [CONFIGURATION_SET_TAG]: configurationSetName };
    new ConfigurationSetEventDestination(this, 'SendingEventMetrics', {
      configurationSet: props.resources.email.configurationSet,
      destination: EventDestination.cloudWatchDimensions([
        {
          name: CONFIGURATION_SET_TAG,
          source: CloudWatchDimensionSource.MESSAGE_TAG,
          // SES sets the auto-tag on every message sent with the set; the default never applies.
          defaultValue: configurationSetName,
        },
      ]),
      // Rendering failures (templates only), opens, clicks and subscriptions do not apply: raw
      // mail without tracking links. Each event type is one custom metric.
      events: [
        EmailSendingEvent.SEND,
        EmailSendingEvent.DELIVERY,
        EmailSendingEvent.REJECT,
        EmailSendingEvent.BOUNCE,
        EmailSendingEvent.COMPLAINT,
        EmailSendingEvent.DELIVERY_DELAY,
      ],
    });
    // SNS invokes asynchronously: Lambda's own retries, then the FeedbackDlq, so a bounce the
    // function cannot handle is kept for a replay instead of dropped.
    this.function = manifestFunction(this, feedbackFunction, props.resources).sendAsyncFailuresTo(
      props.feedbackDlq,
      { retryAttempts: 2, maxEventAge: Duration.hours(6) },
    );
    // What SNS could not deliver to the function at all (its permission gone, the function
    // deleted) after its own retries. It lives here beside the topic because its queue policy
    // names the topic (the stateful FeedbackDlq cannot: a cross-stack cycle); it holds SES
    // events, so it is kept with the data.
    this.subscriptionDlq = new Queue(this, 'FeedbackSubscriptionDlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.subscriptionDlq.node.defaultChild as CfnQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'FeedbackSubscriptionDlq is itself a dead-letter queue: the redrive target of the SNS subscription of ' +
        'the feedback function, which cdk-nag does not recognise as a DLQ use. It has no consumer, and its ' +
        'depth is alarmed.',
    });
    this.topic.addSubscription(
      new LambdaSubscription(this.function.function, { deadLetterQueue: this.subscriptionDlq }),
    );
  }
}
