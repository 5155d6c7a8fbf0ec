import { useMemo, useState } from 'preact/hooks';
import { ApiError, allPages, reviewPath } from '../api.ts';
import { useConsole } from '../context.ts';
import { daysBetween, formatDate, formatInstant, plural, stateLabel, stateName, todayIn } from '../format.ts';
import {
  type Attention,
  allowedMoves,
  attentionOf,
  type Process,
  processOf,
  type Review,
  ruleDeadline,
  stageName,
} from '../model.ts';
import { hrefOf } from '../route.ts';
import { ErrorMessage, explain, Loading, Notice, TimeZoneNote, useLoad } from '../ui.tsx';

interface Filters {
  search: string;
  process: string;
  cluster: string;
  group: string;
  stage: string;
  state: string;
}
const NO_FILTERS: Filters = { search: '', process: '', cluster: '', group: '', stage: '', state: '' };

/**
 * A section of the overview: where a review's attention puts it, or `extensions` for those whose
 * extension requests wait for a decision, which are listed there as well as in their own section.
 */
type SectionId = Exclude<Attention, 'other' | 'completed'> | 'extensions';

const SECTIONS: { id: SectionId; title: string; empty: string }[] = [
  { id: 'overdue', title: 'Overdue', empty: 'No review is overdue.' },
  { id: 'dueSoon', title: 'Due within 14 days', empty: 'No deadline falls in the next 14 days.' },
  {
    id: 'extensions',
    title: 'Extension requests waiting',
    empty: 'No extension request is waiting for a decision.',
  },
  {
    id: 'awaitingSecretariat',
    title: "Awaiting the Secretariat's move",
    empty: 'No review is waiting for the Secretariat.',
  },
  { id: 'paused', title: 'Paused', empty: 'No review is paused.' },
];

function matches(review: Review, filters: Filters): boolean {
  const search = filters.search.trim().toLowerCase();
  if (search && !review.reference.toLowerCase().includes(search)) return false;
  if (filters.process && review.process.toLowerCase() !== filters.process) return false;
  if (filters.cluster && String(review.cluster) !== filters.cluster) return false;
  if (filters.group && String(review.group ?? '') !== filters.group) return false;
  if (filters.stage && review.stage !== filters.stage) return false;
  if (
    filters.state &&
    review.stateUnderReview !== filters.state &&
    !review.reviewingStates.some((r) => r.state === filters.state)
  )
    return false;
  return true;
}

