import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, reviewPath } from '../api.ts';
import { useConsole } from '../context.ts';
import { formatDate, formatInstant, plural, stateLabel, stateName, todayIn } from '../format.ts';
import {
  allowedMoves,
  type ExtensionRequest,
  type HistoryEvent,
  isTerminal,
  type Notification,
  type Process,
  participants,
  processOf,
  type Review,
  requestsInOrder,
  responsibleStates,
  ruleDeadline,
  stageName,
} from '../model.ts';
import { hrefOf } from '../route.ts';
import { ErrorMessage, explain, Loading, Notice, TimeZoneNote, useLoad } from '../ui.tsx';

const LANGUAGES: [string, string][] = [
  ['ar', 'Arabic'],
  ['zh', 'Chinese'],
  ['en', 'English'],
  ['fr', 'French'],
  ['ru', 'Russian'],
  ['es', 'Spanish'],
];
const languageName = (code: string) => LANGUAGES.find(([c]) => c === code)?.[1] ?? code;

/** One review (DESIGN §10): its state, one timeline, submissions, people, and the officer's actions. */
export function ReviewPage({ id }: { id: string }) {
  const { api, processes } = useConsole();
  const path = reviewPath({ id });
  const review = useLoad(() => api.get<Review>(path), [api, path]);
  const history = useLoad(() => api.get<{ items: HistoryEvent[] }>(`${path}/history`), [api, path]);
  const notifications = useLoad(
    () => api.get<{ items: Notification[] }>(`${path}/notifications`),
    [api, path],
  );
  const requests = useLoad(
    () => api.get<{ items: ExtensionRequest[] }>(`${path}/extension-requests`),
    [api, path],
  );
  const [current, setCurrent] = useState<Review | undefined>(undefined);

  const shown = current && review.data && current.version >= review.data.version ? current : review.data;
  if (!shown) {
    return review.error ? (
      <>
        <h1>Review</h1>
        <ErrorMessage error={review.error} />
        <p>
          <a href={hrefOf.overview()}>Back to the overview</a>
        </p>
      </>
    ) : (
      <Loading what="the review" />
    );
  }
  const process = processOf(processes, shown);
  const refresh = async (updated?: Review) => {
    if (updated) setCurrent(updated);
    await Promise.all([
      updated ? undefined : review.reload(),
      history.reload(),
      notifications.reload(),
      requests.reload(),
    ]);
  };
  return (
    <>
      <p class="breadcrumb">
        <a href={hrefOf.overview()}>Overview</a> › {shown.reference}
      </p>
      <h1>
        {shown.reference} <span class="subtitle">{stateName(shown.stateUnderReview)}</span>
      </h1>
      <TimeZoneNote timeZone={shown.timeZone} />
      <Summary review={shown} process={process} />
      <Actions review={shown} process={process} refresh={refresh} />
      <Submissions review={shown} process={process} refresh={refresh} />
      <Answers review={shown} process={process} refresh={refresh} />
      <ExtensionRequests
        review={shown}
        process={process}
        refresh={refresh}
        requests={requests.data?.items}
        error={requests.error}
      />
      <People review={shown} refresh={refresh} />
      <Timeline
        review={shown}
        process={process}
        history={history.data?.items}
        notifications={notifications.data?.items}
        error={history.error ?? notifications.error}
      />
    </>
  );
}

function Summary({ review, process }: { review: Review; process: Process | undefined }) {
  const clusterWord = process?.text.en.cluster ?? 'Cluster';
  return (
    <section aria-labelledby="summary-heading" class="card">
      <h2 id="summary-heading">Where it stands</h2>
      <dl class="facts">
        <dt>Stage</dt>
        <dd>
          <strong>{stageName(process, review.stage)}</strong> since{' '}
          {formatInstant(review.stageEnteredAt, review.timeZone)}
        </dd>
        <dt>Deadline</dt>
        <dd>
          {review.deadline ? formatDate(review.deadline) : 'none'}
          {review.overdue ? (
            <span class="badge overdue"> {plural(review.daysOverdue, 'day')} overdue</span>
          ) : null}
          {review.paused ? <span class="badge paused"> paused</span> : null}
        </dd>
        {review.pause ? (
          <>
            <dt>Paused</dt>
            <dd>
              since {formatInstant(review.pause.since, review.timeZone)}: {review.pause.reason}
            </dd>
          </>
        ) : null}
        {review.openExtensionRequests > 0 ? (
          <>
            <dt>Extension requests</dt>
            <dd>
              <span class="badge owing">
                {plural(review.openExtensionRequests, 'request')} waiting for a decision
              </span>{' '}
              (see Extension requests below)
            </dd>
          </>
        ) : null}
        <dt>States owing</dt>
        <dd>{review.owing.length > 0 ? review.owing.map(stateLabel).join(', ') : 'none'}</dd>
        <dt>State under review</dt>
        <dd>{stateLabel(review.stateUnderReview)}</dd>
        <dt>Reviewing States</dt>
        <dd>
          {review.reviewingStates
            .map((r) => `${stateLabel(r.state)}: ${r.instruments.join(', ')}`)
            .join('; ')}
        </dd>
        <dt>Process</dt>
        <dd>
          {process?.text.en.name ?? review.process} ({review.process.toUpperCase()}),{' '}
          {clusterWord.toLowerCase()} {review.cluster}
          {review.group !== null ? `, group ${review.group}` : ''}
        </dd>
        <dt>Instruments</dt>
        <dd>{review.instruments.map((i) => process?.text.en.instruments[i] ?? i).join(', ')}</dd>
        <dt>Launched</dt>
        <dd>{formatDate(review.launchedAt)}</dd>
        <dt>Version</dt>
        <dd>{review.version}</dd>
      </dl>
    </section>
  );
}

