import { useState } from 'preact/hooks';
import { useConsole } from '../context.ts';
import { formatDate, formatInstant, plural, stateName } from '../format.ts';
import { type Digest, stageName, type TimelinessReport } from '../model.ts';
import { hrefOf } from '../route.ts';
import { ErrorMessage, Loading, TimeZoneNote, useLoad } from '../ui.tsx';

type DayStats = TimelinessReport['summary'][number]['plannedDays'];
/** What every section of the digest names a review by. */
type DigestRef = Pick<Digest['overdue'][number], 'reviewId' | 'reference' | 'stageName'>;

const stat = (s: DayStats) => (s.median === null ? '—' : `${s.median} (mean ${s.mean})`);

/** Reports (DESIGN §10): timeliness per stage with its CSV, and the weekly digest as it stands now. */
export function ReportsPage() {
  const { api, processes, timeZone } = useConsole();
  const timeliness = useLoad(() => api.get<TimelinessReport>('/reports/timeliness?limit=100'), [api]);
  const digest = useLoad(() => api.get<{ items: Digest[] }>('/reports/digest').then((r) => r.items), [api]);
  const [downloadError, setDownloadError] = useState<unknown>(undefined);
  const download = async () => {
    setDownloadError(undefined);
    try {
      // Every page of the CSV, one file: pages after the first drop their header row.
      let cursor: string | null = null;
      let csv = '';
      for (let page = 0; page < 50; page++) {
        const path: string = `/reports/timeliness?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const { text, headers } = await api.getText(path, 'text/csv');
        csv += page === 0 ? text : text.slice(text.indexOf('\n') + 1);
        cursor = headers.get('x-next-cursor');
        if (cursor === null) break;
      }
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `timeliness-${new Date().toISOString().slice(0, 10)}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (caught) {
      setDownloadError(caught);
    }
  };
  return (
    <>
      <h1>Reports</h1>
      <TimeZoneNote timeZone={timeZone} />
      <section aria-labelledby="timeliness-heading" class="card">
        <h2 id="timeliness-heading">Timeliness per stage</h2>
        <p class="note">
          Planned against actual days per stage visit; days late leave paused time out. Medians, with the mean
          in brackets, over the first 100 reviews; the CSV holds every visit of every review.
        </p>
        <button type="button" onClick={download}>
          Download CSV
        </button>
        <ErrorMessage error={downloadError ?? timeliness.error} />
        {timeliness.data === undefined ? (
          timeliness.loading ? (
            <Loading what="the timeliness report" />
          ) : null
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Process</th>
                  <th scope="col">Stage</th>
                  <th scope="col">Visits (ongoing)</th>
                  <th scope="col">Planned days</th>
                  <th scope="col">Actual days</th>
                  <th scope="col">Days late</th>
                  <th scope="col">Late visits</th>
                  <th scope="col">Extensions (days)</th>
                  <th scope="col">Paused days</th>
                </tr>
              </thead>
              <tbody>
                {timeliness.data.summary.map((row) => (
                  <tr>
                    <td>{row.process.toUpperCase()}</td>
                    <th scope="row">{stageName(processes.get(row.process), row.stage)}</th>
                    <td>
                      {row.visits} ({row.ongoing})
                    </td>
                    <td>{stat(row.plannedDays)}</td>
                    <td>{stat(row.actualDays)}</td>
                    <td>{stat(row.daysLate)}</td>
                    <td>{row.late}</td>
                    <td>
                      {row.extensions.count} ({row.extensions.days})
                    </td>
                    <td>{row.pausedDays}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="digest-heading" class="card">
        <h2 id="digest-heading">The weekly digest as it stands</h2>
        <ErrorMessage error={digest.error} />
        {digest.data === undefined ? (
          digest.loading ? (
            <Loading what="the digest" />
          ) : null
        ) : digest.data.length === 0 ? (
          <p class="note">No officer has open reviews.</p>
        ) : (
          digest.data.map((d) => <DigestView digest={d} />)
        )}
      </section>
    </>
  );
}

function RefLink({ item }: { item: DigestRef }) {
  return <a href={hrefOf.review(item.reviewId)}>{item.reference}</a>;
}

function DigestView({ digest }: { digest: Digest }) {
  const id = `digest-${digest.officer.replace(/[^a-z0-9]/gi, '-')}`;
  const list = <T extends DigestRef>(title: string, items: T[], line: (item: T) => string) =>
    items.length === 0 ? null : (
      <>
        <h4>
          {title} ({items.length})
        </h4>
        <ul>
          {items.map((item) => (
            <li>
              <RefLink item={item} /> {item.stageName}: {line(item)}
            </li>
          ))}
        </ul>
      </>
    );
  return (
    <article aria-labelledby={id} class="digest">
      <h3 id={id}>
        {digest.officer}, week {digest.week}
      </h3>
      <p class="note">
        {plural(digest.openReviews, 'open review')}, as of {formatInstant(digest.asOf, digest.timeZone)}.{' '}
        {digest.nothingToReport ? 'Nothing to report: no mail goes out.' : `Subject: ${digest.subject ?? ''}`}
      </p>
      {list(
        'Overdue',
        digest.overdue,
        (i) =>
          `${plural(i.daysOverdue, 'day')} past ${formatDate(i.deadline)}; owing ${i.owing.map(stateName).join(', ')}`,
      )}
      {list(
        'Due soon',
        digest.dueSoon,
        (i) =>
          `${plural(i.daysLeft, 'day')} left to ${formatDate(i.deadline)}; owing ${i.owing.map(stateName).join(', ')}`,
      )}
      {list(
        'Awaiting your move',
        digest.awaitingMove,
        (i) =>
          `${plural(i.submissions, 'submission')} in; next ${i.nextStages.map((s) => s.stageName).join(' or ')}`,
      )}
      {list(
        'Paused',
        digest.paused,
        (i) => `${plural(i.days, 'day')} since ${formatDate(i.since)}: ${i.reason}`,
      )}
      {list(
        'Undeliverable addresses',
        digest.undeliverable,
        (i) => `${stateName(i.state)} ${i.role.replace('_', ' ')} ${i.name}, ${i.address}`,
      )}
      {list('Without a focal point', digest.withoutFocalPoint, (i) => i.states.map(stateName).join(', '))}
      {list(
        'No activity',
        digest.inactive,
        (i) => `${plural(i.days, 'day')} since ${formatDate(i.lastActivityOn)}`,
      )}
    </article>
  );
}
