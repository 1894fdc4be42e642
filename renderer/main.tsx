// Entry: pick the transport (this also takes the web token out of the URL), then render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { HashRouter } from 'react-router-dom';
import { startClient } from './api/client';
import { App } from './App';
import { warmStartPage } from './pages/routes';
import './styles/index.css';

startClient();
// The page the window opens on loads beside the first API calls, not after them.
warmStartPage(window.location.hash);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <HashRouter>
      <App />
    </HashRouter>
  </StrictMode>,
);
