import { useState, type ChangeEvent } from 'react';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { UploadProgress } from './upload';

/**
 * An upload started from a file input: `send` gets the chosen files and a progress callback;
 * while it runs, `progress` says how far it got; when it ends, the listing under `listing` is
 * fetched again. `chooseFiles` is the input's onChange.
 */
export function useFileUpload<T>(send: (files: File[], onProgress: (progress: UploadProgress) => void) => Promise<T>, listing: QueryKey) {
  const queries = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress>();
  const upload = useMutation({
    mutationFn: (files: File[]) => send(files, setProgress),
    onSettled: () => {
      setProgress(undefined);
      void queries.invalidateQueries({ queryKey: listing });
    },
  });
  const chooseFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    if (files.length > 0) upload.mutate(files);
    event.target.value = '';
  };
  return { upload, progress, chooseFiles };
}
