import { Duration } from 'aws-cdk-lib';
import { ConfigurationSetEventDestination, EmailSendingEvent, EventDestination } from 'aws-cdk-lib/aws-ses';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
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
 * SES feedback: the configuration set's bounce and complaint events go to an encrypted topic,
 * which invokes the feedback function (mark the address undeliverable, tell the Secretariat).
 * The configuration set and the identity are the stateful stack's; the event destination lives
 * here with the topic it names.
 */
export class MailFeedback extends Construct {
  /** Receives the configuration set's bounce and complaint events; feeds the feedback function. */
  public readonly topic: Topic;
  public readonly function: HouseFunction;

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
    // SNS invokes asynchronously: Lambda's own retries, then the FeedbackDlq, so a bounce the
    // function cannot handle is kept for a replay instead of dropped.
    this.function = manifestFunction(this, feedbackFunction, props.resources).sendAsyncFailuresTo(
      props.feedbackDlq,
      { retryAttempts: 2, maxEventAge: Duration.hours(6) },
    );
    // No subscription dead-letter queue: its queue policy must name this topic, which the
    // stateful FeedbackDlq cannot (a cross-stack cycle). SNS retries a delivery to Lambda for
    // 23 days, and Lambda accepts an event as long as the function and its permission exist.
    this.topic.addSubscription(new LambdaSubscription(this.function.function));
  }
}
