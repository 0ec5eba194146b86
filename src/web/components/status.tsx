import { ApiError } from '../api/client.js';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}…
    </p>
  );
}

/** A failed request, with the server's explanation and the request id to quote in a bug report. */
export function ErrorNotice({ error, what }: { error: Error; what?: string }) {
  const requestId = error instanceof ApiError ? error.requestId : undefined;
  return (
    <div className="notice notice-error" role="alert">
      <p>
        {what ? `Could not load ${what}: ` : ''}
        {error.message}
      </p>
      {requestId && <p className="muted">Request ID: {requestId}</p>}
    </div>
  );
}
