import type { MailboxEntry, ModelSystem } from './model-system.ts';
import { type CountRange, MAIL_KINDS, type ModelReview, mailKey } from './review-model.ts';
import { describeInstant } from './vienna-calendar.ts';

/**
 * One run of the model test: the reviews it created, the trace of what it did, and the
 * comparison of the mailbox with what the model allows.
 */

export class RunModel {
  readonly reviews: ModelReview[] = [];
  readonly trace: string[] = [];
  /** Counts already seen in the mailbox: mail never disappears, so they are lower bounds. */
  readonly floors = new Map<string, number>();
  steps = 0;
  mailsSeen = 0;
  private addresses = 0;

  constructor(readonly tag: string) {}

  review(index: number): ModelReview {
    const review = this.reviews[index % this.reviews.length];
    if (!review) throw new Error('no review yet');
    return review;
  }

  /** A fresh address, unique in the whole test (runs and shrinks included). */
  newAddress(state: string, review: string): string {
    this.addresses++;
    return `${state.toLowerCase()}.${review}.${this.addresses}.${this.tag}@fp.example`;
  }

  note(line: string): void {
    this.trace.push(line);
  }
}

/** Thrown when the system does something the model does not allow. */
export class ModelMismatchError extends Error {
  override name = 'ModelMismatchError';
}

interface KeyResult {
  key: string;
  review: ModelReview | undefined;
  range: CountRange;
  mails: MailboxEntry[];
}

const fullKey = (label: string, key: string) => `${label}|${key}`;

/**
 * Reads the whole mailbox and compares, per (address, review, stage epoch, kind), the counts
 * with the model's bounds. Throws a readable report on any difference.
 */
export async function checkMailbox(model: RunModel, system: ModelSystem, when: string): Promise<void> {
  system.figures.checks++;
  const mails = await system.mailbox();
  const byId = new Map(model.reviews.map((r) => [r.id, r]));
  const ownerOf = new Map<string, ModelReview>();
  for (const review of model.reviews) for (const address of review.addresses()) ownerOf.set(address, review);

  const observed = new Map<string, MailboxEntry[]>();
  const seen = new Set<string>();
  const observe = (key: string, mail: MailboxEntry) => {
    observed.set(key, [...(observed.get(key) ?? []), mail]);
    seen.add(mail.id);
  };
  for (const mail of mails) {
    // Kinds outside DESIGN §2's five (a weekly digest, say) are not the model's to judge.
    if (mail.kind !== undefined && !MAIL_KINDS.includes(mail.kind as never)) {
      if (mail.to.some((a) => ownerOf.has(a.toLowerCase()))) system.figures.unmodelled++;
      continue;
    }
    const kind = mail.kind ?? 'untagged';
    const review = mail.reviewId === undefined ? undefined : byId.get(mail.reviewId);
    for (const to of mail.to.map((a) => a.toLowerCase())) {
      const owner = ownerOf.get(to);
      if (review) observe(fullKey(review.label, mailKey(to, mail.stageEpoch ?? 0, kind)), mail);
      // Another review's mail to this run's address is a mix-up; the rest is other runs' business.
      else if (owner)
        observe(
          fullKey(owner.label, `${mailKey(to, mail.stageEpoch ?? 0, kind)}|review ${mail.reviewId}`),
          mail,
        );
    }
  }

  const expected = new Map<string, { review: ModelReview; range: CountRange }>();
  for (const review of model.reviews) {
    for (const [key, range] of review.expectations())
      expected.set(fullKey(review.label, key), { review, range });
  }
  const results: KeyResult[] = [];
  for (const key of new Set([...expected.keys(), ...observed.keys()])) {
    const found = expected.get(key);
    const floor = model.floors.get(key) ?? 0;
    const range = found
      ? { min: Math.max(found.range.min, floor), max: found.range.max }
      : { min: 0, max: 0 };
    const label = key.split('|')[0];
    results.push({
      key,
      review: found?.review ?? model.reviews.find((r) => r.label === label),
      range,
      mails: observed.get(key) ?? [],
    });
  }

  let missing = 0;
  let extra = 0;
  let duplicate = 0;
  const lines: string[] = [];
  for (const r of results.sort((a, b) => a.key.localeCompare(b.key))) {
    const got = r.mails.length;
    if (got < r.range.min) {
      missing += r.range.min - got;
      lines.push(`  MISSING   ${r.key}: expected ${describeRange(r.range)}, got ${got}`);
    } else if (got > r.range.max) {
      const excess = got - r.range.max;
      const copies = countCopies(r.mails);
      const dup = Math.min(excess, copies);
      duplicate += dup;
      extra += excess - dup;
      lines.push(
        `  ${dup > 0 ? 'DUPLICATE' : 'EXTRA    '} ${r.key}: expected ${describeRange(r.range)}, got ${got}` +
          ` (${r.mails.map((m) => `"${m.subject}" @${m.id.slice(0, 8)}`).join('; ')})`,
      );
    }
  }
  system.figures.missing += missing;
  system.figures.extra += extra;
  system.figures.duplicate += duplicate;
  model.mailsSeen = seen.size;

  if (lines.length === 0) {
    for (const r of results) model.floors.set(r.key, r.mails.length);
    return;
  }
  const involved = [
    ...new Set(results.filter((r) => lines.some((l) => l.includes(r.key))).map((r) => r.review)),
  ].filter((r): r is ModelReview => r !== undefined);
  throw new ModelMismatchError(
    [
      `Mailbox does not match the model after ${when} (clock ${describeInstant(system.clockNow())}): ` +
        `${missing} missing, ${extra} extra, ${duplicate} duplicate`,
      ...lines,
      '',
      await runReport(model, system, involved),
    ].join('\n'),
  );
}

