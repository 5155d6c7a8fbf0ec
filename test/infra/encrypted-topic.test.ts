import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appTemplates, logicalIdOf, onlyResource, type Statement } from './support/templates.ts';

/**
 * The two `EncryptedTopic`s of the stateless stack: SES feedback (in `MailFeedback`) and the
 * alarm topic (in `OperationalAlarms`), each with its own key that only its publisher may use.
 */
describe('encrypted topics (StatelessStack)', () => {
  let template: Template;

  beforeAll(() => {
    template = appTemplates().stateless;
  });

  it.each([
    ['MailFeedbackSesFeedback', 'SesFeedbackTopic', 'SesFeedbackKey'],
    ['AlarmsAlarm', 'AlarmTopic', 'AlarmKey'],
  ])('encrypts %s with its own rotating key and allows TLS only', (prefix, topic, key) => {
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', topic);
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', key);
    expect(topicId.startsWith(prefix)).toBe(true);
    expect(keyId.startsWith(prefix)).toBe(true);
    expect(template.findResources('AWS::KMS::Key')[keyId]?.Properties.EnableKeyRotation).toBe(true);
    expect(template.findResources('AWS::SNS::Topic')[topicId]?.Properties.KmsMasterKeyId).toEqual({
      'Fn::GetAtt': [keyId, 'Arn'],
    });
    const [, policy] = onlyResource(template, 'AWS::SNS::TopicPolicy', {
      Properties: { Topics: [{ Ref: topicId }] },
    });
    expect((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it('has exactly these two topics and keys', () => {
    template.resourceCountIs('AWS::SNS::Topic', 2);
    template.resourceCountIs('AWS::KMS::Key', 2);
  });

  it.each([
    ['SesFeedbackKey', 'ses.amazonaws.com'],
    ['AlarmKey', 'cloudwatch.amazonaws.com'],
  ])('lets %s be used by %s on behalf of this account only', (id, service) => {
    const keyId = logicalIdOf(template, 'AWS::KMS::Key', id);
    const statements = template.findResources('AWS::KMS::Key')[keyId]?.Properties.KeyPolicy
      .Statement as Statement[];
    const services = statements.filter(
      (s) => s.Principal !== undefined && JSON.stringify(s.Principal).includes('Service'),
    );
    expect(services).toEqual([
      {
        Sid: 'AllowPublisherServiceToEncryptMessages',
        Effect: 'Allow',
        Principal: { Service: service },
        Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  it('lets CloudWatch alarms of this account, and nothing else of CloudWatch, publish to the alarm topic', () => {
    const topicId = logicalIdOf(template, 'AWS::SNS::Topic', 'AlarmTopic');
    const [, policy] = onlyResource(template, 'AWS::SNS::TopicPolicy', {
      Properties: { Topics: [{ Ref: topicId }] },
    });
    expect((policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement).toContainEqual({
      Sid: 'AllowCloudWatchAlarmsOfThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: { Ref: topicId },
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: {
          'aws:SourceArn': {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':cloudwatch:',
                { Ref: 'AWS::Region' },
                ':',
                { Ref: 'AWS::AccountId' },
                ':alarm:*',
              ],
            ],
          },
        },
      },
    });
  });
});
