import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { functionsByArn, type LocalFunction } from './local-functions.ts';
import { LOCAL_ACCOUNT, resourcesOfType, type StackTemplate, type TemplateResolver } from './template.ts';

/**
 * SES in front of the emulator. The emulator keeps mail but ignores configuration sets and
 * message tags and publishes no events; this front records each send's tags and, like the
 * SES mailbox simulator, answers mail to `bounce@simulator.amazonses.com` and
 * `complaint@simulator.amazonses.com` with a Bounce or Complaint event published to the
 * configuration set's SNS destination, whose subscribers (from the template) are invoked.
 */

export const SIMULATOR = {
  bounce: 'bounce@simulator.amazonses.com',
  complaint: 'complaint@simulator.amazonses.com',
} as const;

export interface Subscriber {
  topicArn: string;
  eventTypes: string[];
  fn: LocalFunction;
}

/** Registers SNS topics and SES configuration sets (functions' environments refer to them). */
export function registerSesResources(
  stacks: StackTemplate[],
  resolver: TemplateResolver,
  region: string,
): void {
  for (const { stackName, logicalId, resource } of resourcesOfType(stacks, 'AWS::SNS::Topic')) {
    const name = String(resource.Properties?.TopicName ?? logicalId);
    const arn = `arn:aws:sns:${region}:${LOCAL_ACCOUNT}:${name}`;
    resolver.register(stackName, logicalId, { ref: arn, attributes: { TopicArn: arn, TopicName: name } });
  }
  for (const { stackName, logicalId, resource } of resourcesOfType(stacks, 'AWS::SES::ConfigurationSet')) {
    const name = String(resource.Properties?.Name ?? logicalId);
    resolver.register(stackName, logicalId, { ref: name, attributes: {} });
  }
}

/** The functions subscribed (through SNS) to the configuration sets' bounce and complaint events. */
export function feedbackSubscribers(
  stacks: StackTemplate[],
  resolver: TemplateResolver,
  functions: Map<string, LocalFunction>,
): Subscriber[] {
  const byArn = functionsByArn(functions, resolver);
  const destinations = resourcesOfType(stacks, 'AWS::SES::ConfigurationSetEventDestination').flatMap(
    ({ stackName, resource }) => {
      const destination = resource.Properties?.EventDestination as
        | { Enabled?: boolean; MatchingEventTypes?: string[]; SnsDestination?: { TopicARN?: unknown } }
        | undefined;
      if (!destination?.SnsDestination || destination.Enabled === false) return [];
      return [
        {
          topicArn: resolver.resolveString(stackName, destination.SnsDestination.TopicARN),
          eventTypes: (destination.MatchingEventTypes ?? []).map((t) => t.toLowerCase()),
        },
      ];
    },
  );
  return resourcesOfType(stacks, 'AWS::SNS::Subscription').flatMap(({ stackName, resource }) => {
    const props = resource.Properties ?? {};
    if (props.Protocol !== 'lambda') return [];
    const topicArn = resolver.resolveString(stackName, props.TopicArn);
    const fn = byArn.get(resolver.resolveString(stackName, props.Endpoint));
    const eventTypes = destinations.filter((d) => d.topicArn === topicArn).flatMap((d) => d.eventTypes);
    return fn && eventTypes.length > 0 ? [{ topicArn, eventTypes, fn }] : [];
  });
}

function recipientsOf(raw: string): string[] {
  const headers = raw.split(/\r?\n\r?\n/)[0] ?? '';
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const to = /^(?:To|Cc|Bcc):(.*)$/gim;
  const found: string[] = [];
  for (const match of unfolded.matchAll(to)) {
    for (const address of (match[1] ?? '').matchAll(/[^\s<>,"]+@[^\s<>,"]+/g))
      found.push(address[0].toLowerCase());
  }
  return found;
}