function describeRange(range: CountRange): string {
  return range.min === range.max ? `${range.min}` : `${range.min}..${range.max}`;
}

/** Mails that repeat an earlier one of the same key word for word. */
function countCopies(mails: MailboxEntry[]): number {
  const seen = new Set<string>();
  let copies = 0;
  for (const mail of mails) {
    const body = `${mail.subject}\n${mail.text}`;
    if (seen.has(body)) copies++;
    seen.add(body);
  }
  return copies;
}

/**
 * The trace of the run, the model's state and log, and the system's own account (its
 * notifications with status and reasons, and its history) of the reviews involved.
 */
export async function runReport(
  model: RunModel,
  system: ModelSystem,
  involved: ModelReview[],
): Promise<string> {
  const out: string[] = [
    'Commands of this run (resolved):',
    ...model.trace.map((t) => `  ${t}`),
    '',
    'Model:',
  ];
  for (const review of model.reviews) out.push(`  ${review.describe()}`);
  for (const review of involved) {
    out.push('', `Model log of ${review.label}:`, ...review.log.map((l) => `  ${l}`));
    out.push(
      '',
      `System notifications of ${review.label}:`,
      ...(await readable(systemNotifications(system, review.id))),
    );
    out.push('', `System history of ${review.label}:`, ...(await readable(systemHistory(system, review.id))));
  }
  return out.join('\n');
}

/** The report must not hide the failure it reports: a read that fails becomes a line. */
async function readable(lines: Promise<string[]>): Promise<string[]> {
  return lines.catch((error: unknown) => [`  (could not read: ${(error as Error).message.split('\n')[0]})`]);
}

async function systemNotifications(system: ModelSystem, id: string): Promise<string[]> {
  const res = await system.request('GET', `/reviews/${id}/notifications`);
  if (res.status !== 200) return [`  (GET notifications answered ${res.status})`];
  // biome-ignore lint/suspicious/noExplicitAny: diagnostic output of whatever the API returns
  return (res.json.items as any[]).map(
    (n) =>
      `  e${n.stageEpoch} ${n.kind}#${n.occurrence} (${n.offsetDays}d) deadline ${n.deadline} ` +
      `due ${describeInstant(Date.parse(n.dueAt))} ${n.status}${n.reason ? ` (${n.reason})` : ''}` +
      `${n.recipientState ? ` for ${n.recipientState}` : ''}` +
      // biome-ignore lint/suspicious/noExplicitAny: diagnostic output
      ` [${(n.deliveries as any[]).map((d) => `${d.recipient}:${d.status}${d.reason ? `(${d.reason})` : ''}`).join(' ')}]`,
  );
}

async function systemHistory(system: ModelSystem, id: string): Promise<string[]> {
  const res = await system.request('GET', `/reviews/${id}/history`);
  if (res.status !== 200) return [`  (GET history answered ${res.status})`];
  // biome-ignore lint/suspicious/noExplicitAny: diagnostic output of whatever the API returns
  return (res.json.items as any[]).map(
    (e) =>
      `  v${e.version} ${describeInstant(Date.parse(e.at))} ${e.type} ${e.fromStage ? `${e.fromStage}→` : ''}${e.stage}` +
      ` deadline ${e.deadline}${e.oldDeadline !== undefined ? ` (was ${e.oldDeadline})` : ''}${e.state ? ` ${e.state}` : ''}`,
  );
}
