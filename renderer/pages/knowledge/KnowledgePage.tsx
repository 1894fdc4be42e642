import { ComingPage } from '../../components/ComingPage';

export function KnowledgePage() {
  return (
    <ComingPage
      spec={{
        area: 'knowledge',
        issue: 8,
        issueTitle: 'Knowledge base and AI: grounded replies, writing help, triage, and honest cost metering',
        willDo: [
          'Import your documents (txt, md, html, pdf, docx) and FAQs, with progress while they index.',
          'Search them by meaning and by exact words — offline too.',
          'Replies and posts grounded in your own material, showing which passages they used.',
          'Any OpenAI-compatible endpoint (including a local one), with every call’s cost counted and a monthly cap.',
        ],
        meanwhile: { text: 'A good description already helps the AI sound like you.', to: '/settings', label: 'Edit the description' },
      }}
    />
  );
}
