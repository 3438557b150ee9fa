import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import pg from 'pg';
import { DatabaseConnection } from '../database-connection';
import { ConnectionFaults } from '../faults/connection-faults';
import { PrismaService } from '../prisma.service';

type Listener = (payload: string) => void;

const RECONNECT_DELAY_MS = 1000;
const CHANNEL_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * PostgreSQL LISTEN/NOTIFY between the platform's processes: a revoked key, a moved alias or a
 * deleted version reaches every process at once. One dedicated connection listens; it reconnects
 * after a failure and then tells every subscriber through `onReconnect`, since notifications sent
 * while it was away are lost (subscribers drop their caches).
 */
@Injectable()
export class DatabaseNotifications implements OnModuleDestroy {
  private readonly logger = new Logger(DatabaseNotifications.name);
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly reconnectListeners = new Set<() => void>();
  private client?: pg.Client;
  private connecting?: Promise<void>;
  private closed = false;

  constructor(
    private readonly connection: DatabaseConnection,
    private readonly prisma: PrismaService,
    private readonly faults: ConnectionFaults,
  ) {}

  /** Calls `listener` with each payload sent on `channel`; resolves once the LISTEN is active. */
  async subscribe(channel: string, listener: Listener): Promise<void> {
    assertChannel(channel);
    const listeners = this.listeners.get(channel) ?? new Set<Listener>();
    const isNewChannel = listeners.size === 0;
    listeners.add(listener);
    this.listeners.set(channel, listeners);
    await this.ensureConnected();
    if (isNewChannel) await this.client!.query(`LISTEN ${channel}`);
  }

  onReconnect(listener: () => void): void {
    this.reconnectListeners.add(listener);
  }

  /** Sends a notification to every process (this one included), after the current transaction if any. */
  async publish(channel: string, payload: string): Promise<void> {
    assertChannel(channel);
    await this.prisma.$executeRaw`SELECT pg_notify(${channel}, ${payload})`;
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }

  private ensureConnected(): Promise<void> {
    this.connecting ??= this.connect();
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connection.url });
    client.on('notification', ({ channel, payload }) => this.listeners.get(channel)?.forEach((listener) => listener(payload ?? '')));
    client.on('error', (error) => this.handleConnectionLoss(client, error));
    client.on('end', () => this.handleConnectionLoss(client));
    await client.connect();
    for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
    this.client = client;
  }

  private handleConnectionLoss(client: pg.Client, error?: Error): void {
    if (this.closed || this.client !== client) return;
    this.faults.record('notifications', error ?? new Error('connection ended'));
    this.client = undefined;
    this.connecting = undefined;
    setTimeout(() => void this.reconnect(), RECONNECT_DELAY_MS).unref();
  }

  private async reconnect(): Promise<void> {
    if (this.closed) return;
    try {
      await this.ensureConnected();
      this.logger.log('notification connection restored; re-reading what changes may have been missed');
      this.reconnectListeners.forEach((listener) => listener());
    } catch (error) {
      this.connecting = undefined;
      this.logger.debug(`notification reconnect failed: ${(error as Error).message}`);
      setTimeout(() => void this.reconnect(), RECONNECT_DELAY_MS).unref();
    }
  }
}

function assertChannel(channel: string): void {
  if (!CHANNEL_PATTERN.test(channel)) throw new Error(`invalid notification channel name ${JSON.stringify(channel)}`);
}