/** A date the API takes: a calendar date within DESIGN §4's bounds. */
function DateField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  required?: boolean;
}) {
  return (
    <label>
      {props.label}
      <input
        type="date"
        required={props.required}
        value={props.value}
        min="2000-01-01"
        max="2100-12-31"
        onInput={(e) => props.onValue(e.currentTarget.value)}
      />
    </label>
  );
}

/** A reason or a note: plain text of up to the API's 1,000 characters. */
function TextField(props: {
  label: string;
  value: string;
  onValue: (value: string) => void;
  required?: boolean;
}) {
  return (
    <label>
      {props.label}
      <input
        type="text"
        required={props.required}
        maxLength={1000}
        value={props.value}
        onInput={(e) => props.onValue(e.currentTarget.value)}
      />
    </label>
  );
}

type Refresh = (updated?: Review) => Promise<void>;
/** What every action on the review page is given. */
interface ActionProps {
  review: Review;
  process: Process | undefined;
  refresh: Refresh;
}

/**
 * Sends one change and shows what came of it. Every change carries the version on screen, so a
 * change made meanwhile by someone else is refused (409) and explained instead of overwritten.
 */
function useAction(review: Review, process: Process | undefined, refresh: Refresh) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ error: unknown; seenVersion: number } | undefined>(undefined);
  const [done, setDone] = useState<string | undefined>(undefined);
  const run = async (what: string, send: () => Promise<Review>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    const seenVersion = review.version;
    try {
      const updated = await send();
      setDone(what);
      await refresh(updated);
      return true;
    } catch (caught) {
      setError({ error: caught, seenVersion });
      // The review on screen may be stale: show it as it is now.
      if (caught instanceof ApiError && caught.status === 409) await refresh();
      return false;
    } finally {
      setBusy(false);
    }
  };
  const feedback = (
    <>
      {error ? (
        <ErrorMessage error={error.error}>
          {explain(error.error, { process, seenVersion: error.seenVersion })}
        </ErrorMessage>
      ) : null}
      {done ? <Notice>{done}</Notice> : null}
    </>
  );
  return { busy, run, feedback };
}

function Actions({ review, process, refresh }: ActionProps) {
  const { session } = useConsole();
  if (session.role !== 'secretariat') {
    return (
      <p class="note" id="read-only">
        You are signed in as a viewer: you can read this review but not change it.
      </p>
    );
  }
  if (isTerminal(process, review.stage)) {
    return <p class="note">This review is completed: nothing more can change.</p>;
  }
  return (
    <section aria-labelledby="actions-heading" class="card actions">
      <h2 id="actions-heading">Actions</h2>
      <MoveForm review={review} process={process} refresh={refresh} />
      <DeadlineForm review={review} process={process} refresh={refresh} />
      <PauseForm review={review} process={process} refresh={refresh} />
    </section>
  );
}

