// An honest page for an area that is not built yet: what it will do and which issue brings it.
// No sample data: an empty page that looks full would mislead.
import { Link } from 'react-router-dom';
import { areaById, type AreaId } from '../pages/areas';
import { Icon } from './Icon';
import { Page } from './Page';

export interface ComingSpec {
  area: AreaId;
  issue: number;
  issueTitle: string;
  willDo: string[];
  /** What the user can already do that prepares for it. */
  meanwhile?: { text: string; to: string; label: string };
}

export function ComingPage({ spec }: { spec: ComingSpec }) {
  const area = areaById(spec.area);
  return (
    <Page title={area.label} subtitle={area.summary}>
      <div className="coming" data-testid="coming">
        <div className="coming__head">
          <div className="coming__icon" aria-hidden="true">
            <Icon name={area.icon} size={22} />
          </div>
          <div className="coming__status">
            <span className="badge badge--soft">Not built yet</span>
            <p>
              Arrives with <strong>issue #{spec.issue}</strong> — {spec.issueTitle}
            </p>
          </div>
        </div>
        <h2 className="coming__title">What {area.label} will do</h2>
        <ul className="coming__list">
          {spec.willDo.map((line) => (
            <li key={line}>
              {/* A plain bullet, not a check mark: none of this is done yet. */}
              <span className="coming__bullet" aria-hidden="true" />
              <span>{line}</span>
            </li>
          ))}
        </ul>
        <p className="coming__note">Until then this page stays empty rather than showing sample data.</p>
        {spec.meanwhile ? (
          <p className="coming__meanwhile">
            {spec.meanwhile.text}{' '}
            <Link to={spec.meanwhile.to} className="link">
              {spec.meanwhile.label}
              <Icon name="arrowRight" size={14} />
            </Link>
          </p>
        ) : null}
      </div>
    </Page>
  );
}
