import { randomBytes } from 'node:crypto';
import { chmod, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppConfig, MasterKey } from '@maas/config';
import { ConnectionFaults, DatabaseConnection, PrismaService } from '@maas/db';
import { rotateMasterKey } from '../keys/rotate-master-key';

/**
 * `npm run keys:rotate`: re-wraps every tenant's data key under a new master key. With
 * MAAS_MASTER_KEY set, the new key comes from MAAS_NEW_MASTER_KEY and the operator swaps the two
 * afterwards; in embedded mode a new key is generated and replaces `<dataDir>/master.key`.
 * The new key file is written before the database changes, so no step can strand the data keys.
 */
async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment();
  if (config.masterKey && !config.newMasterKey) throw new Error('set MAAS_NEW_MASTER_KEY to the key to rotate to (32 random bytes, base64)');
  const current = await MasterKey.load(config);
  const nextEncoded = config.newMasterKey ?? randomBytes(32).toString('base64');
  const keyFile = join(config.dataDir, 'master.key');
  const pendingFile = `${keyFile}.next`;
  if (!config.masterKey) {
    await writeFile(pendingFile, `${nextEncoded}\n`, { mode: 0o600 });
    await chmod(pendingFile, 0o600);
  }
  const connection = await DatabaseConnection.open(config);
  const prisma = new PrismaService(connection, new ConnectionFaults());
  try {
    const { rewrapped, kekId } = await rotateMasterKey(prisma, current, MasterKey.fromBase64(nextEncoded));
    if (!config.masterKey) await rename(pendingFile, keyFile);
    process.stdout.write(`re-wrapped ${rewrapped} tenant data key(s) under master key ${kekId}\n`);
    process.stdout.write(config.masterKey ? 'now set MAAS_MASTER_KEY to the value of MAAS_NEW_MASTER_KEY on every process\n' : `${keyFile} holds the new key\n`);
  } finally {
    await prisma.$disconnect();
    await connection.onApplicationShutdown();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