/** The first screen (DESIGN §10): what needs attention, overdue first. */
export function Overview() {
  const { api, processes, timeZone } = useConsole();
  const reviews = useLoad(() => allPages<Review>(api, '/reviews?limit=100'), [api]);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [moved, setMoved] = useState<string | undefined>(undefined);
  const today = todayIn(timeZone);

  const grouped = useMemo(() => {
    const groups: Record<Attention | 'extensions', Review[]> = {
      extensions: [],
      overdue: [],
      dueSoon: [],
      awaitingSecretariat: [],
      paused: [],
      other: [],
      completed: [],
    };
    for (const review of reviews.data ?? []) {
      if (!matches(review, filters)) continue;
      const attention = attentionOf(processOf(processes, review), review, today);
      groups[attention].push(review);
      if (review.openExtensionRequests > 0 && attention !== 'completed') groups.extensions.push(review);
    }
    groups.extensions.sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? ''));
    groups.overdue.sort((a, b) => b.daysOverdue - a.daysOverdue || a.reference.localeCompare(b.reference));
    groups.dueSoon.sort((a, b) => (a.deadline ?? '').localeCompare(b.deadline ?? ''));
    groups.awaitingSecretariat.sort((a, b) => a.stageEnteredAt.localeCompare(b.stageEnteredAt));
    groups.paused.sort((a, b) => (a.pause?.since ?? '').localeCompare(b.pause?.since ?? ''));
    return groups;
  }, [reviews.data, filters, processes, today]);

  const options = useMemo(() => {
    const all = reviews.data ?? [];
    const states = new Set<string>();
    for (const r of all) {
      states.add(r.stateUnderReview);
      for (const rs of r.reviewingStates) states.add(rs.state);
    }
    const stages = new Map<string, string>();
    for (const process of processes.values())
      for (const stage of process.stages)
        if (!stages.has(stage.id)) stages.set(stage.id, stageName(process, stage.id));
    return {
      states: [...states].sort((a, b) => stateName(a).localeCompare(stateName(b))),
      stages: [...stages],
      clusters: [...new Set(all.map((r) => r.cluster))].sort(),
      groups: [...new Set(all.map((r) => r.group).filter((g): g is number => g !== null))].sort(),
    };
  }, [reviews.data, processes]);

  const set = (key: keyof Filters) => (event: Event) =>
    setFilters({ ...filters, [key]: (event.currentTarget as HTMLInputElement | HTMLSelectElement).value });

  return (
    <>
      <h1>Reviews needing attention</h1>
      <TimeZoneNote timeZone={timeZone} />
      <form class="filters" aria-label="Filter reviews" onSubmit={(e) => e.preventDefault()}>
        <label>
          Reference
          <input type="search" value={filters.search} onInput={set('search')} placeholder="e.g. GRC-C2" />
        </label>
        <label>
          Process
          <select value={filters.process} onChange={set('process')}>
            <option value="">All</option>
            {[...processes.values()].map((p) => (
              <option value={p.id}>{p.id.toUpperCase()}</option>
            ))}
          </select>
        </label>
        <label>
          Cluster or cycle
          <select value={filters.cluster} onChange={set('cluster')}>
            <option value="">All</option>
            {options.clusters.map((c) => (
              <option value={String(c)}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Group
          <select value={filters.group} onChange={set('group')}>
            <option value="">All</option>
            {options.groups.map((g) => (
              <option value={String(g)}>{g}</option>
            ))}
          </select>
        </label>
        <label>
          Stage
          <select value={filters.stage} onChange={set('stage')}>
            <option value="">All</option>
            {options.stages.map(([id, name]) => (
              <option value={id}>{name}</option>
            ))}
          </select>
        </label>
        <label>
          State
          <select value={filters.state} onChange={set('state')}>
            <option value="">All</option>
            {options.states.map((code) => (
              <option value={code}>{stateLabel(code)}</option>
            ))}
          </select>
        </label>
        <button type="button" class="secondary" onClick={() => setFilters(NO_FILTERS)}>
          Clear filters
        </button>
      </form>
      <ErrorMessage error={reviews.error} />
      {moved ? <Notice>{moved}</Notice> : null}
      {reviews.data === undefined && reviews.loading ? (
        <Loading what="reviews" />
      ) : reviews.data?.length === 0 ? (
        <p>
          There are no reviews yet. <a href={hrefOf.import()}>Import the reviews already in flight</a> (a CSV
          or JSON file) to begin.
        </p>
      ) : (
        <>
          {SECTIONS.map((section) => (
            <ReviewSection
              id={section.id}
              title={section.title}
              empty={section.empty}
              reviews={grouped[section.id]}
              today={today}
              onMoved={async (message) => {
                setMoved(message);
                await reviews.reload();
              }}
            />
          ))}
          <p class="note">
            {plural(grouped.other.length, 'other open review')} on schedule,{' '}
            {plural(grouped.completed.length, 'completed review')}
            {filters === NO_FILTERS ? '' : ' (filtered)'}.
          </p>
        </>
      )}
    </>
  );
}

function ReviewSection(props: {
  id: SectionId;
  title: string;
  empty: string;
  reviews: Review[];
  today: string;
  onMoved: (message: string | undefined) => Promise<void>;
}) {
  const { processes, session } = useConsole();
  // A request waits for a decision on the review's page, not for a move.
  const canMove = session.role === 'secretariat' && props.id !== 'extensions';
  const headingId = `section-${props.id}`;
  return (
    <section aria-labelledby={headingId} class={`attention ${props.id}`}>
      <h2 id={headingId}>
        {props.title} <span class="count">({props.reviews.length})</span>
      </h2>
      {props.reviews.length === 0 ? (
        <p class="note">{props.empty}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">State under review</th>
                <th scope="col">Stage</th>
                <th scope="col">Deadline</th>
                <th scope="col">
                  {props.id === 'paused'
                    ? 'Paused since'
                    : props.id === 'overdue'
                      ? 'Days overdue'
                      : props.id === 'extensions'
                        ? 'Requests waiting'
                        : 'Days left'}
                </th>
                <th scope="col">{props.id === 'awaitingSecretariat' ? 'Submissions' : 'States owing'}</th>
                {canMove ? <th scope="col">Next stage</th> : null}
              </tr>
            </thead>
            <tbody>
              {props.reviews.map((review) => {
                const process = processOf(processes, review);
                return (
                  <tr key={review.id}>
                    <th scope="row">
                      <a href={hrefOf.review(review.id)}>{review.reference}</a>
                      {review.openExtensionRequests > 0 && props.id !== 'extensions' ? (
                        <span class="badge extension">extension requested</span>
                      ) : null}
                    </th>
                    <td>{stateLabel(review.stateUnderReview)}</td>
                    <td>{stageName(process, review.stage)}</td>
                    <td>{review.deadline ? formatDate(review.deadline) : '—'}</td>
                    <td>
                      {props.id === 'paused'
                        ? review.pause
                          ? formatInstant(review.pause.since, review.timeZone)
                          : '—'
                        : props.id === 'overdue'
                          ? review.daysOverdue
                          : props.id === 'extensions'
                            ? review.openExtensionRequests
                            : review.deadline
                              ? daysBetween(props.today, review.deadline)
                              : '—'}
                    </td>
                    <td>
                      {props.id === 'awaitingSecretariat'
                        ? plural(review.submissions.length, 'received')
                        : review.owing.map(stateName).join(', ') || "none: the Secretariat's move"}
                    </td>
                    {canMove ? (
                      <td>
                        <QuickMove
                          review={review}
                          process={process}
                          today={props.today}
                          onMoved={props.onMoved}
                        />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/**
 * The next stage from the overview, in two clicks: "Move to …", then "Confirm". It sends the
 * version the list showed, so a review changed meanwhile is refused and explained, not moved.
 */
function QuickMove(props: {
  today: string;
  review: Review;
  process: Process | undefined;
  onMoved: (message: string | undefined) => Promise<void>;
}) {
  const { api } = useConsole();
  const { review, process } = props;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const next = allowedMoves(process, review.stage).find((move) => move.kind === 'advance');
  if (!next || review.paused) return <span class="note">—</span>;
  const name = stageName(process, next.to);
  const deadline = ruleDeadline(process, next.to, review, props.today);
  const pastDeadline = deadline !== null && deadline < props.today;
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api.send<Review>('POST', `${reviewPath(review)}/transitions`, {
        to: next.to,
        expectedVersion: review.version,
      });
      setConfirming(false);
      await props.onMoved(`${review.reference} moved to ${name}; its focal points get the stage notice.`);
    } catch (caught) {
      setError(caught);
      setConfirming(false);
      // The list may be stale: show the reviews as they are now (the explanation says so).
      if (caught instanceof ApiError && caught.status === 409) await props.onMoved(undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {confirming && pastDeadline && deadline ? (
        <p class="note warning">
          By the stage's rule its deadline is {formatDate(deadline)}, already past: the focal points are told
          so. <a href={hrefOf.review(review.id)}>Open the review</a> to set another.
        </p>
      ) : null}
      {confirming ? (
        <span class="buttons">
          <button type="button" class="primary" disabled={busy} onClick={confirm}>
            Confirm{' '}
            <span class="visually-hidden">
              moving {review.reference} to {name}
            </span>
          </button>
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Move to {name}
          <span class="visually-hidden"> ({review.reference})</span>
        </button>
      )}
      {error ? (
        <ErrorMessage error={error}>{explain(error, { process, seenVersion: review.version })}</ErrorMessage>
      ) : null}
    </>
  );
}
