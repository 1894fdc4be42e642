// Best posting times: average engagements per post by weekday and hour of the workspace's clock,
// as a grid of cells shaded by value. Each cell says its figures to screen readers and on hover.
import type { ApiOutput } from '../../../electron/api';

type Heatmap = ApiOutput<'analytics.dashboard'>['heatmap'];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const HOURS = Array.from({ length: 24 }, (_, h) => h);

export function BestTimes({ heatmap, timezone }: { heatmap: Heatmap; timezone: string }) {
  const at = new Map(heatmap.cells.map((c) => [`${c.day}:${c.hour}`, c]));
  const max = Math.max(0, ...heatmap.cells.map((c) => c.avgEngagements));
  const best = [...heatmap.cells].filter((c) => c.posts >= 2).sort((a, b) => b.avgEngagements - a.avgEngagements)[0];
  return (
    <div className="an-heat">
      <p className="muted an-heat__hint">
        {heatmap.posts === 0
          ? 'No published posts in the last year yet.'
          : `From your ${heatmap.posts.toLocaleString()} posts of the last year, in ${timezone} time.`}
        {best ? ` Best so far: ${DAYS[best.day]} ${String(best.hour).padStart(2, '0')}:00 (${best.avgEngagements.toLocaleString()} engagements per post).` : ''}
      </p>
      <div className="an-heat__grid" role="table" aria-label="Average engagements per post by weekday and hour" data-testid="analytics-heatmap">
        <div role="row" className="an-heat__row">
          <span role="columnheader" className="an-heat__corner" />
          {HOURS.map((h) => (
            <span role="columnheader" key={h} className="an-heat__hour">
              {h % 3 === 0 ? String(h).padStart(2, '0') : ''}
            </span>
          ))}
        </div>
        {DAYS.map((d, day) => (
          <div role="row" className="an-heat__row" key={d}>
            <span role="rowheader" className="an-heat__day">
              {d}
            </span>
            {HOURS.map((hour) => {
              const c = at.get(`${day}:${hour}`);
              const t = c && max > 0 ? c.avgEngagements / max : 0;
              const text = c ? `${d} ${String(hour).padStart(2, '0')}:00: ${c.posts} posts, ${c.avgEngagements} engagements per post` : `${d} ${String(hour).padStart(2, '0')}:00: no posts`;
              return (
                <span
                  role="cell"
                  key={hour}
                  className={`an-heat__cell${c ? '' : ' is-empty'}`}
                  style={c ? { background: `rgba(70, 83, 201, ${(0.1 + 0.9 * t).toFixed(3)})` } : undefined}
                  title={text}
                  aria-label={text}
                />
              );
            })}
          </div>
        ))}
      </div>
    </div>
  );
}