/** The SES front: returns its endpoint and a way to wait until published events are handled. */
export async function startSesFront(options: {
  emulatorEndpoint: string;
  /** Read when an event is published (the functions are built after this front starts). */
  subscribers: () => Subscriber[];
  log: (message: string, error?: unknown) => void;
}): Promise<{
  endpoint: string;
  idle(): boolean;
  /** The message tags a send carried (SES keeps them for events; the emulator drops them). */
  tagsOf(messageId: string): Record<string, string> | undefined;
  /** The raw message a send carried, as the recipient's mail client would read it. */
  rawOf(messageId: string): string | undefined;
  /** The bare addresses a send went to (its `Destinations`), whatever display names its headers carry. */
  destinationsOf(messageId: string): string[] | undefined;
  stop(): Promise<void>;
}> {
  let pending = 0;
  const sentTags = new Map<string, Record<string, string>>();
  const sentRaw = new Map<string, string>();
  const sentTo = new Map<string, string[]>();
  const publish = async (
    eventType: 'Bounce' | 'Complaint',
    address: string,
    mail: Record<string, unknown>,
  ) => {
    const now = new Date().toISOString();
    const event = {
      eventType,
      mail,
      ...(eventType === 'Bounce'
        ? {
            bounce: {
              bounceType: 'Permanent',
              bounceSubType: 'General',
              bouncedRecipients: [
                {
                  emailAddress: address,
                  action: 'failed',
                  status: '5.1.1',
                  diagnosticCode: 'smtp; 550 5.1.1 user unknown',
                },
              ],
              timestamp: now,
              feedbackId: randomUUID(),
            },
          }
        : {
            complaint: {
              complainedRecipients: [{ emailAddress: address }],
              timestamp: now,
              feedbackId: randomUUID(),
            },
          }),
    };
    for (const sub of options.subscribers().filter((s) => s.eventTypes.includes(eventType.toLowerCase()))) {
      await sub.fn.invoke({
        Records: [
          {
            EventSource: 'aws:sns',
            EventVersion: '1.0',
            EventSubscriptionArn: `${sub.topicArn}:${randomUUID()}`,
            Sns: {
              Type: 'Notification',
              MessageId: randomUUID(),
              TopicArn: sub.topicArn,
              Message: JSON.stringify(event),
              Timestamp: now,
            },
          },
        ],
      });
    }
  };

  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (typeof v === 'string' && k !== 'host') headers[k] = v;
    try {
      const upstream = await fetch(`${options.emulatorEndpoint}${req.url ?? '/'}`, {
        method: req.method ?? 'POST',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      const text = await upstream.text();
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/xml' });
      res.end(text);
      const params = new URLSearchParams(body.toString('utf8'));
      const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(text)?.[1];
      if (params.get('Action') !== 'SendRawEmail' || !messageId) return;
      const raw = Buffer.from(params.get('RawMessage.Data') ?? '', 'base64').toString('utf8');
      const tags: Record<string, string[]> = {};
      for (let i = 1; params.has(`Tags.member.${i}.Name`); i++) {
        tags[params.get(`Tags.member.${i}.Name`) ?? ''] = [params.get(`Tags.member.${i}.Value`) ?? ''];
      }
      sentTags.set(messageId, Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, v[0] ?? ''])));
      sentRaw.set(messageId, raw);
      const destinations = [...params]
        .filter(([name]) => /^Destinations\.member\.\d+$/.test(name))
        .map(([, address]) => address.toLowerCase());
      if (destinations.length > 0) sentTo.set(messageId, destinations);
      const configurationSet = params.get('ConfigurationSetName');
      if (configurationSet) tags['ses:configuration-set'] = [configurationSet];
      const destination = recipientsOf(raw);
      const mail = { timestamp: new Date().toISOString(), messageId, destination, tags };
      for (const address of destination) {
        const type =
          address === SIMULATOR.bounce ? 'Bounce' : address === SIMULATOR.complaint ? 'Complaint' : undefined;
        if (!type || !configurationSet) continue;
        pending++;
        // SES publishes feedback after the send call has returned.
        setTimeout(() => {
          publish(type, address, mail)
            .catch((error: unknown) => options.log('ses feedback delivery failed', error))
            .finally(() => {
              pending--;
            });
        }, 10);
      }
    } catch (error) {
      options.log('ses front error', error);
      // The emulator dropped the connection (a stall, a restart): the sender sees it dropped
      // too, as it would with SES, rather than an answer SES never gives.
      res.destroy();
    }
  });
  // The SDK keeps connections alive and reuses them without an idle limit of its own: a server
  // closing idle ones after Node's default 5 s races a reuse now and then (ECONNRESET, which a
  // one-attempt SES send must take as an unknown outcome). AWS's endpoints keep them far longer.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    idle: () => pending === 0,
    tagsOf: (messageId) => sentTags.get(messageId),
    rawOf: (messageId) => sentRaw.get(messageId),
    destinationsOf: (messageId) => sentTo.get(messageId),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
