// A campaign's totals: organic (its posts) beside paid (its ad campaigns), then conversions by UTM
// source and medium and events by type.
import { int, moneyList, pct, type Totals } from './campaign-format';

export function TotalsPanel({ totals }: { totals: Totals }) {
  const o = totals.organic;
  const a = totals.ads;
  const c = totals.conversions;
  return (
    <section className="csection" aria-labelledby="ctotals-h">
      <h2 id="ctotals-h" className="csection__title">
        Totals
      </h2>
      <div className="ctotals">
        <div className="ctotals__col" aria-label="Organic results">
          <h3>Organic</h3>
          <dl className="kv">
            <div className="kv__row">
              <dt>Posts</dt>
              <dd>
                {int(o.posts)} ({int(o.publishedTargets)} published, {int(o.measuredTargets)} measured)
              </dd>
            </div>
            <div className="kv__row">
              <dt>Engagements</dt>
              <dd data-testid="organic-engagements">{int(o.engagements)}</dd>
            </div>
            <div className="kv__row">
              <dt>Likes · comments · shares</dt>
              <dd>
                {int(o.likes)} · {int(o.comments)} · {int(o.shares)}
              </dd>
            </div>
            <div className="kv__row">
              <dt>Reach · impressions</dt>
              <dd>
                {int(o.reach)} · {int(o.impressions)}
              </dd>
            </div>
            <div className="kv__row">
              <dt>Engagement rate</dt>
              <dd data-testid="organic-rate">{pct(o.engagementRate)}</dd>
            </div>
          </dl>
        </div>
        <div className="ctotals__col" aria-label="Paid results">
          <h3>Ads</h3>
          <dl className="kv">
            <div className="kv__row">
              <dt>Spend</dt>
              <dd data-testid="ad-spend">{moneyList(a.spend)}</dd>
            </div>
            <div className="kv__row">
              <dt>Impressions · clicks</dt>
              <dd>
                {int(a.impressions)} · {int(a.clicks)} (CTR {pct(a.ctr)})
              </dd>
            </div>
            <div className="kv__row">
              <dt>Conversions</dt>
              <dd>{int(a.conversions)}</dd>
            </div>
            <div className="kv__row">
              <dt>Days</dt>
              <dd>{a.days === 0 ? 'No figures imported yet' : `${int(a.days)} (${a.firstDate} – ${a.lastDate})`}</dd>
            </div>
          </dl>
        </div>
        <div className="ctotals__col" aria-label="Conversions and events">
          <h3>Conversions</h3>
          <dl className="kv">
            <div className="kv__row">
              <dt>Conversions</dt>
              <dd data-testid="conversions-count">{int(c.count)}</dd>
            </div>
            <div className="kv__row">
              <dt>Value</dt>
              <dd>{moneyList(c.value)}</dd>
            </div>
            <div className="kv__row">
              <dt>Events</dt>
              <dd>
                {totals.events.total === 0
                  ? 'None imported'
                  : Object.entries(totals.events.byType)
                      .map(([t, n]) => `${int(n)} ${t.replace('_', ' ')}`)
                      .join(' · ')}
              </dd>
            </div>
          </dl>
          {c.bySource.length > 0 ? (
            <table className="ctable" aria-label="Conversions by source and medium">
              <thead>
                <tr>
                  <th scope="col">Source / medium</th>
                  <th scope="col">Conversions</th>
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {c.bySource.slice(0, 8).map((s) => (
                  <tr key={`${s.source}/${s.medium}`}>
                    <td>
                      {s.source ?? '(none)'} / {s.medium ?? '(none)'}
                    </td>
                    <td>{int(s.count)}</td>
                    <td>{s.value ? s.value.toLocaleString('en', { maximumFractionDigits: 2 }) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      </div>
    </section>
  );
}
