#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded offline.
# `prisma generate` only needs the path to exist; migrations run through @prisma/schema-engine-wasm.
echo "maas: the native Prisma schema engine is not installed; use npm run db:migrate" >&2
exit 1
