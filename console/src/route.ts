import { useEffect, useState } from 'preact/hooks';

/**
 * Routes live in the address's fragment (`#/reviews/<id>`), so the same static files work at
 * `/console/` locally and at the root of CloudFront, with no server-side rewrites.
 */
export type Route =
  | { page: 'overview' }
  | { page: 'review'; id: string }
  | { page: 'import' }
  | { page: 'reports' }
  | { page: 'unknown' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  if (path === '/') return { page: 'overview' };
  if (path === '/import') return { page: 'import' };
  if (path === '/reports') return { page: 'reports' };
  const review = /^\/reviews\/([^/]+)$/.exec(path);
  if (review?.[1]) return { page: 'review', id: decodeURIComponent(review[1]) };
  return { page: 'unknown' };
}

export const hrefOf = {
  overview: () => '#/',
  review: (id: string) => `#/reviews/${encodeURIComponent(id)}`,
  import: () => '#/import',
  reports: () => '#/reports',
};

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
