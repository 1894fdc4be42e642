import { Link, useLocation } from 'react-router-dom';
import { Page } from '../components/Page';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <Page title="Nothing here">
      <div className="empty">
        <p className="empty__title">There is no page at “{pathname}”.</p>
        <p className="empty__text">
          It may be from a newer version of Postdesk. Press <kbd className="kbd">Ctrl</kbd> <kbd className="kbd">K</kbd> to find a page, or{' '}
          <Link to="/dashboard" className="link">
            go to the Dashboard
          </Link>
          .
        </p>
      </div>
    </Page>
  );
}
