import { ComingPage } from '../../components/ComingPage';

export function ComposePage() {
  return (
    <ComingPage
      spec={{
        area: 'compose',
        issue: 6,
        issueTitle: 'Posts: compose offline, schedule with recurrence, approve, publish reliably',
        willDo: [
          'Write one post for several accounts, with a version per platform and live character counts.',
          'Drafts save on this computer as you type — no network needed.',
          'Threads, first comments, hashtag groups, templates, and images with alt text.',
          'Publish now, at a time, in the next free slot, or on a repeat (every Tuesday at 9:00).',
          'AI help in your brand voice when an AI endpoint is set up — and a clear note when it is not.',
        ],
        meanwhile: { text: 'Posts are written in your brand voice, so make sure it is right.', to: '/settings', label: 'Check the brand profile' },
      }}
    />
  );
}
