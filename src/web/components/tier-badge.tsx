import { TIER_DESCRIPTIONS } from '../format.js';

export function TierBadge({ tier }: { tier: string | null | undefined }) {
  if (!tier) return null;
  const t = /^[ABCD]$/.test(tier) ? tier : '?';
  return (
    <span className={`badge tier tier-${t}`} title={TIER_DESCRIPTIONS[t]}>
      <span className="visually-hidden">Evidence tier </span>
      {t}
    </span>
  );
}

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return null;
  const label: Record<string, string> = {
    ok: 'verified',
    provisional: 'provisional',
    no_evidence: 'no evidence',
    pending: 'pending review',
    approved: 'approved',
    rejected: 'rejected',
    ahead: 'ahead',
    on_track: 'on track',
    behind: 'behind',
    retracted: 'retracted',
    running: 'running',
    succeeded: 'succeeded',
    failed: 'failed',
  };
  return <span className={`badge status status-${status.replace(/[^a-z_]/g, '')}`}>{label[status] ?? status}</span>;
}
