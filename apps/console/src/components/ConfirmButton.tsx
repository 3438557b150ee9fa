import type { ReactNode } from 'react';

/** A destructive action: runs only once the person confirms `question`. */
export function ConfirmButton({ question, onConfirm, children }: { question: string; onConfirm: () => void; children: ReactNode }) {
  return (
    <button className="danger" onClick={() => window.confirm(question) && onConfirm()}>
      {children}
    </button>
  );
}
