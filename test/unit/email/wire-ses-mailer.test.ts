import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import PostalMime from 'postal-mime';
import { beforeEach, describe, expect, it } from 'vitest';
import { SesMailer } from '#shared/adapters/ses-mailer.ts';
import { buildCancelIcs, cancelIcsAttachment, icsUid } from '#shared/email/ics.ts';
import { messageIdFor } from '#shared/email/mime.ts';
import { fixedClock } from '#shared/ports/clock.ts';

const ses = mockClient(SESClient);
const mailer = new SesMailer(
  new SESClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  fixedClock('2027-06-02T07:00:00.000Z'),
  'tracker-config-set',
);

beforeEach(() => {
  ses.reset();
  ses.on(SendRawEmailCommand).resolves({ MessageId: 'ses-1' });
});

describe('SesMailer on the wire', () => {
  it('sends the names, Reply-To, our Message-ID and the attachments inside the raw message, to the bare address', async () => {
    const messageId = messageIdFor('rev-1#4#2027-09-30#stage_notice#1', 'GRC', 'review.example');
    const ics = buildCancelIcs({
      uid: icsUid('rev-1', 'self_assessment'),
      deadline: '2027-05-31',
      summary: 'Срок: Самооценка',
      sequence: 8,
      dtstamp: '2027-06-02T07:00:00Z',
      organizer: { email: 'no-reply@review.example', name: 'UNODC Review Mechanism' },
    });

    const id = await mailer.send({
      from: 'no-reply@review.example',
      fromName: 'UNODC Review Mechanism',
      to: 'ana@mfa.example',
      toName: 'Ana Pérez',
      replyTo: 'officer@unodc.example',
      messageId,
      subject: 'Review of GRC: dialogue started',
      text: 'text',
      html: '<p>html</p>',
      attachments: [cancelIcsAttachment(ics)],
      tags: { kind: 'stage_notice' },
    });

    expect(id).toBe('ses-1');
    const calls = ses.commandCalls(SendRawEmailCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]?.args[0].input;
    expect(input?.Destinations).toEqual(['ana@mfa.example']);
    expect(input?.ConfigurationSetName).toBe('tracker-config-set');
    expect(input?.Tags).toEqual([{ Name: 'kind', Value: 'stage_notice' }]);
    const email = await PostalMime.parse(input?.RawMessage?.Data ?? new Uint8Array());
    expect(email.from).toEqual({ name: 'UNODC Review Mechanism', address: 'no-reply@review.example' });
    expect(email.to).toEqual([{ name: 'Ana Pérez', address: 'ana@mfa.example' }]);
    expect(email.replyTo).toEqual([{ name: '', address: 'officer@unodc.example' }]);
    expect(email.messageId).toBe(`<${messageId}>`);
    expect(email.date).toBe('2027-06-02T07:00:00.000Z');
    expect(email.attachments.map((a) => [a.filename, a.method])).toEqual([['cancelled.ics', 'CANCEL']]);
  });

  it('sends to the address alone when the recipient is written with a name', async () => {
    await mailer.send({
      from: 'no-reply@review.example',
      to: '"Ana Pérez" <ana@mfa.example>',
      subject: 's',
      text: 't',
      html: 'h',
    });

    expect(ses.commandCalls(SendRawEmailCommand)[0]?.args[0].input.Destinations).toEqual(['ana@mfa.example']);
  });
});
