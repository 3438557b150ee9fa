import type { FormEvent } from 'react';

/** A form's onSubmit that hands its fields to `send` instead of letting the browser navigate. */
export function submitFields(send: (fields: FormData) => void) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    send(new FormData(event.currentTarget));
  };
}
