import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { resourcesOfType, type StackTemplate, type TemplateResolver } from './template.ts';

/**
 * Creates the template's SQS queues in the emulator as declared (visibility timeout,
 * retention, delay, FIFO, redrive to their DLQ) and registers each one's `Ref` (URL) and
 * `Arn`/`QueueName`/`QueueUrl` attributes. Encryption settings have no local meaning.
 */
export async function createQueuesFromTemplate(
  sqs: SQSClient,
  stacks: StackTemplate[],
  resolver: TemplateResolver,
): Promise<Map<string, { url: string; arn: string }>> {
  const queues = new Map<string, { url: string; arn: string }>();
  const declared = resourcesOfType(stacks, 'AWS::SQS::Queue');
  for (const { stackName, logicalId, resource } of declared) {
    const props = resource.Properties ?? {};
    const fifo = props.FifoQueue === true || props.FifoQueue === 'true';
    const name = typeof props.QueueName === 'string' ? props.QueueName : `${logicalId}${fifo ? '.fifo' : ''}`;
    const attributes: Record<string, string> = {};
    for (const key of [
      'VisibilityTimeout',
      'MessageRetentionPeriod',
      'DelaySeconds',
      'ReceiveMessageWaitTimeSeconds',
    ]) {
      if (props[key] !== undefined) attributes[key] = String(props[key]);
    }
    if (fifo) attributes.FifoQueue = 'true';
    if (props.ContentBasedDeduplication !== undefined)
      attributes.ContentBasedDeduplication = String(props.ContentBasedDeduplication);
    const created = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const url = created.QueueUrl ?? '';
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
    );
    const arn = attrs.Attributes?.QueueArn ?? '';
    resolver.register(stackName, logicalId, {
      ref: url,
      attributes: { Arn: arn, QueueName: name, QueueUrl: url },
    });
    queues.set(`${stackName}/${logicalId}`, { url, arn });
  }
  // Redrive once every queue exists: a policy names its DLQ by ARN.
  for (const { stackName, logicalId, resource } of declared) {
    const redrive = resource.Properties?.RedrivePolicy as
      | { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown }
      | undefined;
    if (!redrive) continue;
    const url = queues.get(`${stackName}/${logicalId}`)?.url ?? '';
    const policy = {
      deadLetterTargetArn: resolver.resolveString(stackName, redrive.deadLetterTargetArn),
      maxReceiveCount: Number(redrive.maxReceiveCount),
    };
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { RedrivePolicy: JSON.stringify(policy) } }),
    );
  }
  return queues;
}
