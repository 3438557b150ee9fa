import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'maas:public';

/** Marks a route that needs no credentials; the identity guards honour it. */
export const Public = () => SetMetadata(IS_PUBLIC, true);
