// The post's pictures and videos: thumbnails in the order they will appear, each with its alt
// text, move earlier/later and remove; add from the library or from disk (file picker, or drop
// files anywhere on the editor). Uploads show their progress and, if refused, the reason.
import { useRef, useState, type DragEvent } from 'react';
import { messageOf } from '../../api/client';
import { Icon } from '../../components/Icon';
import { thumbnailUrlOf } from '../../lib/thumbnails';
import type { MediaDraft } from './draft';
import { canUpload, formatSize, mediaFiles } from './media-upload';

export interface PendingUpload {
  key: number;
  name: string;
  progress: number;
  error: unknown;
}

export interface MediaIssue {
  /** The picture it is about; -1 for the set (too many, mixed kinds). */
  index: number;
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

function Issues({ issues }: { issues: readonly MediaIssue[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="cmp-issues cmp-thumb__issues">
      {issues.map((x, n) => (
        <li key={n} className={`cmp-issue cmp-issue--${x.severity}`}>
          <Icon name={x.severity === 'error' ? 'alert' : 'info'} size={12} />
          <span>{x.message}</span>
        </li>
      ))}
    </ul>
  );
}

/** A video's thumbnail, or while it has none (the engine answers 404) the word. */
function VideoFrame({ url }: { url: string }) {
  const [missing, setMissing] = useState(false);
  return missing ? (
    <span className="cmp-thumb__video">
      <Icon name="monitor" size={20} />
      Video
    </span>
  ) : (
    <img className="cmp-thumb__img" src={thumbnailUrlOf(url)} alt="" onError={() => setMissing(true)} />
  );
}

export function MediaTray({
  media,
  uploads,
  issues,
  readOnly,
  onAlt,
  onMove,
  onRemove,
  onFiles,
  onLibrary,
  onDismissUpload,
}: {
  media: readonly MediaDraft[];
  uploads: readonly PendingUpload[];
  /** Per item, what a chosen network would refuse (already prefixed with the network). */
  issues: readonly MediaIssue[];
  readOnly: boolean;
  onAlt: (index: number) => void;
  onMove: (from: number, to: number) => void;
  onRemove: (index: number) => void;
  onFiles: (files: File[]) => void;
  onLibrary: () => void;
  onDismissUpload: (key: number) => void;
}) {
  const picker = useRef<HTMLInputElement>(null);
  const uploadable = canUpload();

  return (
    <div className="cmp-media">
      <div className="cmp-media__head">
        <span className="cmp-label">Media</span>
        {readOnly ? null : (
          <div className="cmp-media__actions">
            <button type="button" className="button button--small" onClick={onLibrary}>
              <Icon name="database" size={13} />
              From library
            </button>
            {uploadable ? (
              <>
                <button type="button" className="button button--small" onClick={() => picker.current?.click()}>
                  <Icon name="plus" size={13} />
                  Upload
                </button>
                <input
                  ref={picker}
                  type="file"
                  className="visually-hidden"
                  tabIndex={-1}
                  aria-label="Upload pictures or videos"
                  accept="image/png,image/jpeg,image/gif,image/webp,video/mp4,video/quicktime,video/webm"
                  multiple
                  onChange={(e) => {
                    onFiles(mediaFiles(e.target.files));
                    e.target.value = '';
                  }}
                />
              </>
            ) : null}
          </div>
        )}
      </div>

      {media.length === 0 && uploads.length === 0 ? (
        readOnly ? (
          <p className="muted cmp-media__empty">No pictures or videos.</p>
        ) : (
          <p className="cmp-media__empty">{uploadable ? 'Drop pictures or videos here, upload them, or pick from the library.' : 'Pick pictures or videos from the library.'}</p>
        )
      ) : (
        <ol className="cmp-media__list" aria-label="Attached media, in order">
          {media.map((m, i) => {
            // A missing description is what the amber "Add alt text" button already says.
            const mine = issues.filter((x) => x.index === i && x.code !== 'media_alt_missing');
            const hasError = mine.some((x) => x.severity === 'error');
            const label = m.altText.trim() || m.filename;
            return (
              <li key={m.mediaId} className={`cmp-thumb${hasError ? ' has-error' : ''}`} data-media-id={m.mediaId}>
                <div className="cmp-thumb__frame">
                  {m.kind === 'video' ? (
                    <VideoFrame url={m.url} />
                  ) : (
                    <img className="cmp-thumb__img" src={thumbnailUrlOf(m.url)} alt={m.altText} />
                  )}
                  <span className="cmp-thumb__pos" aria-hidden="true">
                    {i + 1}
                  </span>
                  {m.altText.trim() ? (
                    <span className="cmp-thumb__alt-badge" title={m.altText}>
                      ALT
                    </span>
                  ) : null}
                </div>
                <p className="cmp-thumb__name" title={m.filename}>
                  {m.filename}
                  <span className="cmp-thumb__size">
                    {formatSize(m.sizeBytes)}
                    {m.width && m.height ? ` · ${m.width}×${m.height}` : ''}
                  </span>
                </p>
                {readOnly ? null : (
                  <div className="cmp-thumb__actions">
                    <button type="button" className={`button button--small${m.altText.trim() ? '' : ' cmp-thumb__need-alt'}`} onClick={() => onAlt(i)}>
                      {m.altText.trim() ? 'Edit alt text' : 'Add alt text'}
                      <span className="visually-hidden"> for {label}</span>
                    </button>
                    <button type="button" className="icon-button" disabled={i === 0} onClick={() => onMove(i, i - 1)} aria-label={`Move ${label} earlier`}>
                      <Icon name="arrowRight" size={14} className="cmp-flip" />
                    </button>
                    <button type="button" className="icon-button" disabled={i === media.length - 1} onClick={() => onMove(i, i + 1)} aria-label={`Move ${label} later`}>
                      <Icon name="arrowRight" size={14} />
                    </button>
                    <button type="button" className="icon-button cmp-thumb__remove" onClick={() => onRemove(i)} aria-label={`Remove ${label}`}>
                      <Icon name="x" size={14} />
                    </button>
                  </div>
                )}
                <Issues issues={mine} />
              </li>
            );
          })}
          {uploads.map((u) => (
            <li key={`u${u.key}`} className={`cmp-thumb cmp-thumb--uploading${u.error ? ' has-error' : ''}`}>
              <div className="cmp-thumb__frame">
                {u.error ? (
                  <Icon name="alert" size={20} />
                ) : (
                  <span className="cmp-thumb__progress" role="progressbar" aria-label={`Uploading ${u.name}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(u.progress * 100)}>
                    {Math.round(u.progress * 100)}%
                  </span>
                )}
              </div>
              <p className="cmp-thumb__name" title={u.name}>
                {u.name}
              </p>
              {u.error ? (
                <div className="cmp-issue cmp-issue--error" role="alert">
                  <span>{messageOf(u.error)}</span>{' '}
                  <button type="button" className="link-button" onClick={() => onDismissUpload(u.key)}>
                    Dismiss
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      <Issues issues={issues.filter((x) => x.index < 0)} />
    </div>
  );
}

/** Drag files over the editor: a visible target while dragging, the files on drop. */
export function useFileDrop(onFiles: (files: File[]) => void, enabled: boolean) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const hasFiles = (e: DragEvent) => enabled && [...e.dataTransfer.types].includes('Files');
  return {
    over,
    props: {
      onDragEnter: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current++;
        setOver(true);
      },
      onDragOver: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      },
      onDrop: (e: DragEvent) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        onFiles(mediaFiles(e.dataTransfer.files));
      },
    },
  };
}
