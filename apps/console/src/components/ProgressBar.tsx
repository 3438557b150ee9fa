import { formatBytes, formatSeconds } from '../format';
import type { UploadProgress } from '../upload';

export function ProgressBar({ label, progress }: { label: string; progress: UploadProgress }) {
  const percent = progress.totalBytes > 0 ? Math.round((progress.sentBytes / progress.totalBytes) * 100) : 0;
  return (
    <div className="progress">
      <progress aria-label={label} max={100} value={percent} />
      <span>
        {percent}% · {formatBytes(progress.sentBytes)} of {formatBytes(progress.totalBytes)} · {formatBytes(progress.bytesPerSecond)}/s · {describeStage(percent, progress)}
      </span>
    </div>
  );
}

function describeStage(percent: number, progress: UploadProgress): string {
  if (percent >= 100) return 'validating…';
  return progress.bytesPerSecond > 0 ? `${formatSeconds(progress.etaSeconds)} left` : 'starting…';
}