function MoveForm({ review, process, refresh }: ActionProps) {
  const { api } = useConsole();
  const [target, setTarget] = useState<string | undefined>(undefined);
  const [deadline, setDeadline] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction(review, process, refresh);
  const moves = allowedMoves(process, review.stage);
  const confirm = async (event: Event) => {
    event.preventDefault();
    if (!target) return;
    const ok = await action.run(`Moved to ${stageName(process, target)}.`, () =>
      api.send<Review>('POST', `${reviewPath(review)}/transitions`, {
        to: target,
        expectedVersion: review.version,
        ...(deadline ? { deadline } : {}),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      }),
    );
    if (ok) {
      setTarget(undefined);
      setDeadline('');
      setReason('');
    }
  };
  return (
    <div class="action">
      <h3>Move to another stage</h3>
      {review.paused ? <p class="note">Resume the review before moving it.</p> : null}
      <div class="buttons">
        {moves.map((move) => (
          <button
            type="button"
            class={move.kind === 'advance' ? 'primary' : 'secondary'}
            aria-expanded={target === move.to}
            aria-controls="move-confirm"
            disabled={action.busy || review.paused}
            onClick={() => setTarget(move.to)}
          >
            {move.kind === 'advance' ? 'Move to' : 'Send back to'} {stageName(process, move.to)}
          </button>
        ))}
      </div>
      {target ? (
        <form
          id="move-confirm"
          class="confirm"
          onSubmit={confirm}
          aria-label={`Move to ${stageName(process, target)}`}
        >
          <p>
            Move from <strong>{stageName(process, review.stage)}</strong> to{' '}
            <strong>{stageName(process, target)}</strong>? The focal points get the stage notice.
          </p>
          <RuleDeadlineNote review={review} process={process} target={target} />
          <DateField
            label="Deadline (optional; the stage's rule when empty)"
            value={deadline}
            onValue={setDeadline}
          />
          <TextField label="Reason (optional, kept in the history)" value={reason} onValue={setReason} />
          <div class="buttons">
            <button type="submit" class="primary" disabled={action.busy}>
              Confirm move to {stageName(process, target)}
            </button>
            <button type="button" class="secondary" onClick={() => setTarget(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      {action.feedback}
    </div>
  );
}

/** What the stage's rule would set, said before the move, and said loudly when it has passed. */
function RuleDeadlineNote({
  review,
  process,
  target,
}: {
  review: Review;
  process: Process | undefined;
  target: string;
}) {
  const today = todayIn(review.timeZone);
  const deadline = ruleDeadline(process, target, review, today);
  if (deadline === null) return <p class="note">This stage has no deadline.</p>;
  return deadline < today ? (
    <p class="note warning">
      By the stage's rule the deadline would be {formatDate(deadline)}, already past: give a new one below, or
      the focal points are told it has passed.
    </p>
  ) : (
    <p class="note">By the stage's rule the deadline will be {formatDate(deadline)}.</p>
  );
}

function DeadlineForm({ review, process, refresh }: ActionProps) {
  const { api } = useConsole();
  const [deadline, setDeadline] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction(review, process, refresh);
  if (review.deadline === null) return null;
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run(`Deadline changed to ${formatDate(deadline)}.`, () =>
      api.send<Review>('POST', `${reviewPath(review)}/deadline`, {
        deadline,
        reason: reason.trim(),
        expectedVersion: review.version,
      }),
    );
    if (ok) {
      setDeadline('');
      setReason('');
    }
  };
  return (
    <form class="action" onSubmit={submit} aria-labelledby="deadline-heading">
      <h3 id="deadline-heading">Change the deadline</h3>
      <DateField label="New deadline" required value={deadline} onValue={setDeadline} />
      <TextField label="Reason" required value={reason} onValue={setReason} />
      <button type="submit" disabled={action.busy || review.paused}>
        Change deadline
      </button>
      {action.feedback}
    </form>
  );
}

function PauseForm({ review, process, refresh }: ActionProps) {
  const { api } = useConsole();
  const [reason, setReason] = useState('');
  const action = useAction(review, process, refresh);
  const verb = review.paused ? 'resume' : 'pause';
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run(review.paused ? 'Resumed.' : 'Paused: no reminders until it resumes.', () =>
      api.send<Review>('POST', `${reviewPath(review)}/${verb}`, {
        reason: reason.trim(),
        expectedVersion: review.version,
      }),
    );
    if (ok) setReason('');
  };
  return (
    <form class="action" onSubmit={submit} aria-labelledby="pause-heading">
      <h3 id="pause-heading">{review.paused ? 'Resume the review' : 'Pause the review'}</h3>
      <TextField label="Reason" required value={reason} onValue={setReason} />
      <button type="submit" disabled={action.busy}>
        {review.paused ? 'Resume' : 'Pause'}
      </button>
      {action.feedback}
    </form>
  );
}

function Submissions({ review, process, refresh }: ActionProps) {
  const { api, session } = useConsole();
  const [state, setState] = useState('');
  const [note, setNote] = useState('');
  const action = useAction(review, process, refresh);
  const canAct = session.role === 'secretariat' && !isTerminal(process, review.stage);
  const responsible = responsibleStates(review);
  const record = async (event: Event) => {
    event.preventDefault();
    const chosen = state || review.owing[0];
    if (!chosen) return;
    const ok = await action.run(`Submission of ${stateName(chosen)} recorded.`, () =>
      api.send<Review>('POST', `${reviewPath(review)}/submissions`, {
        state: chosen,
        expectedVersion: review.version,
        ...(note.trim() ? { note: note.trim() } : {}),
      }),
    );
    if (ok) {
      setState('');
      setNote('');
    }
  };
  const withdraw = (code: string) =>
    action.run(`Submission of ${stateName(code)} withdrawn.`, () =>
      api.send<Review>(
        'DELETE',
        `${reviewPath(review)}/submissions/${encodeURIComponent(code)}?expectedVersion=${review.version}`,
      ),
    );
  return (
    <section aria-labelledby="submissions-heading" class="card">
      <h2 id="submissions-heading">Submissions in {stageName(process, review.stage)}</h2>
      {responsible.length === 0 ? (
        <p class="note">No State owes a submission in this stage.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">State</th>
                <th scope="col">Received</th>
                <th scope="col">Note</th>
                {canAct ? <th scope="col">Action</th> : null}
              </tr>
            </thead>
            <tbody>
              {responsible.map((code) => {
                const submission = review.submissions.find((s) => s.state === code);
                return (
                  <tr>
                    <th scope="row">{stateLabel(code)}</th>
                    <td>
                      {submission ? (
                        formatInstant(submission.receivedAt, review.timeZone)
                      ) : review.reports.some((r) => r.state === code) ? (
                        <span class="badge reported">reported as sent, not received</span>
                      ) : (
                        <span class="badge owing">owing</span>
                      )}
                    </td>
                    <td>{submission?.note ?? ''}</td>
                    {canAct ? (
                      <td>
                        {submission ? (
                          <button
                            type="button"
                            class="secondary"
                            disabled={action.busy}
                            onClick={() => withdraw(code)}
                          >
                            Withdraw <span class="visually-hidden">the submission of {stateName(code)}</span>
                          </button>
                        ) : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {canAct && review.owing.length > 0 ? (
        <form class="action" onSubmit={record} aria-labelledby="record-heading">
          <h3 id="record-heading">Record a submission</h3>
          <label>
            From
            <select value={state || review.owing[0]} onChange={(e) => setState(e.currentTarget.value)}>
              {review.owing.map((code) => (
                <option value={code}>{stateLabel(code)}</option>
              ))}
            </select>
          </label>
          <TextField label="Note (optional)" value={note} onValue={setNote} />
          <button type="submit" disabled={action.busy || review.paused}>
            Record submission
          </button>
        </form>
      ) : null}
      {action.feedback}
    </section>
  );
}

/**
 * Who answered from a personal page: "focal point", or "expert" with the name the review holds
 * for the id; `who` (focal_point or expert/<id>) names nobody itself.
 */
function respondentRole(review: Review, state: string, who: string): string {
  const expertId = /^expert\/(.+)$/.exec(who)?.[1];
  if (expertId === undefined) return 'focal point';
  const expert = review.experts[state]?.find((e) => e.id === expertId);
  return expert ? `expert ${expert.name}` : 'expert';
}

/** "Greece's focal point", "Greece's expert Nikos Georgiou". */
function respondentPhrase(review: Review, state: string, who: string): string {
  return `${stateName(state)}'s ${respondentRole(review, state, who)}`;
}

/** A focal point's or expert's own action (`GRC/focal_point`, `GRC/expert/<id>`), or undefined for an officer's. */
function respondentOf(review: Review, by: string): string | undefined {
  const match = /^([A-Z]{3})\/(focal_point|expert\/.+)$/.exec(by);
  return match?.[1] && match[2] ? respondentPhrase(review, match[1], match[2]) : undefined;
}

/** What focal points and experts answered from their personal pages in this stage (DESIGN §10). */
function Answers({ review, process, refresh }: ActionProps) {
  const { api, session } = useConsole();
  const action = useAction(review, process, refresh);
  const canAct = session.role === 'secretariat' && !isTerminal(process, review.stage);
  const tz = review.timeZone;
  const today = todayIn(tz);
  const record = (state: string) =>
    action.run(`Submission of ${stateName(state)} recorded as received.`, () =>
      api.send<Review>('POST', `${reviewPath(review)}/submissions`, {
        state,
        expectedVersion: review.version,
      }),
    );
  const reject = (state: string) =>
    action.run(`Report of ${stateName(state)} rejected: its reminders resume.`, () =>
      api.send<Review>(
        'DELETE',
        `${reviewPath(review)}/submissions/${encodeURIComponent(state)}?expectedVersion=${review.version}`,
      ),
    );
  return (
    <section aria-labelledby="answers-heading" class="card">
      <h2 id="answers-heading">What focal points answered in {stageName(process, review.stage)}</h2>
      <h3 id="reports-heading">Submissions reported as sent</h3>
      {review.reports.length === 0 ? (
        <p class="note">No State has reported a submission as sent that is not yet recorded or rejected.</p>
      ) : (
        <ul class="answers" aria-labelledby="reports-heading">
          {review.reports.map((report) => (
            <li key={report.state}>
              <strong>{stateLabel(report.state)}</strong> reported as sent on {formatInstant(report.at, tz)},
              reminders {report.holdUntil < today ? 'were ' : ''}held until {formatDate(report.holdUntil)}.
              Not received until the Secretariat records it.
              {canAct ? (
                <span class="buttons">
                  <button
                    type="button"
                    class="primary"
                    disabled={action.busy || review.paused}
                    onClick={() => record(report.state)}
                  >
                    Record as received{' '}
                    <span class="visually-hidden">the submission of {stateName(report.state)}</span>
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={action.busy}
                    onClick={() => reject(report.state)}
                  >
                    Reject report <span class="visually-hidden">of {stateName(report.state)}</span>
                  </button>
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h3 id="acknowledgements-heading">Acknowledgements</h3>
      <div class="table-wrap">
        <table aria-labelledby="acknowledgements-heading">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Acknowledged by</th>
            </tr>
          </thead>
          <tbody>
            {participants(review).map((code) => {
              const acks = review.acknowledgements.filter((a) => a.state === code);
              return (
                <tr key={code}>
                  <th scope="row">{stateLabel(code)}</th>
                  <td>
                    {acks.length === 0 ? (
                      <span class="note">not yet</span>
                    ) : (
                      acks
                        .map((a) => `the ${respondentRole(review, code, a.who)}, ${formatInstant(a.at, tz)}`)
                        .join('; ')
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {action.feedback}
    </section>
  );
}

const REQUEST_STATUS_WORDS: Record<ExtensionRequest['status'], string> = {
  open: 'waiting for a decision',
  approved: 'approved',
  declined: 'declined',
  lapsed: 'lapsed',
};

/**
 * Focal points' extension requests, open ones first, with the officer's decision on each open one
 * (DESIGN §10). One action for the section: its message outlives the request's form, which goes
 * once the request is decided.
 */
function ExtensionRequests(
  props: ActionProps & { requests: ExtensionRequest[] | undefined; error: unknown },
) {
  const { review, process, refresh } = props;
  const { session } = useConsole();
  const action = useAction(review, process, refresh);
  const canDecide = session.role === 'secretariat' && !isTerminal(process, review.stage);
  const requests = requestsInOrder(props.requests ?? []);
  return (
    <section aria-labelledby="extensions-heading" class="card">
      <h2 id="extensions-heading">Extension requests</h2>
      <ErrorMessage error={props.error} />
      {props.requests === undefined && !props.error ? <Loading what="the extension requests" /> : null}
      {props.requests !== undefined && requests.length === 0 ? (
        <p class="note">No focal point has asked for an extension.</p>
      ) : null}
      {requests.length > 0 ? (
        <ol class="requests" aria-labelledby="extensions-heading">
          {requests.map((request) => (
            <li key={request.id}>
              <ExtensionRequestItem
                review={review}
                process={process}
                request={request}
                action={canDecide && request.status === 'open' ? action : undefined}
              />
            </li>
          ))}
        </ol>
      ) : null}
      {action.feedback}
    </section>
  );
}

type Action = ReturnType<typeof useAction>;

function ExtensionRequestItem(props: {
  review: Review;
  process: Process | undefined;
  request: ExtensionRequest;
  /** Given when the viewer may decide it (an officer, an open request). */
  action: Action | undefined;
}) {
  const { review, process, request } = props;
  const tz = review.timeZone;
  const headingId = `request-${domId(request.id)}`;
  const decision = request.decision;
  return (
    <article aria-labelledby={headingId} class={`request ${request.status}`}>
      <h3 id={headingId}>
        {stateName(request.state)} asked for an extension to {formatDate(request.requestedDeadline)}
      </h3>
      <dl class="facts">
        <dt>Status</dt>
        <dd>
          <span class={`badge ${request.status === 'open' ? 'owing' : request.status}`}>
            {REQUEST_STATUS_WORDS[request.status]}
          </span>
        </dd>
        <dt>Asked</dt>
        <dd>
          {formatInstant(request.requestedAt, tz)} by the focal point of {stateLabel(request.state)}, in{' '}
          {stageName(process, request.stage)}
        </dd>
        <dt>Deadline then</dt>
        <dd>{request.deadlineAtRequest ? formatDate(request.deadlineAtRequest) : 'none'}</dd>
        <dt>Reason given</dt>
        <dd>{request.reason}</dd>
        <dt>Decision</dt>
        <dd>
          {request.status === 'lapsed'
            ? 'None: the review moved to another stage before a decision.'
            : decision === null
              ? "Waiting for the Secretariat's decision."
              : `${request.status === 'approved' ? 'Approved' : 'Declined'} on ${formatInstant(decision.at, tz)} by ${decision.by}: ${
                  request.status === 'approved' && decision.newDeadline
                    ? `the deadline moved to ${formatDate(decision.newDeadline)}`
                    : 'the deadline stayed'
                }, “${decision.reason}”`}
        </dd>
      </dl>
      {props.action ? <ExtensionDecision review={review} request={request} action={props.action} /> : null}
    </article>
  );
}

/** An id usable in the DOM (and in `aria-controls`) from the API's opaque request id. */
const domId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '_');

function ExtensionDecision({
  review,
  request,
  action,
}: {
  review: Review;
  request: ExtensionRequest;
  action: Action;
}) {
  const { api } = useConsole();
  const [choice, setChoice] = useState<'approve' | 'decline' | undefined>(undefined);
  const [deadline, setDeadline] = useState('');
  const [reason, setReason] = useState('');
  const formId = `decide-${domId(request.id)}`;
  const who = stateName(request.state);
  const approving = choice === 'approve';
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!choice) return;
    const newDeadline = deadline || request.requestedDeadline;
    const ok = await action.run(
      approving
        ? `Extension approved: the deadline is now ${formatDate(newDeadline)}. ${who}'s focal point is told by mail.`
        : `Extension declined: the deadline stays ${review.deadline ? formatDate(review.deadline) : 'none'}. ${who}'s focal point is told by mail.`,
      () =>
        api.send<Review>(
          'POST',
          `${reviewPath(review)}/extension-requests/${encodeURIComponent(request.id)}/decision`,
          {
            decision: choice,
            reason: reason.trim(),
            expectedVersion: review.version,
            ...(approving && deadline ? { deadline } : {}),
          },
        ),
    );
    if (ok) {
      setChoice(undefined);
      setDeadline('');
      setReason('');
    }
  };
  return (
    <div class="action">
      <div class="buttons">
        <button
          type="button"
          class="primary"
          aria-expanded={choice === 'approve'}
          aria-controls={formId}
          disabled={action.busy}
          onClick={() => setChoice('approve')}
        >
          Approve <span class="visually-hidden">{who}'s request</span>
        </button>
        <button
          type="button"
          class="secondary"
          aria-expanded={choice === 'decline'}
          aria-controls={formId}
          disabled={action.busy}
          onClick={() => setChoice('decline')}
        >
          Decline <span class="visually-hidden">{who}'s request</span>
        </button>
      </div>
      {choice ? (
        <form
          id={formId}
          class="confirm"
          onSubmit={submit}
          aria-label={`${approving ? 'Approve' : 'Decline'} ${who}'s request`}
        >
          <p>
            {approving ? (
              <>
                Move the deadline from{' '}
                <strong>{review.deadline ? formatDate(review.deadline) : 'none'}</strong> to{' '}
                <strong>{formatDate(deadline || request.requestedDeadline)}</strong>? The ledger keeps the
                reason.
              </>
            ) : (
              <>
                Keep the deadline at <strong>{review.deadline ? formatDate(review.deadline) : 'none'}</strong>
                ?
              </>
            )}{' '}
            The focal point of {who} gets the answer and the reason by mail.
          </p>
          {approving ? (
            <DateField
              label={`Another deadline (optional; ${formatDate(request.requestedDeadline)} as asked when empty)`}
              value={deadline}
              onValue={setDeadline}
            />
          ) : null}
          <TextField label="Reason (the focal point reads it)" required value={reason} onValue={setReason} />
          <div class="buttons">
            <button type="submit" class="primary" disabled={action.busy}>
              {approving ? 'Confirm approval' : 'Confirm decline'}
            </button>
            <button type="button" class="secondary" onClick={() => setChoice(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
    </div>
  );
}

function People({ review, refresh }: { review: Review; refresh: Refresh }) {
  const { session, processes } = useConsole();
  const process = processOf(processes, review);
  const canAct = session.role === 'secretariat' && !isTerminal(process, review.stage);
  return (
    <section aria-labelledby="people-heading" class="card">
      <h2 id="people-heading">Focal points and experts</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col">Focal point</th>
              <th scope="col">Experts</th>
            </tr>
          </thead>
          <tbody>
            {participants(review).map((code) => {
              const focal = review.focalPoints[code];
              const experts = review.experts[code] ?? [];
              return (
                <tr>
                  <th scope="row">{stateLabel(code)}</th>
                  <td>
                    {focal ? (
                      <>
                        {focal.name} &lt;{focal.email}&gt;, {languageName(focal.language)}
                      </>
                    ) : (
                      <span class="badge owing">none registered</span>
                    )}
                  </td>
                  <td>
                    {experts.length > 0 ? experts.map((e) => `${e.name} <${e.email}>`).join('; ') : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {canAct ? (
        <>
          <FocalPointForm review={review} process={process} refresh={refresh} />
          <ExpertsForm review={review} process={process} refresh={refresh} />
        </>
      ) : null}
    </section>
  );
}

function FocalPointForm({ review, process, refresh }: ActionProps) {
  const { api } = useConsole();
  const states = participants(review);
  const [state, setState] = useState(states[0] ?? '');
  const existing = review.focalPoints[state];
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [language, setLanguage] = useState('');
  const action = useAction(review, process, refresh);
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run(`Focal point of ${stateName(state)} saved.`, () =>
      api.send<Review>('PUT', `${reviewPath(review)}/focal-points/${encodeURIComponent(state)}`, {
        name: name.trim() || existing?.name,
        email: email.trim() || existing?.email,
        language: language || existing?.language || 'en',
        expectedVersion: review.version,
      }),
    );
    if (ok) {
      setName('');
      setEmail('');
      setLanguage('');
    }
  };
  return (
    <form class="action" onSubmit={submit} aria-labelledby="focal-heading">
      <h3 id="focal-heading">Register a focal point</h3>
      <label>
        State
        <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
          {states.map((code) => (
            <option value={code}>{stateLabel(code)}</option>
          ))}
        </select>
      </label>
      <label>
        Name
        <input
          type="text"
          required={!existing}
          maxLength={200}
          value={name}
          placeholder={existing?.name}
          onInput={(e) => setName(e.currentTarget.value)}
        />
      </label>
      <label>
        E-mail
        <input
          type="email"
          required={!existing}
          maxLength={254}
          value={email}
          placeholder={existing?.email}
          onInput={(e) => setEmail(e.currentTarget.value)}
        />
      </label>
      <label>
        Language of the mails
        <select
          value={language || existing?.language || 'en'}
          onChange={(e) => setLanguage(e.currentTarget.value)}
        >
          {LANGUAGES.map(([code, label]) => (
            <option value={code}>{label}</option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={action.busy}>
        Save focal point
      </button>
      {action.feedback}
    </form>
  );
}

interface ExpertRow {
  name: string;
  email: string;
  language: string;
}

function ExpertsForm({ review, process, refresh }: ActionProps) {
  const { api } = useConsole();
  const states = review.reviewingStates.map((r) => r.state);
  const [state, setState] = useState(states[0] ?? '');
  const rowsOf = (code: string): ExpertRow[] =>
    (review.experts[code] ?? []).map(({ name, email, language }) => ({ name, email, language }));
  const [rows, setRows] = useState<ExpertRow[]>(() => rowsOf(states[0] ?? ''));
  const action = useAction(review, process, refresh);
  const choose = (code: string) => {
    setState(code);
    setRows(rowsOf(code));
  };
  const update = (index: number, patch: Partial<ExpertRow>) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)));
  const submit = async (event: Event) => {
    event.preventDefault();
    await action.run(`Experts of ${stateName(state)} saved.`, () =>
      api.send<Review>('PUT', `${reviewPath(review)}/experts/${encodeURIComponent(state)}`, {
        experts: rows.map((row) => ({
          name: row.name.trim(),
          email: row.email.trim(),
          language: row.language,
        })),
        expectedVersion: review.version,
      }),
    );
  };
  if (states.length === 0) return null;
  return (
    <form class="action" onSubmit={submit} aria-labelledby="experts-heading">
      <h3 id="experts-heading">Experts of a reviewing State</h3>
      <label>
        Reviewing State
        <select value={state} onChange={(e) => choose(e.currentTarget.value)}>
          {states.map((code) => (
            <option value={code}>{stateLabel(code)}</option>
          ))}
        </select>
      </label>
      {rows.map((row, index) => (
        <fieldset class="row">
          <legend>Expert {index + 1}</legend>
          <label>
            Name
            <input
              type="text"
              required
              maxLength={200}
              value={row.name}
              onInput={(e) => update(index, { name: e.currentTarget.value })}
            />
          </label>
          <label>
            E-mail
            <input
              type="email"
              required
              maxLength={254}
              value={row.email}
              onInput={(e) => update(index, { email: e.currentTarget.value })}
            />
          </label>
          <label>
            Language
            <select value={row.language} onChange={(e) => update(index, { language: e.currentTarget.value })}>
              {LANGUAGES.map(([code, label]) => (
                <option value={code}>{label}</option>
              ))}
            </select>
          </label>
          <button type="button" class="secondary" onClick={() => setRows(rows.filter((_, i) => i !== index))}>
            Remove expert {index + 1}
          </button>
        </fieldset>
      ))}
      <div class="buttons">
        <button
          type="button"
          class="secondary"
          disabled={rows.length >= 20}
          onClick={() => setRows([...rows, { name: '', email: '', language: 'en' }])}
        >
          Add an expert
        </button>
        <button type="submit" disabled={action.busy}>
          Save experts
        </button>
      </div>
      {action.feedback}
    </form>
  );
}

interface TimelineEntry {
  at: string;
  title: string;
  detail: ComponentChildren;
  kind: 'history' | 'ledger' | 'notification';
}

const HISTORY_WORDS: Record<string, string> = {
  created: 'Created',
  imported: 'Imported',
  transitioned: 'Moved',
  deadline_changed: 'Deadline changed',
  paused: 'Paused',
  resumed: 'Resumed',
  submission_recorded: 'Submission recorded',
  submission_withdrawn: 'Submission withdrawn',
  focal_point_set: 'Focal point registered',
  experts_set: 'Experts registered',
  acknowledged: 'Acknowledged',
  submission_reported: 'Submission reported as sent',
  submission_report_rejected: 'Report rejected',
  extension_requested: 'Extension requested',
};
const NOTIFICATION_WORDS: Record<string, string> = {
  stage_notice: 'Stage notice',
  reminder: 'Reminder',
  overdue_notice: 'Overdue notice',
  escalation: 'Escalation to the Secretariat',
  undeliverable: 'Undeliverable address',
  all_submissions_received: 'All submissions received',
  deadline_changed: 'Deadline change notice',
  paused: 'Pause notice',
  resumed: 'Resume notice',
  extension_decision: 'Extension decision',
};
const words = (table: Record<string, string>, key: string) => table[key] ?? key.replace(/_/g, ' ');

function recipientLabel(recipient: string): string {
  if (recipient === 'SECRETARIAT') return 'the Secretariat';
  const expert = /^([A-Z]{3})\/expert\//.exec(recipient);
  if (expert?.[1]) return `an expert of ${stateName(expert[1])}`;
  return `the focal point of ${stateName(recipient)}`;
}

/**
 * The history of focal points' answers and the Secretariat's decisions on them, as sentences:
 * "Greece's focal point asked for an extension to 31 Aug 2027: …". Undefined for other events.
 */
function answerSentence(
  review: Review,
  event: HistoryEvent,
): { title: string; sentence: string } | undefined {
  const state = event.state ?? '';
  const name = stateName(state);
  const date = (value: string | null | undefined) => (value ? formatDate(value) : 'none');
  const reason = event.reason ? `: “${event.reason}”` : '';
  switch (event.type) {
    case 'acknowledged':
      return {
        title: 'Acknowledged',
        sentence: `${respondentPhrase(review, state, event.who ?? 'focal_point')} acknowledged the stage`,
      };
    case 'submission_reported':
      return {
        title: words(HISTORY_WORDS, event.type),
        sentence: `${name}'s focal point reported its submission as sent; reminders to ${name} hold until the Secretariat records or rejects it`,
      };
    case 'submission_report_rejected':
      return {
        title: words(HISTORY_WORDS, event.type),
        sentence: `${name}'s report of a submission sent was rejected: nothing was received, and reminders to ${name} resume`,
      };
    case 'extension_requested':
      return {
        title: words(HISTORY_WORDS, event.type),
        sentence: `${name}'s focal point asked for an extension to ${date(event.requestedDeadline)}${reason}`,
      };
    case 'extension_decided':
      return event.decision === 'approved'
        ? {
            title: 'Extension approved',
            sentence: `${name}'s request for an extension to ${date(event.requestedDeadline)} approved: the deadline moved from ${date(event.oldDeadline)} to ${date(event.deadline)}${reason}`,
          }
        : {
            title: 'Extension declined',
            sentence: `${name}'s request for an extension to ${date(event.requestedDeadline)} declined: the deadline stays ${date(event.deadline)}${reason}`,
          };
    default:
      return undefined;
  }
}

/** History, ledger and notifications as one list, newest first (DESIGN §10). */
function Timeline(props: {
  review: Review;
  process: Process | undefined;
  history: HistoryEvent[] | undefined;
  notifications: Notification[] | undefined;
  error: unknown;
}) {
  const { review, process } = props;
  const tz = review.timeZone;
  const entries: TimelineEntry[] = [];
  for (const event of props.history ?? []) {
    const answer = answerSentence(review, event);
    if (answer) {
      const by = respondentOf(review, event.by) ? '' : `by ${event.by}, `;
      entries.push({
        at: event.at,
        kind: 'history',
        title: answer.title,
        detail: `${answer.sentence} (in ${stageName(process, event.stage)}, ${by}version ${event.version})`,
      });
      continue;
    }
    const parts: string[] = [];
    if (event.type === 'transitioned' && event.fromStage)
      parts.push(`from ${stageName(process, event.fromStage)} to ${stageName(process, event.stage)}`);
    else parts.push(`in ${stageName(process, event.stage)}`);
    if (event.state) parts.push(stateLabel(event.state));
    if (event.oldDeadline !== undefined)
      parts.push(
        `deadline ${event.oldDeadline ? formatDate(event.oldDeadline) : 'none'} → ${event.deadline ? formatDate(event.deadline) : 'none'}`,
      );
    else if (
      event.deadline &&
      (event.type === 'transitioned' || event.type === 'created' || event.type === 'imported')
    )
      parts.push(`deadline ${formatDate(event.deadline)}`);
    if (event.experts !== undefined) parts.push(plural(event.experts, 'expert'));
    if (event.reason) parts.push(`“${event.reason}”`);
    entries.push({
      at: event.at,
      kind: 'history',
      title: words(HISTORY_WORDS, event.type),
      detail: `${parts.join(', ')} (by ${event.by}, version ${event.version})`,
    });
  }
  for (const entry of review.ledger) {
    entries.push({
      at: entry.at,
      kind: 'ledger',
      title: `Ledger: ${entry.kind}`,
      detail: `${stageName(process, entry.stage)}: ${entry.oldDeadline ? formatDate(entry.oldDeadline) : '—'} → ${entry.newDeadline ? formatDate(entry.newDeadline) : '—'}, “${entry.reason}” (by ${entry.by})`,
    });
  }
  for (const n of props.notifications ?? []) {
    const when = n.sentAt ?? n.dueAt;
    entries.push({
      at: when,
      kind: 'notification',
      title: `${words(NOTIFICATION_WORDS, n.kind)}: ${n.status}`,
      detail: (
        <>
          {stageName(process, n.stage)}, to{' '}
          {n.audience === 'secretariat'
            ? 'the Secretariat'
            : n.recipientState
              ? stateName(n.recipientState)
              : n.audience}
          {n.sentAt ? '' : `, due ${formatInstant(n.dueAt, tz)}`}
          {n.reason ? ` (${n.reason})` : ''}
          {n.deliveries.length > 0 ? (
            <ul class="deliveries">
              {n.deliveries.map((d) => (
                <li>
                  {recipientLabel(d.recipient)}: {d.status}
                  {d.reason ? ` (${d.reason})` : ''}
                  {d.at ? `, ${formatInstant(d.at, tz)}` : ''}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ),
    });
  }
  entries.sort((a, b) => b.at.localeCompare(a.at));
  return (
    <section aria-labelledby="timeline-heading" class="card">
      <h2 id="timeline-heading">Timeline</h2>
      <ErrorMessage error={props.error} />
      {props.history === undefined && !props.error ? <Loading what="the timeline" /> : null}
      <ol class="timeline">
        {entries.map((entry) => (
          <li class={entry.kind}>
            <time dateTime={entry.at}>{formatInstant(entry.at, tz)}</time> <strong>{entry.title}</strong>{' '}
            <span>{entry.detail}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
