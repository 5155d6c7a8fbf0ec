import { type Instant, localDate } from '#shared/domain/calendar.ts';
import { renderDigestMail } from '#shared/email/digest-template.ts';
import { messageIdFor } from '#shared/email/mime.ts';
import type { DigestClaims } from '#shared/ports/digest-claims.ts';
import type { Mailer } from '#shared/ports/mail.ts';
import { type DigestDeps, isoWeek, secretariatDigests } from './secretariat-digest.ts';

/**
 * The weekly run of the Secretariat digest (DESIGN §2): Monday 08:00 in the time zone of record,
 * one mail per officer with something to report, once per ISO week however often it is retried.
 */

/** What sending the weekly digests needs besides building them. */
export interface DigestMailDeps extends DigestDeps {
  mailer: Mailer;
  claims: DigestClaims;
  senderEmail: string;
  /** The `From` display name. */
  senderName: string;
  /** A claim older than this is a dead run's (the function's timeout). */
  claimTimeoutMs: number;
  /** A fresh token for each claim. */
  newToken: () => string;
}

/** What one weekly run did. */
export interface DigestRunOutcome {
  week: string;
  /** Officers with at least one open review. */
  officers: number;
  sent: number;
  /** Officers with nothing to report: no mail. */
  nothingToReport: number;
  /** Sent by an earlier run of the same week (a retry). */
  alreadySent: number;
  /** Not sent this time: the run throws, and its retry sends them. */
  failed: number;
  /** Sent, but the claim could not be marked sent (it stays claimed; nothing is sent again this week unless it goes stale). */
  unrecorded: number;
}

/** Some digests of a weekly run were not sent; the retry of the run sends them (and only them). */
export class DigestRunIncompleteError extends Error {
  constructor(
    readonly outcome: DigestRunOutcome,
    options?: { cause?: unknown },
  ) {
    super(`${outcome.failed} of ${outcome.officers} weekly digests not sent`, options);
    this.name = 'DigestRunIncompleteError';
  }
}

/**
 * The weekly run at `now` (the schedule's time): each officer with something to report gets
 * their digest, at most once per ISO week however often the run is retried (a claim per officer
 * and week). A send that fails gives its claim back and the others still go; the run then
 * throws, so the scheduler's retry sends the missing ones.
 * @throws DigestRunIncompleteError when a digest could not be sent
 */
export async function sendWeeklyDigests(deps: DigestMailDeps, now: Instant): Promise<DigestRunOutcome> {
  const digests = await secretariatDigests(deps, now);
  const timeZone = deps.processes.defaultProcess.timeZone;
  const week = isoWeek(localDate(now, timeZone));
  const outcome: DigestRunOutcome = {
    week,
    officers: digests.length,
    sent: 0,
    nothingToReport: 0,
    alreadySent: 0,
    failed: 0,
    unrecorded: 0,
  };
  const staleBefore = new Date(Date.parse(now) - deps.claimTimeoutMs).toISOString();
  const domain = deps.senderEmail.slice(deps.senderEmail.lastIndexOf('@') + 1) || 'untoc-review-tracker';
  let firstError: unknown;
  for (const digest of digests) {
    if (digest.nothingToReport) {
      outcome.nothingToReport++;
      continue;
    }
    const token = deps.newToken();
    let claimed = false;
    try {
      const claim = await deps.claims.claim(digest.officer, week, now, staleBefore, token);
      if (claim === 'sent') {
        outcome.alreadySent++;
        continue;
      }
      // Another run holds it: this one fails, and its retry finds it sent or the claim stale.
      if (claim === 'busy') throw new Error('the digest is claimed by another run');
      claimed = true;
      const mail = renderDigestMail(digest);
      const messageId = await deps.mailer.send({
        from: deps.senderEmail,
        fromName: deps.senderName,
        to: digest.officer,
        messageId: messageIdFor(`digest#${week}`, digest.officer, domain),
        ...mail,
        tags: { notificationKind: 'digest', week },
      });
      claimed = false;
      outcome.sent++;
      // The mail has left: a failure to record it must not give the claim back for a second copy.
      await deps.claims.markSent(digest.officer, week, token, messageId, now).catch(() => {
        outcome.unrecorded++;
      });
    } catch (error) {
      // A release that fails leaves the claim to go stale: the retry after the claim timeout takes it over.
      if (claimed) await deps.claims.release(digest.officer, week, token).catch(() => undefined);
      outcome.failed++;
      firstError ??= error;
    }
  }
  if (outcome.failed > 0) throw new DigestRunIncompleteError(outcome, { cause: firstError });
  return outcome;
}
